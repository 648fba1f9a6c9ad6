#!/usr/bin/env python3
"""`idmscope synth`: the sample dataset is clean, scores plausibly, is deterministic, and its
videos show what its logs say (the cursor sprite moves by the logged MouseMove deltas)."""
import glob
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
import unittest

BINARY = os.environ.get("IDMSCOPE_BIN", "build/app/idmscope")
WIDTH, HEIGHT = 640, 400
FPS = 30


def shown_source_frame(grid_frame):
    """The video frame `ffmpeg -vf fps=5` outputs as image F (video-frames.md): the last frame
    whose slot round_half_up(t * 5) is <= F; at 30 fps that is 6F + 2."""
    i = 0
    while int((i + 1) * 5 / FPS + 0.5) <= grid_frame:
        i += 1
    return i


def run(*args):
    result = subprocess.run([BINARY, *args], capture_output=True, text=True, timeout=300)
    if result.returncode != 0:
        raise AssertionError("%s exited %d\n%s\n%s" % (" ".join(args), result.returncode, result.stdout[-3000:],
                                                       result.stderr[-3000:]))
    return result


def synth(out, seed=7):
    run("synth", out, "--clips", "4", "--seed", str(seed), "--size", "%dx%d" % (WIDTH, HEIGHT))


def hashes(root):
    out = {}
    for path in sorted(glob.glob(os.path.join(root, "**", "*"), recursive=True)):
        if os.path.isfile(path):
            with open(path, "rb") as f:
                out[os.path.relpath(path, root)] = hashlib.sha256(f.read()).hexdigest()
    return out


def score(dataset, source, tmp):
    out = os.path.join(tmp, "score.json")
    run("score", "--dataset", dataset, "--predictions", source, "--profile", "reference", "--json", out)
    with open(out) as f:
        return json.load(f)


def grid_frames_rgb(mp4):
    raw = subprocess.run(["ffmpeg", "-loglevel", "error", "-i", mp4, "-vf", "fps=5", "-f", "rawvideo", "-pix_fmt",
                          "rgb24", "-"], capture_output=True, check=True).stdout
    size = WIDTH * HEIGHT * 3
    return [raw[i:i + size] for i in range(0, len(raw), size)]


def cursor_centroid(frame):
    """Centre of the pixels in the cursor's unique magenta fill."""
    xs = ys = n = 0
    for i in range(0, len(frame), 3):
        r, g, b = frame[i], frame[i + 1], frame[i + 2]
        if r > 170 and b > 170 and g < 110:
            p = i // 3
            xs += p % WIDTH
            ys += p // WIDTH
            n += 1
    return (xs / n, ys / n, n) if n else None


class Synth(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="idmscope-synth-")
        cls.data = os.path.join(cls.tmp, "a")
        synth(cls.data)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_layout_and_check_is_clean(self):
        clips = sorted(glob.glob(os.path.join(self.data, "clips_recording_*_seg0", "clip_*.json")))
        self.assertEqual(len(clips), 4)
        tags = set()
        for path in clips:
            self.assertTrue(os.path.exists(path[:-5] + ".mp4"))
            with open(path) as f:
                clip = json.load(f)
            self.assertGreater(clip["start_s"], 0)
            self.assertAlmostEqual(clip["end_s"] - clip["start_s"], 5.0, places=6)
            tags.add(clip["tag"])
        self.assertIn("scroll/drag", tags)
        for name in ["annotations.json", "gt_overrides.json", "gesture_gt_exp.json", "gesture_gt_norm.json"]:
            self.assertTrue(os.path.exists(os.path.join(self.data, name)), name)
        result = run("check", self.data)
        self.assertIn("0 problems", result.stdout)

    def test_raw_log_has_the_recorder_quirks(self):
        text = ""
        for path in glob.glob(os.path.join(self.data, "clips_recording_*", "clip_*.json")):
            with open(path) as f:
                text += f.read()
        for needle in ['"Backspace"', '"ShiftLeft"', '"MouseMove"', '"MouseScroll"', '"Left"', '"Right"', '{"Other":4}']:
            self.assertIn(needle, text)

    def test_good_beats_weak_and_folder_equals_results_file(self):
        f1 = {}
        for name in ["good", "weak"]:
            results = score(self.data, os.path.join(self.data, "predictions", name + ".json"), self.tmp)
            folder = score(self.data, os.path.join(self.data, "predictions", name), self.tmp)
            overall = results["overall"]
            self.assertEqual((overall["tp"], overall["fp"], overall["fn"]),
                             (folder["overall"]["tp"], folder["overall"]["fp"], folder["overall"]["fn"]), name)
            self.assertEqual([(c["clip"], c["tp"], c["fp"], c["fn"]) for c in results["clips"]],
                             [(c["clip"], c["tp"], c["fp"], c["fn"]) for c in folder["clips"]], name)
            f1[name] = overall["f1"]
        self.assertGreater(f1["weak"], 0.0)
        self.assertGreater(f1["good"], f1["weak"])
        self.assertGreater(f1["good"], 0.8)

    def test_same_seed_same_bytes(self):
        again = os.path.join(self.tmp, "b")
        synth(again)
        self.assertEqual(hashes(self.data), hashes(again))
        other = os.path.join(self.tmp, "c")
        synth(other, seed=8)
        self.assertNotEqual(hashes(self.data), hashes(other))

    def test_cursor_moves_by_logged_deltas(self):
        checked = 0
        for path in sorted(glob.glob(os.path.join(self.data, "clips_recording_*", "clip_*.json"))):
            with open(path) as f:
                clip = json.load(f)
            start_us = round(clip["start_s"] * 1e6)
            moves = sorted((a[0] - start_us, a[1][1]) for a in clip["actions"] if a[1][0] == "MouseMove")
            frames = grid_frames_rgb(path[:-5] + ".mp4")
            self.assertEqual(len(frames), 25)
            first = cursor_centroid(frames[0])
            self.assertIsNotNone(first)

            def logged_offset(index):
                # The renderer shows, on video frame i, every event at or before i / fps.
                source = shown_source_frame(index)
                return (sum(m[1][0] for m in moves if m[0] * FPS <= source * 1000000),
                        sum(m[1][1] for m in moves if m[0] * FPS <= source * 1000000))

            base = logged_offset(0)
            for index, frame in enumerate(frames):
                found = cursor_centroid(frame)
                self.assertIsNotNone(found, "%s F%02d: no cursor" % (path, index))
                dx, dy = (a - b for a, b in zip(logged_offset(index), base))
                self.assertLess(abs(found[0] - first[0] - dx), 3.0, "%s F%02d x" % (path, index))
                self.assertLess(abs(found[1] - first[1] - dy), 3.0, "%s F%02d y" % (path, index))
                checked += 1
        self.assertEqual(checked, 100)


if __name__ == "__main__":
    unittest.main()
