#!/usr/bin/env python3
"""`idmscope export --mp4/--png` under Xvfb: the exported clip has the source's grid frames, and
its frames differ from the source only where the overlays were drawn (the exporter's --mask
says where, per frame: the overlay layer's coverage). Also the viewer's Metrics and Plots tabs,
a tolerance slider moved in the live viewer, and the arrows on the video, through screenshots."""
import csv
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

BINARY = os.path.abspath(os.environ.get("IDMSCOPE_BIN", "build/app/idmscope"))
XVFB = ["xvfb-run", "-a", "-s", "-screen 0 1920x1080x24"]
# Every viewer started here aborts if its UI thread reads or writes a file inside a frame.
os.environ.setdefault("IDMSCOPE_FRAME_IO_GUARD", "abort")
WIDTH, HEIGHT = 320, 200
DILATE_PX = 0          # the mask is exact: every pixel an overlay touched has alpha in the overlay-only pass
SAME_WITHIN = 2        # outside the overlays: RGB->YUV->RGB rounding only (--lossless: 4:4:4, crf 0)


def run(args, **kwargs):
    result = subprocess.run(args, capture_output=True, timeout=300, **kwargs)
    if result.returncode != 0:
        raise AssertionError("%s exited %d\n%s" % (" ".join(args), result.returncode, result.stderr[-3000:]))
    return result


def rgb_frames(video, fps=None):
    args = ["ffmpeg", "-v", "error", "-i", video]
    if fps:
        args += ["-vf", "fps=%d" % fps]
    data = run(args + ["-f", "rawvideo", "-pix_fmt", "rgb24", "-"]).stdout
    size = WIDTH * HEIGHT * 3
    return [data[i:i + size] for i in range(0, len(data), size)]


def read_masks(path):
    """Multi-image binary PGM -> one bytes object per frame."""
    with open(path, "rb") as f:
        data = f.read()
    masks, pos = [], 0
    while pos < len(data):
        header = data[pos:pos + 40].split(b"\n", 3)
        assert header[0] == b"P5", header
        width, height = map(int, header[1].split())
        pos += len(header[0]) + len(header[1]) + len(header[2]) + 3
        masks.append(data[pos:pos + width * height])
        pos += width * height
    return masks


def dilate(mask, radius):
    """Square dilation of a WIDTHxHEIGHT 0/255 mask, rows as Python ints (bit x = pixel x)."""
    full = (1 << WIDTH) - 1
    bit_rows = []
    for y in range(HEIGHT):
        line = mask[y * WIDTH:(y + 1) * WIDTH]
        value = 0
        for x in range(WIDTH):
            if line[x]:
                value |= 1 << x
        bit_rows.append(value)
    wide = []
    for value in bit_rows:
        out = value
        for r in range(1, radius + 1):
            out |= (value << r) | (value >> r)
        wide.append(out & full)
    result = []
    for y in range(HEIGHT):
        out = 0
        for yy in range(max(0, y - radius), min(HEIGHT, y + radius + 1)):
            out |= wide[yy]
        result.append(out)
    return result


class ExportVideo(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="idmscope-export-video-")
        cls.dataset = os.path.join(cls.tmp, "sample")
        run([BINARY, "synth", cls.dataset, "--clips", "2", "--size", "%dx%d" % (WIDTH, HEIGHT), "--seed", "11"])
        cls.keys = sorted(os.path.relpath(p, cls.dataset)[:-5] for p in glob.glob(os.path.join(cls.dataset, "clips_*", "clip_*.json")))
        cls.sources = ["--predictions", os.path.join(cls.dataset, "predictions", "good.json"),
                       "--predictions", os.path.join(cls.dataset, "predictions", "weak")]

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_mp4_frames_differ_from_the_source_only_where_overlays_are_drawn(self):
        key = self.keys[0]
        out, mask = os.path.join(self.tmp, "clip.mp4"), os.path.join(self.tmp, "clip_mask.pgm")
        result = run(XVFB + [BINARY, "export", self.dataset, "--clip", key, *self.sources, "--mp4", out, "--lossless", "--mask", mask],
                     text=True)
        self.assertIn("25 frames", result.stdout)
        exported = rgb_frames(out)
        source = rgb_frames(os.path.join(self.dataset, key + ".mp4"), fps=5)
        masks = read_masks(mask)
        self.assertEqual(len(exported), 25)
        self.assertEqual(len(source), 25)
        self.assertEqual(len(masks), 25)
        overlay_pixels = changed_inside = 0
        worst_outside = 0
        for frame in range(25):
            near = dilate(masks[frame], DILATE_PX)
            a, b, m = exported[frame], source[frame], masks[frame]
            for y in range(HEIGHT):
                row_near = near[y]
                base = y * WIDTH
                for x in range(WIDTH):
                    i = (base + x) * 3
                    diff = max(abs(a[i] - b[i]), abs(a[i + 1] - b[i + 1]), abs(a[i + 2] - b[i + 2]))
                    if m[base + x]:
                        overlay_pixels += 1
                        changed_inside += diff > 24
                    elif not (row_near >> x) & 1:
                        worst_outside = max(worst_outside, diff)
        # Outside the overlays the exported frame is the source frame.
        self.assertLessEqual(worst_outside, SAME_WITHIN)
        # The overlays are there and visibly change the picture (arrows, badges, gauge).
        self.assertGreater(overlay_pixels, 25 * 500)
        self.assertGreater(changed_inside, overlay_pixels // 3)

    def test_png_export_and_hidden_overlays(self):
        key = self.keys[1]
        with_overlays, without = os.path.join(self.tmp, "f12.png"), os.path.join(self.tmp, "f12_plain.png")
        run(XVFB + [BINARY, "export", self.dataset, "--clip", key, *self.sources, "--png", with_overlays, "--frame", "12"])
        run(XVFB + [BINARY, "export", self.dataset, "--clip", key, *self.sources, "--png", without, "--frame", "12",
                    "--hide", "gt-arrows,source-arrows,scroll,keycast"])
        plain = run(["ffmpeg", "-v", "error", "-i", without, "-f", "rawvideo", "-pix_fmt", "rgb24", "-"]).stdout
        drawn = run(["ffmpeg", "-v", "error", "-i", with_overlays, "-f", "rawvideo", "-pix_fmt", "rgb24", "-"]).stdout
        source = rgb_frames(os.path.join(self.dataset, key + ".mp4"), fps=5)[12]
        self.assertEqual(len(plain), WIDTH * HEIGHT * 3)
        self.assertEqual(plain, source)  # nothing drawn: exactly the grid frame
        differing = sum(1 for i in range(0, len(drawn), 3) if drawn[i:i + 3] != plain[i:i + 3])
        self.assertGreater(differing, 500)
        # A frame outside the grid is reported before OpenGL starts (no display needed).
        result = subprocess.run([BINARY, "export", self.dataset, "--clip", key, "--png", with_overlays, "--frame", "99"],
                                capture_output=True, text=True, timeout=120)
        self.assertEqual(result.returncode, 1)
        self.assertIn("--frame 99", result.stderr)
        # An MP4 that cannot be written is named (checked before OpenGL starts, too).
        result = subprocess.run([BINARY, "export", self.dataset, "--clip", key, "--mp4", "/nonexistent/dir/out.mp4"],
                                capture_output=True, text=True, timeout=120)
        self.assertEqual(result.returncode, 1)
        self.assertIn("/nonexistent/dir/out.mp4", result.stderr)

    def test_viewer_metrics_and_plots_tabs_draw(self):
        shots = {}
        for tab in ("timeline", "metrics", "plots"):
            out = os.path.join(self.tmp, "tab_%s.png" % tab)
            run(XVFB + [BINARY, self.dataset, *self.sources, "--clip", self.keys[0], "--frame", "9", "--tab", tab,
                        "--screenshot", out, "--size", "1280x800"])
            shots[tab] = run(["ffmpeg", "-v", "error", "-i", out, "-f", "rawvideo", "-pix_fmt", "rgb24", "-"]).stdout
        row = 1280 * 3
        bottom = lambda data: data[560 * row:790 * row]  # the bottom panel, under the video
        self.assertNotEqual(bottom(shots["metrics"]), bottom(shots["timeline"]))
        self.assertNotEqual(bottom(shots["plots"]), bottom(shots["metrics"]))
        # Plots draw series in the sources' colours (cyan and magenta) in the bottom panel.
        plots = bottom(shots["plots"])
        pixels = {plots[i:i + 3] for i in range(0, len(plots), 3)}
        self.assertIn(bytes((60, 200, 255)), pixels)
        self.assertIn(bytes((255, 90, 200)), pixels)

    def test_moving_a_tolerance_slider_rescores_like_score_does(self):
        # Metrics tab, 1280x800: Ctrl+click the KeyPress tolerance slider (the first one) to type
        # 0 into it, then Export > CSV. The CSV must equal `score --dataset` under the protocol
        # profile with KeyPress tolerance 0, and differ from the untouched profile's numbers.
        if not shutil.which("xdotool"):
            self.skipTest("xdotool not installed")
        live = os.path.join(self.tmp, "slider")
        os.makedirs(live)
        press = "sleep 0.1; xdotool mousedown 1; sleep 0.12; xdotool mouseup 1; sleep 0.4; "
        script = (
            f"{BINARY} {self.dataset} {' '.join(self.sources)} --clip {self.keys[0]} --tab metrics --size 1280x800 & pid=$!; "
            "for i in $(seq 50); do w=$(xdotool search --name idmscope 2>/dev/null | head -1); [ -n \"$w\" ] && break; sleep 0.2; done; "
            "sleep 1.5; xdotool windowactivate --sync $w 2>/dev/null; "
            "xdotool mousemove 711 486; xdotool keydown ctrl; " + press + "xdotool keyup ctrl; sleep 0.2; "
            "xdotool keydown ctrl keydown a; sleep 0.12; xdotool keyup a keyup ctrl; sleep 0.2; "
            "xdotool type --delay 120 0; xdotool keydown Return; sleep 0.15; xdotool keyup Return; sleep 0.5; "
            "import -window root -crop 1280x800+0+0 slider.png; "
            "xdotool mousemove 123 11; " + press + "xdotool mousemove 190 98; " + press +
            f"for i in $(seq 100); do [ -f {self.dataset}/.idmscope/exports/sample_metrics.csv ] && break; sleep 0.1; done; "
            "kill $pid; wait $pid 2>/dev/null; true")
        subprocess.run(XVFB + ["bash", "-c", script], capture_output=True, timeout=120, cwd=live)
        # Exports go to DATASET/.idmscope/exports/, whatever folder the viewer was started in.
        with open(os.path.join(self.dataset, ".idmscope", "exports", "sample_metrics.csv"), newline="") as f:
            rows = list(csv.DictReader(f))
        self.assertEqual(len(rows), 2 * len(self.keys))

        def scored(tolerance_keypress):
            with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "assets", "profiles", "protocol.json")) as f:
                profile = json.load(f)
            if tolerance_keypress is not None:
                profile["tolerance"]["KeyPress"] = tolerance_keypress
            profile_path = os.path.join(live, "profile_%s.json" % tolerance_keypress)
            with open(profile_path, "w") as f:
                json.dump(profile, f)
            by_source = {}
            for name, source in (("good.json", self.sources[1]), ("weak", self.sources[3])):
                out = os.path.join(live, "score_%s_%s.json" % (name, tolerance_keypress))
                run([BINARY, "score", "--dataset", self.dataset, "--predictions", source, "--profile", profile_path, "--json", out, "--quiet"])
                with open(out) as f:
                    by_source[name] = {c["clip"]: c for c in json.load(f)["clips"]}
            return by_source

        tight, default = scored(0), scored(None)
        differs = False
        for row in rows:
            expected = tight[row["source"]][row["clip"]]
            where = (row["source"], row["clip"])
            self.assertEqual(int(row["tp"]), expected["tp"], where)
            self.assertEqual(int(row["fp"]), expected["fp"], where)
            self.assertEqual(int(row["fn"]), expected["fn"], where)
            self.assertAlmostEqual(float(row["KeyPress_f1"]), expected["per_type"]["KeyPress"]["f1"], 5, where)
            differs = differs or int(row["tp"]) != default[row["source"]][row["clip"]]["tp"]
        self.assertTrue(differs, "tolerance 0 should change some clip's TP (else the test proves nothing)")

    def test_sigterm_during_an_mp4_export_leaves_no_temp_file(self):
        # SIGTERM as soon as Ctrl+Shift+E has started the export of a full-size clip: the viewer
        # closes cleanly, cancelling the export; it either finished (a whole MP4) or left
        # nothing, never a half-written or temp file.
        if not shutil.which("xdotool"):
            self.skipTest("xdotool not installed")
        live = os.path.join(self.tmp, "sigterm")
        dataset = os.path.join(live, "full")
        run([BINARY, "synth", dataset, "--clips", "1", "--seed", "2"])
        key = os.path.relpath(glob.glob(os.path.join(dataset, "clips_*", "clip_*.json"))[0], dataset)[:-5]
        script = (
            f"{BINARY} {dataset} --clip {key} --size 1280x800 & pid=$!; "
            "for i in $(seq 50); do w=$(xdotool search --name idmscope 2>/dev/null | head -1); [ -n \"$w\" ] && break; sleep 0.2; done; "
            "sleep 1.5; xdotool windowactivate --sync $w 2>/dev/null; "
            "xdotool keydown ctrl keydown shift keydown e; sleep 0.15; xdotool keyup e keyup shift keyup ctrl; "
            f"for i in $(seq 50); do [ -d {dataset}/.idmscope/exports ] && break; sleep 0.02; done; "  # the export has started
            "kill $pid; wait $pid; echo \"exit $?\"")
        result = subprocess.run(XVFB + ["bash", "-c", script], capture_output=True, text=True, timeout=120, cwd=live)
        self.assertIn("exit 0", result.stdout, result.stderr)
        exports = os.path.join(dataset, ".idmscope", "exports")
        self.assertTrue(os.path.isdir(exports), "the export never started: the test would prove nothing")
        left = os.listdir(exports)
        print("\n  killed during the export; left behind: %s" % (left or "nothing (cancelled)"), file=sys.stderr)
        self.assertEqual([name for name in left if not name.endswith(".mp4") or name.startswith(".")], [], left)
        for name in left:
            frames = run(["ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries",
                          "stream=nb_read_frames", "-of", "csv=p=0", os.path.join(exports, name)]).stdout.strip()
            self.assertEqual(frames, b"25")

    def test_n_jumps_to_the_next_miss_and_ctrl_e_exports_png_and_mp4(self):
        if not shutil.which("xdotool"):
            self.skipTest("xdotool not installed")
        metrics = os.path.join(self.tmp, "metrics.json")
        run([BINARY, "export", self.dataset, *self.sources, "--clip", self.keys[0], "--metrics-json", metrics])
        with open(metrics) as f:
            misses = [frame for frame in json.load(f)["clip_miss_frames"] if frame > 0]
        self.assertTrue(misses, "the sample's first clip has misses after F00")
        live = os.path.join(self.tmp, "live")
        os.makedirs(live)
        script = (
            f"{BINARY} {self.dataset} {' '.join(self.sources)} --clip {self.keys[0]} --frame 0 --size 1280x800 & pid=$!; "
            "for i in $(seq 50); do w=$(xdotool search --name idmscope 2>/dev/null | head -1); [ -n \"$w\" ] && break; sleep 0.2; done; "
            "sleep 1.5; xdotool windowactivate --sync $w 2>/dev/null; "
            "for k in n ctrl+e ctrl+shift+e; do xdotool keydown $k; sleep 0.15; xdotool keyup $k; sleep 0.6; done; "
            # The MP4 export runs beside the UI: wait for its result line (up to 90 s under load).
            "for i in $(seq 900); do grep -q 'the UI drew' err.txt && break; sleep 0.1; done; "
            "kill $pid; wait $pid 2>/dev/null; true")
        script = script.replace("& pid=$!", "2>err.txt & pid=$!", 1)
        subprocess.run(XVFB + ["bash", "-c", script], capture_output=True, timeout=180, cwd=live)
        with open(os.path.join(live, "err.txt")) as f:
            stderr = f.read()
        # The export did not stop the UI: frames kept coming while it ran. The export's share of
        # one UI frame (overlay drawing on the main thread) is printed, not asserted: it is a time
        # on a shared machine (the benchmark's business), and it passed 56 ms under load.
        found = re.search(r"\((\d+) frames\) in ([\d.]+) s; the UI drew (\d+) frames meanwhile, the export's part of one at most ([\d.]+) ms",
                          stderr)
        self.assertIsNotNone(found, stderr)
        print(f"\n  {found.group(0)}", file=sys.stderr)
        self.assertEqual(int(found.group(1)), 25)
        self.assertGreaterEqual(int(found.group(3)), 3)  # it spanned several UI frames
        # (the dataset's exports folder may also hold another test's metrics files)
        exported = sorted(f for f in os.listdir(os.path.join(self.dataset, ".idmscope", "exports")) if f.endswith((".mp4", ".png")))
        stem = self.keys[0].replace("/", "_")
        self.assertEqual(exported, [stem + ".mp4", "%s_F%02d.png" % (stem, misses[0])])
        # Ctrl+Shift+E: the clip with its overlays, every grid frame.
        frames = rgb_frames(os.path.join(self.dataset, ".idmscope", "exports", stem + ".mp4"))
        self.assertEqual(len(frames), 25)


if __name__ == "__main__":
    unittest.main(verbosity=2)
