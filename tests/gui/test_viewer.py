#!/usr/bin/env python3
"""GUI tests: the real viewer in a real window under Xvfb (Mesa llvmpipe), checked through
screenshots it saves itself (--screenshot) and through keys sent with xdotool."""
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import unittest
import zlib

BINARY = os.environ.get("IDMSCOPE_BIN", "build/app/idmscope")
XVFB = ["xvfb-run", "-a", "-s", "-screen 0 1920x1080x24"]
# Every viewer started here aborts if its UI thread reads or writes a file inside a frame.
os.environ.setdefault("IDMSCOPE_FRAME_IO_GUARD", "abort")


def read_png(path):
    """Decodes an 8-bit RGBA, non-interlaced PNG (what the viewer writes) into rows of bytes."""
    with open(path, "rb") as f:
        data = f.read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", path
    pos, chunks, width, height = 8, b"", 0, 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and colour == 6, (depth, colour)
        elif kind == b"IDAT":
            chunks += body
        pos += 12 + length
    raw = zlib.decompress(chunks)
    stride = width * 4
    rows, previous = [], bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            left = line[x - 4] if x >= 4 else 0
            up = previous[x]
            upper_left = previous[x - 4] if x >= 4 else 0
            if kind == 1:
                line[x] = (line[x] + left) & 255
            elif kind == 2:
                line[x] = (line[x] + up) & 255
            elif kind == 3:
                line[x] = (line[x] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - upper_left
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - upper_left)
                line[x] = (line[x] + (left if pa <= pb and pa <= pc else up if pb <= pc else upper_left)) & 255
        rows.append(bytes(line))
        previous = line
    return width, height, rows


def synth_sample(dataset, clips, seed, size="640x400"):
    """Writes a sample dataset with `idmscope synth`; returns its clip keys, sorted."""
    subprocess.run([BINARY, "synth", dataset, "--clips", str(clips), "--size", size, "--seed", str(seed)],
                   check=True, capture_output=True, timeout=120)
    return sorted(os.path.relpath(os.path.join(root, name), dataset)[:-5]
                  for root, _, names in os.walk(dataset) for name in names
                  if name.startswith("clip_") and name.endswith(".json") and "predictions" not in root)


def distinct_colours(rows, step=7):
    seen = set()
    for row in rows[::step]:
        for x in range(0, len(row), 4 * step):
            seen.add(row[x:x + 3])
    return len(seen)


class Viewer(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="idmscope-gui-")
        cls.dataset = os.path.join(cls.tmp, "sample")
        cls.keys = synth_sample(cls.dataset, clips=3, seed=3)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def screenshot(self, name, *args):
        out = os.path.join(self.tmp, name + ".png")
        result = subprocess.run(XVFB + [BINARY, *args, "--screenshot", out, "--size", "1280x800"],
                                capture_output=True, text=True, timeout=120)
        self.assertEqual(result.returncode, 0, result.stderr)
        return read_png(out)

    def test_opens_a_dataset_with_predictions_and_draws_every_panel(self):
        width, height, rows = self.screenshot(
            "full", self.dataset, "--predictions", os.path.join(self.dataset, "predictions", "good.json"),
            "--predictions", os.path.join(self.dataset, "predictions", "weak"), "--clip", self.keys[0], "--frame", "12")
        self.assertEqual((width, height), (1280, 800))
        self.assertGreater(distinct_colours(rows), 200)  # video, text and coloured lanes, not an empty window

    def test_different_frames_show_different_pictures(self):
        _, _, first = self.screenshot("f02", self.dataset, "--clip", self.keys[0], "--frame", "2")
        _, _, later = self.screenshot("f20", self.dataset, "--clip", self.keys[0], "--frame", "20")
        differing = sum(1 for a, b in zip(first, later) if a != b)
        self.assertGreater(differing, 50)

    def test_opening_a_dataset_remembers_it_in_the_xdg_config_dir(self):
        config = os.path.join(self.tmp, "config")
        os.makedirs(os.path.join(config, "idmscope"))
        with open(os.path.join(config, "idmscope", "recent.json"), "w") as f:
            f.write('{"theme": "dark", "datasets": ["/nowhere/old"]}')
        out = os.path.join(self.tmp, "recent.png")
        env = dict(os.environ, XDG_CONFIG_HOME=config)
        result = subprocess.run(XVFB + [BINARY, self.dataset, "--screenshot", out, "--size", "1280x800"],
                                capture_output=True, text=True, timeout=120, env=env)
        self.assertEqual(result.returncode, 0, result.stderr)
        with open(os.path.join(config, "idmscope", "recent.json")) as f:
            recent = json.load(f)
        self.assertEqual(recent["datasets"], [os.path.abspath(self.dataset), "/nowhere/old"])
        self.assertEqual(recent["theme"], "dark")  # keys we do not know survive

    def test_without_a_dataset_and_with_a_broken_clip_it_still_runs(self):
        _, _, rows = self.screenshot("empty")
        self.assertGreater(len(rows), 0)
        broken = os.path.join(self.tmp, "broken")
        shutil.copytree(self.dataset, broken)
        with open(os.path.join(broken, self.keys[0] + ".json"), "w") as f:
            f.write('{"start_s": 1, "actions": [')
        with open(os.path.join(broken, self.keys[0] + ".mp4"), "wb") as f:
            f.write(b"not a video")
        self.screenshot("broken", broken, "--clip", self.keys[0])
        # An unusable side file is named on opening (the status line shows the same message).
        with open(os.path.join(broken, "annotations.json"), "w") as f:
            f.write('{"broken')
        result = subprocess.run(XVFB + [BINARY, broken, "--quit-after", "1", "--size", "800x600"], capture_output=True, text=True,
                                timeout=120)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn(os.path.join(broken, "annotations.json") + ": not valid JSON", result.stderr)

    def live_keys(self, name, start_frame, keys, env=None, before_keys="true"):
        """Runs the viewer in a live window at `start_frame`, sends `keys` (xdotool names) with
        keydown / short sleep / keyup (imgui 1.86 misses instant taps), returns the screen.
        `before_keys` is a shell snippet run first (mouse moves, wheel clicks)."""
        if not shutil.which("xdotool") or not shutil.which("import"):
            self.skipTest("xdotool or ImageMagick not installed")
        out = os.path.join(self.tmp, name + ".png")
        presses = " ".join(keys)
        # Screenshots are taken once the screen stops changing (two equal captures in a row),
        # so a loaded machine only makes the test slower, never wrong.
        settle = ("settle() { prev=; for i in $(seq 60); do h=$(import -window root -depth 8 rgb:- | md5sum); "
                  "[ \"$h\" = \"$prev\" ] && break; prev=$h; sleep 0.4; done; }; ")
        script = (
            settle +
            f"{BINARY} {self.dataset} --clip {self.keys[0]} --frame {start_frame} --size 1280x800 & pid=$!; "
            "for i in $(seq 100); do w=$(xdotool search --name idmscope 2>/dev/null | head -1); [ -n \"$w\" ] && break; sleep 0.2; done; "
            "settle; xdotool windowactivate --sync $w 2>/dev/null; "
            f"{before_keys}; "
            f"for k in {presses}; do xdotool keydown $k; sleep 0.15; xdotool keyup $k; sleep 0.25; done; "
            f"sleep 0.5; settle; import -window root {out}; kill $pid; wait $pid 2>/dev/null; true"
        )
        result = subprocess.run(XVFB + ["bash", "-c", script], capture_output=True, text=True, timeout=120, env=env)
        self.assertTrue(os.path.exists(out), result.stderr)
        png = os.path.join(self.tmp, name + "_rgba.png")
        subprocess.run(["convert", out, "-crop", "1280x800+0+0", "+repage", "-define", "png:color-type=6", png], check=True)
        return read_png(png)[2]

    def assert_shows(self, actual, expected, before, what):
        # The rows (right half: video and timeline) where `before` and `expected` differ decide it.
        deciding = [y for y in range(40, 700) if before[y][2400:5120] != expected[y][2400:5120]]
        self.assertGreater(len(deciding), 40, "the two states must differ somewhere, or this test proves nothing")
        like_expected = sum(1 for y in deciding if actual[y][2400:5120] == expected[y][2400:5120])
        self.assertGreater(like_expected, 0.9 * len(deciding), what)

    def test_keys_move_the_playhead(self):
        after_keys = self.live_keys("keys", 5, ["Right", "Right", "Right"])
        _, _, at_f08 = self.screenshot("f08", self.dataset, "--clip", self.keys[0], "--frame", "8")
        _, _, at_f05 = self.screenshot("f05", self.dataset, "--clip", self.keys[0], "--frame", "5")
        self.assert_shows(after_keys, at_f08, at_f05, "after three Right presses the viewer should show F08")

    def test_down_arrow_selects_the_next_clip_in_browser_order(self):
        after_keys = self.live_keys("down", 0, ["Down"])
        _, _, second = self.screenshot("clip1", self.dataset, "--clip", self.keys[1])
        _, _, first = self.screenshot("clip0", self.dataset, "--clip", self.keys[0])
        self.assert_shows(after_keys, second, first, "Down should select the next clip (browser order: by name)")

    def test_shift_arrows_step_native_frames(self):
        # F05 shows source frame 32 (6k+2); two Shift+Right steps show native frame 34.
        after_keys = self.live_keys("native", 5, ["shift+Right", "shift+Right"])
        _, _, native = self.screenshot("n34", self.dataset, "--clip", self.keys[0], "--native", "34")
        _, _, at_f05 = self.screenshot("f05n", self.dataset, "--clip", self.keys[0], "--frame", "5")
        self.assert_shows(after_keys, native, at_f05, "two Shift+Right presses from F05 should show native frame 34")

    def test_remapped_keys_from_keys_json(self):
        # next_frame on D (and Right unbound): three D presses from F05 show F08.
        config = os.path.join(self.tmp, "keys_config")
        os.makedirs(os.path.join(config, "idmscope"), exist_ok=True)
        with open(os.path.join(config, "idmscope", "keys.json"), "w") as f:
            json.dump({"bindings": {"next_frame": "D"}}, f)
        env = dict(os.environ, XDG_CONFIG_HOME=config)
        after_d = self.live_keys("remap_d", 5, ["d", "d", "d"], env=env)
        _, _, at_f08 = self.screenshot("f08r", self.dataset, "--clip", self.keys[0], "--frame", "8")
        _, _, at_f05 = self.screenshot("f05r", self.dataset, "--clip", self.keys[0], "--frame", "5")
        self.assert_shows(after_d, at_f08, at_f05, "with next_frame remapped to D, three D presses should show F08")
        # Control: without the config D does nothing.
        plain = self.live_keys("plain_d", 5, ["d", "d", "d"])
        self.assert_shows(plain, at_f05, at_f08, "without keys.json, D must not move the playhead")

    def test_wheel_on_the_timeline_zooms_it_without_moving_the_playhead(self):
        # 1280x800 window: the timeline's lanes start near y=560; wheel up zooms around x=900.
        zoomed = self.live_keys("zoom", 12, [], before_keys="xdotool mousemove 900 640; sleep 0.3; "
                                "for i in 1 2 3 4 5 6; do xdotool click 4; sleep 0.15; done; xdotool mousemove 900 100")
        plain = self.live_keys("nozoom", 12, [], before_keys="xdotool mousemove 900 100")
        video_rows = range(60, 420)
        timeline_rows = range(560, 700)
        self.assertTrue(all(zoomed[y][2400:5120] == plain[y][2400:5120] for y in video_rows),
                        "zooming the timeline must not change the video (no scrubbing)")
        differing = sum(1 for y in timeline_rows if zoomed[y][2400:5120] != plain[y][2400:5120])
        self.assertGreater(differing, 60, "the wheel should have zoomed the timeline")

    def dumped_frame(self, name, dataset, key, frame):
        """The shown grid frame as the GPU converted it (--dump-frame), as rows of RGBA bytes."""
        out, dump = os.path.join(self.tmp, name + ".png"), os.path.join(self.tmp, name + "_frame.png")
        result = subprocess.run(XVFB + [BINARY, dataset, "--clip", key, "--frame", str(frame), "--screenshot", out,
                                        "--dump-frame", dump, "--size", "1280x800"],
                                capture_output=True, text=True, timeout=120)
        self.assertEqual(result.returncode, 0, result.stderr)
        return read_png(dump)[2]

    def ffmpeg_frame(self, video, frame):
        """Grid frame `frame` as `ffmpeg -vf fps=5 -pix_fmt rgba` writes it."""
        pattern = os.path.join(self.tmp, "ref_%04d.png")
        for old in os.listdir(self.tmp):
            if old.startswith("ref_"):
                os.remove(os.path.join(self.tmp, old))
        subprocess.run(["ffmpeg", "-loglevel", "error", "-y", "-i", video, "-vf", "fps=5", "-pix_fmt", "rgba", pattern],
                       check=True, timeout=120)
        return read_png(pattern % (frame + 1))[2]

    @staticmethod
    def difference(a, b):
        total, worst, count = 0, 0, 0
        for row_a, row_b in zip(a, b):
            for x in range(0, len(row_a), 4):
                for c in range(3):
                    d = abs(row_a[x + c] - row_b[x + c])
                    total += d
                    worst = max(worst, d)
                count += 3
        return total / count, worst

    def test_gpu_yuv_conversion_matches_the_ffmpeg_cli_for_each_colour_tagging(self):
        # The cache keeps 8-bit 4:2:0 as YUV and a shader converts it; other formats take
        # swscale's RGBA. The tag variants keep the same YUV samples (stream copy, only the
        # H.264 VUI changes), so only the interpretation differs; the reference is ffmpeg's PNG.
        variants = [
            ("untagged", ["-c:v", "copy", "-bsf:v", "h264_metadata=matrix_coefficients=2:colour_primaries=2:transfer_characteristics=2"]),
            ("bt601", ["-c:v", "copy", "-bsf:v", "h264_metadata=matrix_coefficients=6:colour_primaries=6:transfer_characteristics=6"]),
            ("bt709", ["-c:v", "copy", "-bsf:v", "h264_metadata=matrix_coefficients=1:colour_primaries=1:transfer_characteristics=1"]),
            ("fullrange", ["-c:v", "copy", "-bsf:v", "h264_metadata=video_full_range_flag=1"]),
            ("yuv444", ["-c:v", "libx264", "-qp", "4", "-pix_fmt", "yuv444p"]),
        ]
        source = os.path.join(self.dataset, self.keys[0] + ".mp4")
        references = {}
        for name, options in variants:
            with self.subTest(variant=name):
                dataset = os.path.join(self.tmp, "colour_" + name)
                shutil.rmtree(dataset, ignore_errors=True)
                shutil.copytree(self.dataset, dataset)
                video = os.path.join(dataset, self.keys[0] + ".mp4")
                subprocess.run(["ffmpeg", "-loglevel", "error", "-y", "-i", source, *options, video], check=True, timeout=120)
                ours = self.dumped_frame("colour_" + name, dataset, self.keys[0], 12)
                reference = self.ffmpeg_frame(video, 12)
                references[name] = reference
                mean, worst = self.difference(ours, reference)
                self.assertLess(mean, 1.0, f"{name}: mean difference {mean:.2f} from ffmpeg")
                self.assertLessEqual(worst, 6, f"{name}: worst difference {worst} from ffmpeg")
        # Control: the taggings really produce different pictures, so the checks above can fail.
        mean, worst = self.difference(references["untagged"], references["bt709"])
        self.assertGreater(worst, 6, "BT.601 and BT.709 decode to the same pixels: the test cannot tell them apart")
        mean, worst = self.difference(references["untagged"], references["fullrange"])
        self.assertGreater(worst, 6, "limited and full range decode alike: the test cannot tell them apart")


class LazyOpen(unittest.TestCase):
    """10,000 clips (symlinks to a 3-clip sample): the first frame lists every row (names from
    the tree) while the logs are read in the background; once the probe index holds the clips'
    summaries, the first frame also has every tag and GT count."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="idmscope-gui-lazy-")
        sample = os.path.join(cls.tmp, "sample")
        keys = synth_sample(sample, clips=3, seed=5, size="128x80")
        cls.big = os.path.join(cls.tmp, "big")
        for count in range(10000):
            directory = os.path.join(cls.big, "clips_recording_lazy_seg%d" % (count // 100))
            os.makedirs(directory, exist_ok=True)
            source = os.path.join(sample, keys[count % 3])
            os.symlink(source + ".json", os.path.join(directory, "clip_%05d.json" % count))
            os.symlink(source + ".mp4", os.path.join(directory, "clip_%05d.mp4" % count))

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def first_frame(self):
        result = subprocess.run(XVFB + [BINARY, self.big, "--stats", "--quit-after", "4", "--size", "1280x800"],
                                capture_output=True, text=True, timeout=300)
        self.assertEqual(result.returncode, 0, result.stderr)
        line = [l for l in result.stderr.splitlines() if "at the first frame" in l]
        self.assertEqual(len(line), 1, result.stderr)
        print("\n" + line[0], file=sys.stderr)  # the figure, for the log
        words = line[0].split()
        listed_after_s = float(words[words.index("after") - 2])
        return line[0], listed_after_s

    def test_rows_at_the_first_frame_cold_and_warm(self):
        shutil.rmtree(os.path.join(self.big, ".idmscope"), ignore_errors=True)
        line, listed_after_s = self.first_frame()
        self.assertIn("browser: 10000 rows at the first frame", line)
        self.assertIn("(0 from the index)", line)
        self.assertLess(listed_after_s, 30.0)  # generous: about a second on an idle machine
        # Any full open (here the CLI's) leaves the clips' summaries in the index.
        subprocess.run([BINARY, "summary", self.big], check=True, capture_output=True, timeout=1200)
        line, listed_after_s = self.first_frame()
        self.assertIn("browser: 10000 rows at the first frame, 10000 of 10000 clips with tag and GT count (10000 from the index)", line)
        self.assertLess(listed_after_s, 30.0)


if __name__ == "__main__":
    unittest.main(verbosity=2)
