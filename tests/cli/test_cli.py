#!/usr/bin/env python3
"""CLI tests: run the real idmscope binary on datasets built from the vector files."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

BINARY = os.environ.get("IDMSCOPE_BIN", "build/app/idmscope")
VECTORS = os.environ.get("IDMSCOPE_VECTORS", "tests/vectors")
HERE = os.path.dirname(os.path.abspath(__file__))


def load(path):
    with open(path) as f:
        return json.load(f)


def run(*args, check_exit=None):
    result = subprocess.run([BINARY, *args], capture_output=True, text=True, timeout=120)
    if check_exit is not None and result.returncode != check_exit:
        raise AssertionError("%s exited %d, expected %d\nstdout:\n%s\nstderr:\n%s" % (
            " ".join(args), result.returncode, check_exit, result.stdout[-3000:], result.stderr[-3000:]))
    return result


def make_video(path, frames, fps=30, size="320x200"):
    subprocess.run(["ffmpeg", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                    "color=c=gray:size=%s:rate=%d" % (size, fps), "-frames:v", str(frames),
                    "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-g", "60", path], check=True)


class Cli(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="idmscope-cli-")
        subprocess.run([sys.executable, os.path.join(HERE, "make_vector_dataset.py"), VECTORS, cls.tmp], check=True)
        cls.reference = os.path.join(cls.tmp, "reference")
        cls.protocol = os.path.join(cls.tmp, "protocol")
        # Videos whose grid length differs from 25 for the protocol cases that need it.
        grid = load(os.path.join(cls.tmp, "protocol_grid_frames.json"))
        cls.has_ffmpeg = shutil.which("ffmpeg") is not None
        if cls.has_ffmpeg:
            for key, n_frames in grid.items():
                make_video(os.path.join(cls.protocol, key + ".mp4"), n_frames * 6, size="1728x1080")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_help_on_every_command(self):
        for command in ["score", "check", "summary", "bench"]:
            result = run(command, "--help", check_exit=0)
            self.assertIn("usage", result.stdout.lower(), command)
        self.assertEqual(run("nonsense").returncode, 2)

    def test_keys_prints_bindings_and_names_problems_in_keys_json(self):
        if os.environ.get("IDMSCOPE_GUI") == "0":
            result = run("keys", check_exit=2)
            self.assertIn("built without", result.stderr)
            self.assertIn("-DIDMSCOPE_GUI=OFF", result.stderr)
            self.skipTest("this idmscope was built without the viewer: keys answers so (checked), bindings not testable")
        good = os.path.join(self.tmp, "keys_good.json")
        with open(good, "w") as f:
            json.dump({"bindings": {"next_frame": ["D", "Right"], "pause": []}}, f)
        result = run("keys", "--config", good, check_exit=0)
        self.assertRegex(result.stdout, r"next_frame\s+D, Right\s+next grid frame")
        self.assertRegex(result.stdout, r"pause\s+\(unbound\)")
        self.assertRegex(result.stdout, r"open_dataset\s+Ctrl\+O")
        bad = os.path.join(self.tmp, "keys_bad.json")
        with open(bad, "w") as f:
            json.dump({"bindings": {"play_pause": "Ctrl+O", "jump": "X", "last_frame": "Meta+E"}}, f)
        result = run("keys", "--config", bad, check_exit=1)
        lines = result.stderr.strip().splitlines()
        self.assertEqual(len(lines), 3, result.stderr)
        for line in lines:
            self.assertTrue(line.startswith("idmscope keys: " + bad + ": "), line)
        self.assertIn("Ctrl+O is bound to both play_pause and open_dataset", result.stderr)
        self.assertIn('unknown action "jump"', result.stderr)
        self.assertIn("unknown modifier 'Meta'", result.stderr)
        self.assertRegex(result.stdout, r"open_dataset\s+\(unbound\)")

    def test_results_mode_matches_reference_for_all_six_settings(self):
        expected = load(os.path.join(VECTORS, "rescore_expected.json"))
        for name, summary in expected.items():
            out = os.path.join(self.tmp, name + ".json")
            args = ["score", "--results", os.path.join(VECTORS, "rescore_results.json"),
                    "--tolerance", str(summary["tolerance"]), "--json", out]
            if summary["coalesce"]:
                args.append("--coalesce")
            result = run(*args, check_exit=0)
            self.assertIn("Per clip", result.stdout)
            self.assertEqual(load(out), summary, name)

    def test_reference_profile_equals_reference_scorer_per_clip_and_type(self):
        out = os.path.join(self.tmp, "reference_profile.json")
        run("score", "--dataset", self.reference, "--predictions", os.path.join(VECTORS, "rescore_results.json"),
            "--profile", "reference", "--json", out, "--quiet", check_exit=0)
        ours = load(out)
        reference = load(os.path.join(VECTORS, "rescore_expected.json"))["t2c"]
        by_name = {c["clip"].split("/")[-1]: c for c in ours["clips"]}
        self.assertEqual(len(by_name), len(reference["clips"]))
        for clip in reference["clips"]:
            mine = by_name[clip["clip_name"]]
            for field in ("tp", "fp", "fn", "gt_count", "pred_count"):
                self.assertEqual(mine[field], clip[field], (clip["clip_name"], field))
        for type_name, counts in reference["per_type"].items():
            for field in ("tp", "fp", "fn"):
                self.assertEqual(ours["per_type"][type_name][field], counts[field], (type_name, field))
        for field in ("tp", "fp", "fn"):
            self.assertEqual(ours["overall"][field], reference["overall"][field])

    def test_protocol_profile_totals_match_protocol_vectors(self):
        if not self.has_ffmpeg:
            self.skipTest("ffmpeg CLI not installed")
        out = os.path.join(self.tmp, "protocol.json")
        csv = os.path.join(self.tmp, "protocol.csv")
        run("score", "--dataset", self.protocol, "--predictions", os.path.join(self.protocol, "predictions"),
            "--profile", "protocol", "--json", out, "--csv", csv, "--quiet", check_exit=0)
        ours = load(out)
        totals = load(os.path.join(self.tmp, "protocol_expected_totals.json"))
        for type_name, counts in totals.items():
            for field, value in counts.items():
                self.assertEqual(ours["per_type"][type_name][field], value, (type_name, field))
        self.assertEqual(ours["profile"], "protocol")
        pooled = load(os.path.join(VECTORS, "protocol_cases.json"))["pooled_mouse"]
        for field, value in pooled.items():
            if value is None:
                self.assertIsNone(ours["mouse"][field], field)
            else:
                self.assertAlmostEqual(ours["mouse"][field], value, delta=1e-9 * max(1, abs(value)), msg=field)
        lines = open(csv).read().splitlines()
        self.assertEqual(len(lines), 1 + 16)
        self.assertTrue(lines[0].startswith("clip,tag,error,gt_count"))

    def test_check_reports_problems_and_notes_with_exit_codes(self):
        result = run("check", self.reference, "--json", "-")
        self.assertEqual(result.returncode, 1)  # the clips have no videos
        report = json.loads(result.stdout)
        kinds = {f["kind"] for f in report["findings"]}
        self.assertIn("no-video", kinds)
        self.assertEqual(report["clips"], 40)
        self.assertEqual(run("check", os.path.join(self.tmp, "nope")).returncode, 2)

    def test_check_flags_out_of_range_indices_and_gesture_mismatch(self):
        dataset = os.path.join(self.tmp, "check_case")
        shutil.copytree(self.protocol, dataset)
        key = sorted(load(os.path.join(dataset, "gt_overrides.json")).keys())[0]
        with open(os.path.join(dataset, "gesture_gt_norm.json"), "w") as f:
            json.dump({key: [{"frame": 3, "type": "MouseMove", "details": "999,999"}]}, f)
        result = run("check", dataset, "--json", "-")
        self.assertEqual(result.returncode, 1)
        findings = json.loads(result.stdout)["findings"]
        kinds = {f["kind"] for f in findings}
        self.assertIn("index-out-of-range", kinds)
        self.assertIn("gesture-mismatch", kinds)
        self.assertIn("unknown-clip", kinds)

    def test_one_broken_clip_does_not_stop_the_dataset(self):
        dataset = os.path.join(self.tmp, "broken_case")
        shutil.copytree(self.reference, dataset)
        victim = sorted(os.listdir(os.path.join(dataset, "clips_recording_1111aaaa_seg0")))[0]
        with open(os.path.join(dataset, "clips_recording_1111aaaa_seg0", victim), "w") as f:
            f.write('{"start_s": 1.0, "actions": [[1, ["KeyPress"')
        out = os.path.join(self.tmp, "broken.json")
        result = run("score", "--dataset", dataset, "--predictions", os.path.join(VECTORS, "rescore_results.json"),
                     "--profile", "reference", "--json", out, check_exit=0)
        self.assertIn("UNREADABLE", result.stdout)
        clips = load(out)["clips"]
        broken = [c for c in clips if "error" in c]
        self.assertEqual(len(broken), 1)
        self.assertIn("line 1", broken[0]["error"])
        self.assertEqual(len(clips), 40)
        check = run("check", dataset)
        self.assertEqual(check.returncode, 1)
        self.assertIn(victim, check.stdout)

    def test_summary_lists_every_clip(self):
        result = run("summary", self.protocol, check_exit=0)
        self.assertIn("16 clips", result.stdout)
        if self.has_ffmpeg:
            self.assertIn("1728x1080 h264, 26 grid frames", result.stdout)
            self.assertIn("24 grid frames", result.stdout)

    def test_bad_arguments_give_one_line_and_exit_2(self):
        for args in (["score"], ["score", "--results", "x"], ["score", "--dataset", self.reference],
                     ["check"], ["score", "--results", "x", "--tolerance", "abc"]):
            result = run(*args)
            self.assertEqual(result.returncode, 2, args)
            self.assertEqual(len(result.stderr.strip().splitlines()), 1, (args, result.stderr))

    def test_unknown_profile_is_a_clear_error(self):
        result = run("score", "--dataset", self.reference, "--predictions", os.path.join(VECTORS, "rescore_results.json"),
                     "--profile", "nosuch")
        self.assertEqual(result.returncode, 1)
        self.assertIn("no profile named 'nosuch'", result.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
