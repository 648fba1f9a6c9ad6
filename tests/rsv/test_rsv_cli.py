#!/usr/bin/env python3
"""Reasoning-Structured Videos from the command line: `synth --rsv` writes a release whose
planted problems `rsv check` must each give its verdict; Layer 2's PSNR against the ffmpeg
oracle of rsv.md §5; `rsv conventions` recovers the table the release was made with; bad
inputs get one line each and never a crash; determinism; `bench rsv` runs."""
import glob
import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
import unittest

BINARY = os.environ.get("IDMSCOPE_BIN", "build/app/idmscope")
ASSETS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "assets", "rsv", "conventions.json")
SIZE = "320x180"


def run(*args, expect=(0,), timeout=300):
    result = subprocess.run([BINARY, *args], capture_output=True, text=True, timeout=timeout)
    if result.returncode not in expect:
        raise AssertionError("%s exited %d (expected %s)\n%s\n%s" % (" ".join(args), result.returncode, expect,
                                                                     result.stdout[-4000:], result.stderr[-3000:]))
    return result


def file_hashes(root):
    out = {}
    for path in sorted(glob.glob(os.path.join(root, "**", "*"), recursive=True)):
        if os.path.isfile(path):
            with open(path, "rb") as handle:
                out[os.path.relpath(path, root)] = hashlib.sha256(handle.read()).hexdigest()
    return out


def oracle_psnr(a, a_frame, b, b_frame):
    graph = ("[0:v]select=eq(n\\,%d),setpts=0,format=rgb24[a];[1:v]select=eq(n\\,%d),setpts=0,format=rgb24[b];"
             "[a][b]psnr" % (a_frame, b_frame))
    result = subprocess.run(["ffmpeg", "-hide_banner", "-nostats", "-nostdin", "-i", a, "-i", b, "-lavfi", graph, "-f",
                             "null", "-"], capture_output=True, text=True, timeout=120)
    found = re.findall(r"average:(\S+)", result.stderr)
    if result.returncode != 0 or not found:
        raise AssertionError("ffmpeg oracle failed on %s / %s:\n%s" % (a, b, result.stderr[-2000:]))
    return float("inf") if found[-1] == "inf" else float(found[-1])


class RsvRelease(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="idmscope-rsv-")
        cls.release = os.path.join(cls.tmp, "result_dataset")
        out = run("synth", "--rsv", cls.release, "--seed", "5", "--size", SIZE, "--per-split", "2").stdout
        assert "planted" in out, out
        with open(os.path.join(cls.release, "fixture_manifest.json")) as handle:
            cls.manifest = json.load(handle)
        cls.report_path = os.path.join(cls.tmp, "report.json")
        cls.check = run("rsv", "check", cls.release, "--json", cls.report_path, "--ssim", expect=(1,))
        with open(cls.report_path) as handle:
            cls.report = json.load(handle)
        cls.items = {item["key"]: item for item in cls.report["items"]}

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_layout_and_metadata_follow_the_card(self):
        splits = sorted(os.listdir(self.release))
        self.assertEqual(splits, sorted(["equivalence_easy", "fixture_manifest.json", "inverse_easy", "inverse_hard",
                                         "loop_easy", "loop_hard"]))
        metas = glob.glob(os.path.join(self.release, "inverse_easy", "*_meta.json"))
        self.assertTrue(metas)
        with open(sorted(metas)[0]) as handle:
            meta = json.load(handle)
        self.assertEqual(list(meta)[:4], ["trajectory_id", "data_type", "trajectory_type", "algebraic_property"])
        self.assertEqual(meta["render_config"]["modalities"], ["rgb", "depth"])
        self.assertEqual((meta["total_steps"], meta["frames_per_step"], meta["total_frames"]), (40, 9, 360))
        self.assertTrue(0 <= meta["root_state"]["rotation"][1] < 360)
        for step in meta["steps"]:
            for value in step["start_pos"] + step["actual_end_pos"] + step["expected_end_pos"]:
                self.assertAlmostEqual(value * 10, round(value * 10), places=6)
            self.assertTrue(-180 < step["start_rot"][1] <= 180)
        pairs = glob.glob(os.path.join(self.release, "equivalence_easy", "*__pair_*_B_traj_*_meta.json"))
        self.assertTrue(pairs)
        with open(sorted(pairs)[0]) as handle:
            b = json.load(handle)
        self.assertEqual(b["paired_trajectory"]["role"], "path_B")
        self.assertEqual(b["paired_trajectory"]["partner_trajectory_id"], b["trajectory_id"] - 1)
        self.assertEqual(meta["video_encoding"], {"fps": 16.0, "crf": 28, "resolution": SIZE, "codec": "libx264"})

    def test_every_manifest_entry_gets_its_verdict(self):
        self.assertEqual(self.report["settings"], {"endpoints": "video-ends", "phase": "start", "psnr_min_db": 30})
        problems = [entry["problem"] for entry in self.manifest["items"] if entry["problem"] != "none"]
        self.assertEqual(sorted(problems), sorted([
            "drift-0.8cm", "drift-1.5cm", "unreversed-inverse", "missing-field", "truncated-video", "scene-change-last-step",
            "nan", "collision", "placeholder", "orphan-mp4", "b-ends-100cm-away", "two-A-halves"]))
        for entry in self.manifest["items"]:
            with self.subTest(key=entry["key"], problem=entry["problem"]):
                self.assertIn(entry["key"], self.items)
                item = self.items[entry["key"]]
                self.assertEqual(bool(item["errors"]), entry["errors"], item["errors"])
                for layer in ("layer1", "layer2"):
                    if entry[layer] != "any":
                        self.assertEqual(item[layer]["verdict"], entry[layer], json.dumps(item, indent=1)[:3000])
                text = json.dumps(item["errors"] + item["warnings"] + [item["layer1"]["reason"] or "", item["layer2"]["reason"] or ""])
                self.assertIn(entry["message"].replace('"', '\\"'), text)
        # Every item of the report is in the manifest, and the printed report names each failure.
        self.assertEqual(set(self.items), {entry["key"] for entry in self.manifest["items"]})
        for entry in self.manifest["items"]:
            if entry["errors"] or "fail" in (entry["layer1"], entry["layer2"]):
                self.assertIn("FAIL " + entry["key"], self.check.stdout)

    def test_report_json_shape(self):
        item = next(iter(self.items.values()))
        for key in ("key", "split", "relation", "members", "errors", "warnings", "notes", "layer1", "layer2"):
            self.assertIn(key, item)
        for key in ("verdict", "worst_step", "max_step_deviation_cm", "closure_residual_cm", "closure_residual_deg"):
            self.assertIn(key, item["layer1"])
        for key in ("verdict", "frames", "mse", "psnr_db", "ssim"):
            self.assertIn(key, item["layer2"])
        pair = next(i for i in self.items.values() if i["split"] == "equivalence_easy" and not i["errors"])
        self.assertEqual(len(pair["members"]), 2)
        self.assertEqual([f[1] for f in pair["layer2"]["frames"]], [359, 359])
        self.assertEqual([f[0] for f in pair["layer2"]["frames"]], pair["members"])
        single = next(i for i in self.items.values() if i["split"] == "inverse_easy" and not i["errors"])
        self.assertEqual(single["layer2"]["frames"], [[single["key"], 0], [single["key"], 359]])
        self.assertTrue(single["structure"].startswith("K="))
        for split, numbers in self.report["splits"].items():
            self.assertEqual(set(numbers), {"items", "errors", "layer1_pass", "layer2_pass", "psnr_db"})
            self.assertLessEqual(numbers["psnr_db"]["min"], numbers["psnr_db"]["p5"])
            self.assertLessEqual(numbers["psnr_db"]["p5"], numbers["psnr_db"]["median"])
        # Notes: depth is listed in render_config.modalities but not shipped.
        self.assertTrue(any("lists depth" in note for note in single["notes"]))
        good = [i for i in self.items.values() if i["layer2"]["verdict"] == "pass"]
        self.assertTrue(all(0.5 < i["layer2"]["ssim"] <= 1.0 for i in good))

    def test_layer2_matches_the_ffmpeg_oracle(self):
        if not shutil.which("ffmpeg"):
            self.skipTest("ffmpeg CLI not installed: the oracle cannot run")
        checked = 0
        for item in self.report["items"]:
            if item["layer2"]["psnr_db"] is None:
                continue
            (a_key, a_frame), (b_key, b_frame) = item["layer2"]["frames"]
            a = os.path.join(self.release, a_key + ".mp4")
            b = os.path.join(self.release, b_key + ".mp4")
            expected = min(oracle_psnr(a, a_frame, b, b_frame), 100.0)
            with self.subTest(key=item["key"]):
                self.assertLessEqual(abs(item["layer2"]["psnr_db"] - expected), 0.1, (item["layer2"], expected))
            checked += 1
        self.assertGreaterEqual(checked, 15)

    def test_explicit_and_closure_endpoints(self):
        out = os.path.join(self.tmp, "closure.json")
        run("rsv", "check", os.path.join(self.release, "inverse_easy"), "--endpoints", "closure", "--json", out, expect=(1,))
        with open(out) as handle:
            report = json.load(handle)
        self.assertEqual(report["settings"]["endpoints"], "closure")
        good = [i for i in report["items"] if not i["errors"] and i["layer1"]["verdict"] == "pass"]
        self.assertTrue(good)
        for item in good:
            start, end = item["layer2"]["frames"]
            self.assertEqual(start[1], 0)
            self.assertLess(end[1], 359)  # the first frame of the no_op padding shows the closure pose
        run("rsv", "check", os.path.join(self.release, "inverse_easy"), "--endpoints", "5,5", "--json", out, expect=(0, 1))
        with open(out) as handle:
            report = json.load(handle)
        same = [i for i in report["items"] if i["layer2"]["psnr_db"] is not None]
        self.assertTrue(same and all(i["layer2"]["psnr_db"] == 100 for i in same))
        run("rsv", "check", self.release, "--endpoints", "ends", expect=(2,))
        run("rsv", "check", self.release, "--phase", "middle", expect=(2,))

    def test_summary(self):
        out = run("rsv", "summary", self.release).stdout
        for split in ("inverse_easy", "inverse_hard", "loop_easy", "loop_hard", "equivalence_easy"):
            self.assertIn(split, out)
        self.assertIn("pairs", out)
        self.assertIn("pad end", out)
        self.assertRegex(out, r"rectangle|triangle|hexagon")
        self.assertIn("commutative-shuffle", out)
        self.assertIn("frames     360", out)
        self.assertIn("the card's release has 246", out)

    def test_conventions_recover_the_table(self):
        table_out = os.path.join(self.tmp, "measured.json")
        out = run("rsv", "conventions", self.release, "--write-table", table_out).stdout
        self.assertIn("the table holds", out)
        with open(table_out) as handle:
            measured = {a["name"]: a for a in json.load(handle)["actions"]}
        with open(ASSETS) as handle:
            shipped = {a["name"]: a for a in json.load(handle)["actions"]}
        self.assertEqual(set(measured), set(shipped))
        for name, action in shipped.items():
            for key in ("id", "forward_cm", "right_cm", "up_cm", "yaw_deg", "pitch_deg"):
                with self.subTest(action=name, field=key):
                    self.assertAlmostEqual(measured[name][key], action[key], delta=0.11)
        # A deliberately changed table: +yaw turns left, look_up is pitch down.
        changed = os.path.join(self.tmp, "changed.json")
        with open(ASSETS) as handle:
            table = json.load(handle)
        for action in table["actions"]:
            if action["name"].startswith(("turn_", "look_")):
                action["yaw_deg"], action["pitch_deg"] = -action["yaw_deg"], -action["pitch_deg"]
        with open(changed, "w") as handle:
            json.dump(table, handle)
        mismatch = run("rsv", "conventions", self.release, "--table", changed, expect=(1,)).stdout
        self.assertIn("MISMATCH", mismatch)
        for name in ("turn_left", "turn_right", "look_up", "look_down"):
            self.assertRegex(mismatch, name + r".*\n(.*\n)*?\s+verdict\s+contradicted")
        # The check says it used the measured effect, and Layer 1 keeps its verdicts.
        out = os.path.join(self.tmp, "changed_report.json")
        check = run("rsv", "check", self.release, "--table", changed, "--no-pixels", "--json", out, expect=(1,))
        self.assertIn("the checks use the measured effect", check.stdout)
        with open(out) as handle:
            report = json.load(handle)
        self.assertEqual(sorted(report["settings"]["conventions_measured"]), ["look_down", "look_up", "turn_left", "turn_right"])
        for item in report["items"]:
            self.assertEqual(item["layer1"]["verdict"], self.items[item["key"]]["layer1"]["verdict"], item["key"])

    def test_release_made_with_another_table(self):
        changed = os.path.join(self.tmp, "left_handed.json")
        with open(ASSETS) as handle:
            table = json.load(handle)
        for action in table["actions"]:
            if action["name"].startswith("turn_"):
                action["yaw_deg"] = -action["yaw_deg"]
        with open(changed, "w") as handle:
            json.dump(table, handle)
        release = os.path.join(self.tmp, "other_table")
        run("synth", "--rsv", release, "--per-split", "2", "--metadata-only", "--table", changed, "--seed", "9")
        self.assertEqual(glob.glob(os.path.join(release, "*", "*.mp4")), [])
        mismatch = run("rsv", "conventions", release, expect=(1,)).stdout
        self.assertRegex(mismatch, r"turn_left.*\n(.*\n)*?\s+verdict\s+contradicted")
        self.assertIn("yaw: measured 15.00 deg, the table says -15.00", mismatch)
        run("rsv", "conventions", release, "--table", changed)

    def test_same_seed_same_bytes(self):
        again = os.path.join(self.tmp, "again")
        run("synth", "--rsv", again, "--seed", "5", "--size", SIZE, "--per-split", "2")
        self.assertEqual(file_hashes(again), file_hashes(self.release))
        other = os.path.join(self.tmp, "other_seed")
        run("synth", "--rsv", other, "--seed", "6", "--size", SIZE, "--per-split", "1", "--metadata-only")
        self.assertNotEqual(file_hashes(other).get("fixture_manifest.json"), file_hashes(self.release)["fixture_manifest.json"])

    def test_bench_rsv(self):
        if not shutil.which("ffmpeg"):
            self.skipTest("ffmpeg CLI not installed: bench rsv compares against it")
        out = os.path.join(self.tmp, "bench.json")
        result = run("bench", "rsv", self.release, "--layer2", "3", "--repeat", "1", "--json", out).stdout
        self.assertIn("layer 1:", result)
        self.assertIn("ffmpeg/idmscope", result)
        with open(out) as handle:
            bench = json.load(handle)
        self.assertEqual(bench["layer2"]["items"], 3)
        self.assertLessEqual(bench["layer2"]["max_psnr_difference_db"], 0.1)


class RsvBadInput(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="idmscope-rsv-bad-")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def test_only_zip_files(self):
        for split in ("inverse_easy", "loop_easy"):
            with open(os.path.join(self.tmp, split + ".zip"), "wb") as handle:
                handle.write(b"PK\x03\x04")
        for command in ("check", "summary", "conventions"):
            result = run("rsv", command, self.tmp, expect=(2,))
            self.assertIn("unpack the release first", result.stderr)
        nested = os.path.join(self.tmp, "download")
        os.makedirs(nested)
        shutil.move(os.path.join(self.tmp, "loop_easy.zip"), nested)
        self.assertIn("unpack the release first", run("rsv", "check", nested, expect=(2,)).stderr)
        self.assertIn("not a folder", run("rsv", "check", os.path.join(self.tmp, "missing"), expect=(2,)).stderr)
        empty = os.path.join(self.tmp, "empty")
        os.makedirs(empty)
        self.assertIn("no RSV split", run("rsv", "check", empty, expect=(2,)).stderr)

    def test_each_malformed_file_gets_a_line_and_the_rest_is_checked(self):
        release = os.path.join(self.tmp, "flat")
        run("synth", "--rsv", release, "--per-split", "1", "--no-planted", "--size", "128x72", "--seed", "2")
        split = os.path.join(release, "inverse_easy")
        metas = sorted(glob.glob(os.path.join(split, "*_meta.json")))
        self.assertEqual(len(metas), 1)
        good_stem = os.path.basename(metas[0])[:-len("_meta.json")]
        damage = {
            "run_bad__traj_900_meta.json": "",                        # empty
            "run_bad__traj_901_meta.json": "[1, 2, 3]",               # not an object
            "run_bad__traj_902_meta.json": "{\"trajectory_id\": 902", # truncated JSON
            "run_bad__traj_903_meta.json": "\ufeff{\"trajectory_id\": \"...\"}",
            "run_bad__traj_904.mp4": "not a video",
            "run_bad__traj_905_meta.json": None,                      # a copy of the good one (wrong trajectory_id)
            "notes__about.mp4": "x",                                  # unparsable name: skipped with a warning
            "run_bad__pair_3_A_traj_906_meta.json": None,             # a pair half in a single split, without B
        }
        with open(metas[0]) as handle:
            good_text = handle.read()
        for name, content in damage.items():
            with open(os.path.join(split, name), "w") as handle:
                handle.write(good_text if content is None else content)
        shutil.copy(os.path.join(split, good_stem + ".mp4"), os.path.join(split, "run_bad__traj_902.mp4"))
        result = run("rsv", "check", split, "--json", os.path.join(self.tmp, "r.json"), expect=(1,))
        self.assertNotIn("Traceback", result.stderr)
        lines = result.stdout.splitlines()
        expectations = {
            "run_bad__traj_900_meta.json": "empty file",
            "run_bad__traj_901_meta.json": "expected a JSON object",
            "run_bad__traj_902_meta.json": "not JSON at line 1, column",
            "run_bad__traj_903_meta.json": "placeholder",
            "run_bad__traj_904.mp4": "video without its _meta.json",
            "run_bad__traj_905_meta.json": "file name says traj_905",
            "notes__about.mp4": "grammar",
            "run_bad__pair_3_A_traj_906": "exactly one A and one B",
        }
        for name, text in expectations.items():
            with self.subTest(file=name):
                self.assertTrue(any(name in line and text in line for line in lines), result.stdout[-3000:])
        with open(os.path.join(self.tmp, "r.json")) as handle:
            report = json.load(handle)
        good = [i for i in report["items"] if i["key"] == "inverse_easy/" + good_stem]
        self.assertEqual(len(good), 1)
        self.assertEqual((good[0]["layer1"]["verdict"], good[0]["layer2"]["verdict"]), ("pass", "pass"))
        self.assertEqual(report["splits"]["inverse_easy"]["items"], len(report["items"]))

    def test_clean_release_exits_zero_and_help(self):
        release = os.path.join(self.tmp, "clean")
        run("synth", "--rsv", release, "--per-split", "1", "--no-planted", "--size", "128x72", "--seed", "4")
        run("rsv", "check", release)
        # The parent of the release folder works too; another split name is a note and its
        # relation comes from trajectory_type.
        other = os.path.join(release, "random_walk")
        os.makedirs(other)
        for path in glob.glob(os.path.join(release, "loop_hard", "*")):
            shutil.copy(path, other)
        result = run("rsv", "check", self.tmp, "--json", os.path.join(self.tmp, "clean.json"))
        self.assertIn("random_walk: not one of the card's five splits", result.stdout)
        with open(os.path.join(self.tmp, "clean.json")) as handle:
            report = json.load(handle)
        walk = [i for i in report["items"] if i["split"] == "random_walk"]
        self.assertEqual([i["relation"] for i in walk], ["loop"])
        self.assertEqual(walk[0]["layer1"]["verdict"], "pass")
        shutil.copytree(release, os.path.join(self.tmp, "copy"))
        self.assertIn("several releases", run("rsv", "check", self.tmp, expect=(2,)).stderr)
        for args in (("rsv", "--help"), ("rsv", "check", "--help"), ("rsv", "summary", "--help"),
                     ("rsv", "conventions", "--help"), ("synth", "--rsv", "x", "--help"), ("bench", "rsv", "--help")):
            self.assertIn("usage", run(*args).stdout)
        run("rsv", expect=(2,))
        run("rsv", "frobnicate", release, expect=(2,))

    def test_layer2_follows_the_colour_tags_like_ffmpeg(self):
        """Untagged (BT.601), full-range (yuvj420p) and BT.2020 streams, one with B-frames: the same
        PSNR as the oracle's format=rgb24."""
        if not shutil.which("ffmpeg"):
            self.skipTest("ffmpeg CLI not installed: the oracle cannot run")
        release = os.path.join(self.tmp, "tags")
        run("synth", "--rsv", release, "--per-split", "1", "--no-planted", "--size", "192x108", "--seed", "8")
        recodes = {"inverse_easy": ["-vf", "hue=h=40", "-bf", "2", "-pix_fmt", "yuv420p", "-colorspace", "unknown"],
                   "loop_easy": ["-pix_fmt", "yuvj420p"],
                   "loop_hard": ["-pix_fmt", "yuv420p", "-colorspace", "bt2020nc", "-color_range", "tv"]}
        for split, options in recodes.items():
            video = glob.glob(os.path.join(release, split, "*.mp4"))[0]
            temporary = video + ".tmp.mp4"
            subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", video, "-c:v", "libx264", "-crf", "30", *options, temporary],
                           check=True, timeout=120)
            os.replace(temporary, video)
        out = os.path.join(self.tmp, "tags.json")
        run("rsv", "check", release, "--json", out, expect=(0, 1))
        with open(out) as handle:
            report = json.load(handle)
        for item in report["items"]:
            (a_key, a_frame), (b_key, b_frame) = item["layer2"]["frames"]
            expected = min(oracle_psnr(os.path.join(release, a_key + ".mp4"), a_frame, os.path.join(release, b_key + ".mp4"),
                                       b_frame), 100.0)
            with self.subTest(key=item["key"]):
                self.assertLessEqual(abs(item["layer2"]["psnr_db"] - expected), 0.1)

    def test_full_card_count_metadata(self):
        release = os.path.join(self.tmp, "full")
        run("synth", "--rsv", release, "--per-split", "card", "--metadata-only", "--no-planted")
        self.assertEqual(len(glob.glob(os.path.join(release, "*", "*_meta.json"))), 1377)
        out = run("bench", "rsv", release, "--layer2", "0", "--repeat", "1").stdout
        self.assertIn("layer 1: 1377 metadata files, 1135 items (1135 pass)", out)


if __name__ == "__main__":
    unittest.main(verbosity=2)
