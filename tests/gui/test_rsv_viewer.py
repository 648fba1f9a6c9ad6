#!/usr/bin/env python3
"""GUI tests of the RSV mode: the real viewer under Xvfb on a `synth --rsv` release (320x180
frames). The viewer prints what its RSV panels drew on exit (--screenshot / --quit-after):
rsv-row, rsv-view, rsv-minimap and rsv-notice lines; keys are sent with xdotool."""
import json
import os
import re
import shutil
import subprocess
import tempfile
import unittest

BINARY = os.environ.get("IDMSCOPE_BIN", "build/app/idmscope")
XVFB = ["xvfb-run", "-a", "-s", "-screen 0 1920x1080x24"]
os.environ.setdefault("IDMSCOPE_FRAME_IO_GUARD", "abort")

INVERSE = "inverse_easy/run_20260112_093001__traj_1"
GOOD_PAIR = "equivalence_easy/run_20260112_093001__pair_100"
FAR_PAIR = "equivalence_easy/run_20260113_141500__pair_101"
BROKEN_META = "loop_easy/run_20260112_093001__traj_2_meta.json"


def parse(stdout):
    rows, view, minimap, notices = {}, {}, {}, []
    for line in stdout.splitlines():
        if line.startswith("rsv-row "):
            fields = dict(part.split("=", 1) for part in line.split()[1:])
            rows[fields["key"]] = fields
        elif line.startswith("rsv-view "):
            view = dict(part.split("=", 1) for part in line.split()[1:])
        elif line.startswith("rsv-minimap "):
            minimap = dict(part.split("=", 1) for part in line.split()[1:])
        elif line.startswith("rsv-notice "):
            notices.append(line)
    return rows, view, minimap, notices


class RsvViewer(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="idmscope-rsv-gui-")
        cls.release = os.path.join(cls.tmp, "release")
        subprocess.run([BINARY, "synth", "--rsv", cls.release, "--size", "320x180", "--per-split", "1"],
                       check=True, capture_output=True, timeout=300)
        with open(os.path.join(cls.release, "fixture_manifest.json")) as f:
            cls.manifest = json.load(f)
        cls.env = dict(os.environ, XDG_CONFIG_HOME=os.path.join(cls.tmp, "config"))
        cls.shots = os.environ.get("IDMSCOPE_RSV_SHOTS", cls.tmp)

    @classmethod
    def tearDownClass(cls):
        if "IDMSCOPE_RSV_SHOTS" not in os.environ:
            shutil.rmtree(cls.tmp, ignore_errors=True)

    def meta(self, member_key):
        with open(os.path.join(self.release, member_key + "_meta.json")) as f:
            return json.load(f)

    def screenshot(self, name, *args):
        out = os.path.join(self.shots, f"rsv_{name}.png")
        result = subprocess.run(XVFB + [BINARY, self.release, "--screenshot", out, *args], capture_output=True, text=True,
                                timeout=300, env=self.env)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertTrue(os.path.exists(out))
        return parse(result.stdout)

    def test_browser_lists_every_item_with_the_checks_verdicts(self):
        rows, _, _, _ = self.screenshot("browser")
        keys = {item["key"] for item in self.manifest["items"]}
        self.assertTrue(keys <= set(rows), sorted(keys - set(rows)))
        for item in self.manifest["items"]:
            row = rows[item["key"]]
            for layer in ("layer1", "layer2"):
                want = item[layer]
                if want == "any":
                    continue
                self.assertEqual(row[layer], "none" if want is None else want, (item["key"], layer, item["problem"]))
            self.assertEqual(int(row["errors"]) > 0, item["errors"], item["key"])

    def test_a_broken_file_opens_with_the_others_and_is_named(self):
        rows, _, _, notices = self.screenshot("log", "--tab", "log")
        self.assertIn("loop_easy/run_20260112_093001__traj_2", rows)
        self.assertTrue(any(BROKEN_META in line and "not JSON at line" in line for line in notices), notices)

    def test_minimap_pose_is_the_shown_frames_pose(self):
        meta = self.meta(INVERSE)
        for frame in (0, 27, 184, 359):
            _, view, minimap, _ = self.screenshot(f"inverse_f{frame}", "--clip", INVERSE, "--frame", str(frame))
            self.assertEqual(minimap["frame"], str(frame))
            step, j = divmod(frame, 9)
            s = meta["steps"][step]
            t = j / 9.0  # frame phase "start"
            want_x = s["start_pos"][0] + t * (s["actual_end_pos"][0] - s["start_pos"][0])
            want_y = s["start_pos"][1] + t * (s["actual_end_pos"][1] - s["start_pos"][1])
            got_x, got_y = (float(v) for v in minimap["pose_cm"].split(","))
            self.assertAlmostEqual(got_x, want_x, places=1)
            self.assertAlmostEqual(got_y, want_y, places=1)

    def test_stepping_an_inverse_trajectory_moves_the_minimap_pose_along_the_path(self):
        if not shutil.which("xdotool"):
            self.skipTest("xdotool not installed")
        meta = self.meta(INVERSE)
        # Enough presses to reach the first step that starts somewhere else (turns do not move).
        moving = next(k for k, step in enumerate(meta["steps"]) if step["start_pos"][:2] != meta["steps"][0]["start_pos"][:2])
        self.assertLessEqual(moving, 12)
        markers = []
        for presses in (0, moving):
            out = os.path.join(self.shots, f"rsv_steps{presses}.png")
            keys = " ".join(["Page_Down"] * presses)  # the next action step
            script = (
                f"{BINARY} {self.release} --clip {INVERSE} --frame 0 --size 1600x1000 --quit-after 40 > {self.tmp}/steps{presses}.out & pid=$!; "
                "for i in $(seq 150); do w=$(xdotool search --name idmscope 2>/dev/null | head -1); [ -n \"$w\" ] && break; sleep 0.2; done; "
                # Held for 0.4 s: imgui 1.86 sees a key only if a frame falls between down and up,
                # and a sanitizer build on a loaded machine draws slowly.
                "sleep 4; xdotool windowactivate --sync $w 2>/dev/null; xdotool mousemove 5 5; "
                f"for k in {keys}; do xdotool keydown $k; sleep 0.4; xdotool keyup $k; sleep 0.6; done; "
                f"sleep 2; import -window root {out} 2>/dev/null; kill $pid; wait $pid; true"
            )
            result = subprocess.run(XVFB + ["bash", "-c", script], capture_output=True, text=True, timeout=300, env=self.env)
            with open(f"{self.tmp}/steps{presses}.out") as f:
                _, _, minimap, _ = parse(f.read())
            self.assertTrue(minimap, result.stderr)
            self.assertEqual(minimap["frame"], str(presses * 9), result.stderr)
            got = [float(v) for v in minimap["pose_cm"].split(",")]
            want = meta["steps"][presses]["start_pos"][:2]
            self.assertAlmostEqual(got[0], want[0], places=1)
            self.assertAlmostEqual(got[1], want[1], places=1)
            markers.append([float(v) for v in minimap["marker"].split(",")])
        self.assertNotEqual(markers[0], markers[1], "the drawn marker must move with the pose")

    def test_pair_difference_is_dark_where_poses_coincide_and_bright_where_not(self):
        a = self.meta(GOOD_PAIR + "_A_traj_1")["steps"]
        b = self.meta(GOOD_PAIR + "_B_traj_2")["steps"]
        apart = [((sa["start_pos"][0] - sb["start_pos"][0]) ** 2 + (sa["start_pos"][1] - sb["start_pos"][1]) ** 2) ** 0.5
                 for sa, sb in zip(a, b)]
        furthest = max(range(len(apart)), key=lambda k: apart[k])
        self.assertGreater(apart[furthest], 100.0, "A and B must be apart somewhere, or this proves nothing")
        _, end_view, _, _ = self.screenshot("pair_f359", "--clip", GOOD_PAIR, "--frame", "359")
        _, apart_view, _, _ = self.screenshot("pair_apart", "--clip", GOOD_PAIR, "--frame", str(furthest * 9))
        self.assertEqual(end_view["item"], GOOD_PAIR)
        self.assertEqual(apart_view["frame"], str(furthest * 9))
        self.assertLess(float(end_view["difference_mean"]), 3.0)
        self.assertGreater(float(apart_view["difference_mean"]), 10.0)

    def test_the_planted_failing_pairs_closure_residual_is_drawn(self):
        _, _, minimap, _ = self.screenshot("far_pair", "--clip", FAR_PAIR, "--frame", "359")
        self.assertEqual(minimap["residual_drawn"], "1")
        self.assertAlmostEqual(float(minimap["residual_cm"]), 100.0, delta=0.5)
        _, _, good, _ = self.screenshot("good_pair", "--clip", GOOD_PAIR, "--frame", "359")
        self.assertEqual(good["residual_drawn"], "0")

    def test_dump_frame_writes_the_native_frame(self):
        frame_png = os.path.join(self.tmp, "frame.png")
        self.screenshot("dump", "--clip", INVERSE, "--frame", "100", "--dump-frame", frame_png)
        with open(frame_png, "rb") as f:
            header = f.read(24)
        self.assertEqual(header[:8], b"\x89PNG\r\n\x1a\n")
        self.assertEqual(int.from_bytes(header[16:20], "big"), 320)
        self.assertEqual(int.from_bytes(header[20:24], "big"), 180)


if __name__ == "__main__":
    unittest.main()
