#!/usr/bin/env python3
"""The viewer as researchers use it daily, in a real window under Xvfb (Mesa llvmpipe): the
video's share of the screen (from the frame rectangle the viewer reports with --screenshot),
the help window, and keys that must not fire while the user types or a popup is open."""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from test_viewer import BINARY, XVFB, read_png, synth_sample  # noqa: E402

LAYOUT = re.compile(r"layout: frame drawn (\d+)x(\d+) at (-?\d+),(-?\d+) in a (\d+)x(\d+) window: ([\d.]+)% of the window's width, "
                    r"([\d.]+)% of the area above the timeline")


class ViewerUx(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="idmscope-ux-")
        cls.dataset = os.path.join(cls.tmp, "sample")
        cls.keys = synth_sample(cls.dataset, clips=3, seed=3, size="1728x1080")
        cls.config = os.path.join(cls.tmp, "config")  # no user layout or keys: the defaults
        os.makedirs(cls.config)
        cls.env = dict(os.environ, XDG_CONFIG_HOME=cls.config)
        cls.sources = ["--predictions", os.path.join(cls.dataset, "predictions", "good.json"),
                       "--predictions", os.path.join(cls.dataset, "predictions", "weak.json")]

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def screenshot(self, name, size, *args):
        out = os.path.join(self.tmp, name + ".png")
        result = subprocess.run(XVFB + [BINARY, self.dataset, *self.sources, *args, "--screenshot", out, "--size", size],
                                capture_output=True, text=True, timeout=180, env=self.env)
        self.assertEqual(result.returncode, 0, result.stderr)
        return result.stdout, read_png(out)

    def live(self, name, clip, frame, actions, size="1280x800"):
        """Runs the viewer live, does `actions` (a shell snippet of xdotool calls; keys as keydown,
        short sleep, keyup: imgui 1.86 misses instant taps), returns the screen's rows."""
        if not shutil.which("xdotool") or not shutil.which("import"):
            self.skipTest("xdotool or ImageMagick not installed")
        out = os.path.join(self.tmp, name + ".png")
        settle = ("settle() { prev=; for i in $(seq 60); do h=$(import -window root -depth 8 rgb:- | md5sum); "
                  "[ \"$h\" = \"$prev\" ] && break; prev=$h; sleep 0.4; done; }; "
                  "press() { xdotool keydown $1; sleep 0.1; xdotool keyup $1; sleep 0.25; }; ")
        width, height = size.split("x")
        script = (
            settle +
            f"{BINARY} {self.dataset} {' '.join(self.sources)} --clip {clip} --frame {frame} --size {size} & pid=$!; "
            "for i in $(seq 100); do w=$(xdotool search --name idmscope 2>/dev/null | head -1); [ -n \"$w\" ] && break; sleep 0.2; done; "
            "settle; xdotool windowactivate --sync $w 2>/dev/null; xdotool mousemove 5 5; sleep 0.3; "
            f"{actions}; sleep 0.8; settle; import -window root {out}; kill $pid; wait $pid 2>/dev/null; true")
        # Each run its own config dir: a run that collapses panels saves layout.json at exit.
        config = os.path.join(self.tmp, "config_" + name)
        os.makedirs(config, exist_ok=True)
        result = subprocess.run(XVFB + ["bash", "-c", script], capture_output=True, text=True, timeout=180,
                                env=dict(self.env, XDG_CONFIG_HOME=config))
        self.assertTrue(os.path.exists(out), result.stderr)
        png = os.path.join(self.tmp, name + "_rgba.png")
        subprocess.run(["convert", out, "-crop", f"{size}+0+0", "+repage", "-define", "png:color-type=6", png], check=True)
        return read_png(png)[2]

    def frame_rect(self, stdout):
        match = LAYOUT.search(stdout)
        self.assertIsNotNone(match, "the viewer reports where it drew the frame: " + stdout)
        w, h, x, y, window_w, window_h = (int(v) for v in match.groups()[:6])
        return (x, y, w, h), (window_w, window_h), float(match.group(7)), float(match.group(8))

    def test_the_video_takes_most_of_the_area_above_the_timeline(self):
        for size, window_share_min in (("1920x1080", 60.0), ("1280x720", 45.0)):
            with self.subTest(size=size):
                stdout, (width, height, rows) = self.screenshot("layout_" + size, size, "--clip", self.keys[1], "--frame", "11")
                (x, y, w, h), window, window_share, area_share = self.frame_rect(stdout)
                self.assertEqual(window, (width, height))
                self.assertGreaterEqual(area_share, 70.0, stdout)
                self.assertGreaterEqual(window_share, window_share_min, stdout)  # it was 42 % at 1920x1080
                self.assertAlmostEqual(w / h, 1728 / 1080, delta=0.01)
                # The reported rectangle is where the picture is: inside it, not the panel's dark fill.
                inside = [rows[y + h // 2 + dy][4 * (x + w // 2 + dx):4 * (x + w // 2 + dx) + 3] for dx in (-w // 4, 0, w // 4)
                          for dy in (-h // 4, 0, h // 4)]
                self.assertTrue(any(pixel != bytes((18, 18, 22)) for pixel in inside), "the frame must be drawn where reported")

    def test_full_video_mode_and_collapsed_panels(self):
        rows = {}
        for name, actions in (("plain", "true"), ("collapsed", "press F2; press F3"), ("full", "press f")):
            rows[name] = self.live("panels_" + name, self.keys[1], 11, actions)
        # Collapsing both side panels or going full-video changes the screen, and widens the frame:
        # the picture then reaches columns that were the browser's (x = 150).
        for name in ("collapsed", "full"):
            self.assertNotEqual(rows[name][400], rows["plain"][400], name)
            if name == "collapsed":  # remembered in the config dir when the window closes
                with open(os.path.join(self.tmp, "config_panels_collapsed", "idmscope", "layout.json")) as f:
                    saved = json.load(f)
                self.assertEqual((saved["browser_open"], saved["editor_open"]), (False, False))
        column_150 = lambda screen: [screen[y][4 * 150:4 * 150 + 3] for y in range(200, 600, 20)]
        self.assertNotEqual(column_150(rows["full"]), column_150(rows["plain"]))

    def test_f1_opens_the_help_window_and_question_mark_too(self):
        plain = self.live("help_none", self.keys[1], 11, "true")
        for name, key in (("help_f1", "F1"), ("help_question", "shift+slash")):
            with self.subTest(key=key):
                shown = self.live(name, self.keys[1], 11, f"press {key}")
                # The window sits in the middle of the screen.
                changed = sum(1 for y in range(250, 550) if shown[y][4 * 400:4 * 880] != plain[y][4 * 400:4 * 880])
                self.assertGreater(changed, 200, f"{key} should open the help window")

    def test_typing_into_the_filter_changes_only_the_filter(self):
        # c l i p 1 are shortcuts (chain, play, previous miss, label visible) everywhere but in a text field.
        before = self.live("filter_before", self.keys[0], 8, "true")
        annotations = os.path.join(self.dataset, "annotations.json")
        with open(annotations, "rb") as f:
            labels_before = f.read()
        typed = self.live("filter_typed", self.keys[0], 8,
                          "xdotool mousemove 230 58 click 1; sleep 0.3; for k in c l i p 1; do press $k; done")
        with open(annotations, "rb") as f:
            self.assertEqual(f.read(), labels_before, "no label was set")
        # The browser shows the filter's result; the video and the timeline (right of x=320) are as they were.
        self.assertNotEqual([r[:4 * 300] for r in typed[60:300]], [r[:4 * 300] for r in before[60:300]], "the filter took the text")
        same = sum(1 for y in range(60, 780) if typed[y][4 * 330:4 * 900] == before[y][4 * 330:4 * 900])
        self.assertGreater(same, 0.97 * 720, "typing into the filter must not play, step or jump")

    def test_no_shortcut_fires_while_a_popup_is_open(self):
        before = self.live("popup_before", self.keys[0], 8, "true")
        # The tag combo's popup is open while L (play) and N (next miss) are pressed; Escape closes it.
        after = self.live("popup_keys", self.keys[0], 8, "xdotool mousemove 60 58 click 1; sleep 0.4; press l; press n; sleep 1; press Escape")
        same = sum(1 for y in range(60, 780) if after[y][4 * 330:4 * 900] == before[y][4 * 330:4 * 900])
        self.assertGreater(same, 0.97 * 720, "L and N must do nothing while a popup is open")

    def test_the_video_zoom_does_not_carry_over_to_the_next_clip(self):
        zoomed_then_next = self.live("zoom_next", self.keys[0], 8,
                                     "xdotool mousemove 640 250; sleep 0.2; for i in 1 2 3 4 5; do xdotool click 4; sleep 0.1; done; "
                                     "xdotool mousemove 5 5; sleep 0.3; press Down")
        plain_next = self.live("plain_next", self.keys[1], 8, "true")
        video_rows = range(40, 420)
        same = sum(1 for y in video_rows if zoomed_then_next[y][4 * 330:4 * 900] == plain_next[y][4 * 330:4 * 900])
        self.assertGreater(same, 0.95 * len(video_rows), "the next clip must start fitted")

    def test_double_click_fits_without_moving_the_arrow_anchor(self):
        plain = self.live("dbl_plain", self.keys[1], 12, "true")
        fitted = self.live("dbl_click", self.keys[1], 12, "xdotool mousemove 450 120; sleep 0.2; xdotool click --repeat 2 --delay 80 1; "
                           "sleep 0.3; xdotool mousemove 5 5")
        video_rows = range(40, 420)
        same = sum(1 for y in video_rows if fitted[y][4 * 330:4 * 900] == plain[y][4 * 330:4 * 900])
        self.assertGreater(same, 0.97 * len(video_rows), "a double-click fits; the arrows stay anchored where they were")


if __name__ == "__main__":
    unittest.main()
