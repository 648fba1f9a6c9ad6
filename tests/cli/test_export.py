#!/usr/bin/env python3
"""`idmscope export` without a display: the metrics panel's numbers (--metrics-json, with the
panel's per-type tolerance overrides) equal `idmscope score --dataset` under a profile file with
the same tolerances; the tolerance sweep agrees with scoring at each tolerance; the per-clip
metrics CSV has one row per clip and source; bad input is named."""
import csv
import glob
import json
import os
import shutil
import subprocess
import tempfile
import unittest

BINARY = os.environ.get("IDMSCOPE_BIN", "build/app/idmscope")
ASSETS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "assets")


def run(*args, expect=0):
    result = subprocess.run([BINARY, *args], capture_output=True, text=True, timeout=300)
    if result.returncode != expect:
        raise AssertionError("%s exited %d (expected %d)\n%s\n%s" % (" ".join(args), result.returncode, expect,
                                                                    result.stdout[-2000:], result.stderr[-2000:]))
    return result


class Export(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="idmscope-export-")
        cls.dataset = os.path.join(cls.tmp, "sample")
        run("synth", cls.dataset, "--clips", "4", "--size", "320x200", "--seed", "5")
        cls.good = os.path.join(cls.dataset, "predictions", "good.json")
        cls.weak = os.path.join(cls.dataset, "predictions", "weak")
        cls.keys = sorted(os.path.relpath(p, cls.dataset)[:-5] for p in glob.glob(os.path.join(cls.dataset, "clips_*", "clip_*.json")))

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def profile_file(self, name, tolerance):
        with open(os.path.join(ASSETS, "profiles", name + ".json")) as f:
            profile = json.load(f)
        profile["tolerance"].update(tolerance)
        path = os.path.join(self.tmp, "%s_%s.json" % (name, "_".join("%s%d" % kv for kv in sorted(tolerance.items()))))
        with open(path, "w") as f:
            json.dump(profile, f)
        return path

    def score(self, source, profile_path):
        out = os.path.join(self.tmp, "score.json")
        run("score", "--dataset", self.dataset, "--predictions", source, "--profile", profile_path, "--json", out, "--quiet")
        with open(out) as f:
            return json.load(f)

    def panel(self, profile, tolerance, clip):
        out = os.path.join(self.tmp, "panel.json")
        args = ["export", self.dataset, "--predictions", self.good, "--predictions", self.weak, "--profile", profile,
                "--clip", clip, "--metrics-json", out]
        for type_name, frames in tolerance.items():
            args += ["--tolerance", "%s=%d" % (type_name, frames)]
        run(*args)
        with open(out) as f:
            return json.load(f)

    def assert_same(self, panel_scope, score_scope, where):
        self.assertEqual(set(panel_scope["per_type"]), set(score_scope["per_type"]), where)
        for type_name, expected in score_scope["per_type"].items():
            for field in ("tp", "fp", "fn", "neutral"):
                self.assertEqual(panel_scope["per_type"][type_name][field], expected[field], (where, type_name, field))
            for field in ("precision", "recall", "f1"):
                self.assertAlmostEqual(panel_scope["per_type"][type_name][field], expected[field], 12, (where, type_name, field))
        for field in ("tp", "fp", "fn"):
            self.assertEqual(panel_scope["overall"][field], score_scope.get("overall", score_scope)[field], (where, field))
        for field, expected in score_scope["mouse"].items():
            if expected is None:
                self.assertIsNone(panel_scope["mouse"][field], (where, field))
            else:
                self.assertAlmostEqual(panel_scope["mouse"][field], expected, 12, (where, field))

    def test_panel_metrics_equal_score_for_the_same_profile_and_tolerances(self):
        cases = [("protocol", {}), ("protocol", {"KeyPress": 1, "MouseScroll": 2}), ("reference", {"MouseClick": 0, "KeyPress": 6})]
        for profile, tolerance in cases:
            clip = self.keys[1]
            panel = self.panel(profile, tolerance, clip)
            profile_path = self.profile_file(profile, tolerance)
            for expected_tolerance_type, frames in tolerance.items():
                self.assertEqual(panel["tolerance"][expected_tolerance_type], frames)
            names = [s["source"] for s in panel["sources"]]
            self.assertEqual(names, ["good.json", "weak"])
            for source_path, shown in zip([self.good, self.weak], panel["sources"]):
                scored = self.score(source_path, profile_path)
                where = "%s %s %s" % (profile, tolerance, shown["source"])
                self.assert_same(shown["dataset"], scored, where + " dataset")
                clip_score = next(c for c in scored["clips"] if c["clip"] == clip)
                self.assert_same(shown["clip"], clip_score, where + " clip")

    def test_changing_a_tolerance_changes_the_panel(self):
        tight = self.panel("protocol", {"KeyPress": 0}, self.keys[0])
        loose = self.panel("protocol", {"KeyPress": 10}, self.keys[0])
        tp = lambda panel: panel["sources"][1]["dataset"]["per_type"]["KeyPress"]["tp"]
        self.assertGreater(tp(loose), tp(tight))

    def test_sweep_points_equal_scoring_at_that_tolerance(self):
        panel = self.panel("protocol", {}, self.keys[0])
        for tolerance in (0, 3):
            profile_path = self.profile_file("protocol", {t: tolerance for t in ("KeyPress", "MouseClick", "MouseScroll", "MouseMove")})
            scored = self.score(self.weak, profile_path)
            point = panel["sources"][1]["sweep"][tolerance]
            self.assertEqual(point["tolerance"], tolerance)
            for type_name, expected in scored["per_type"].items():
                self.assertAlmostEqual(point["f1"][type_name], expected["f1"], 12, (tolerance, type_name))
        self.assertEqual(len(panel["sources"][0]["sweep"]), 11)

    def test_csv_has_a_row_per_clip_and_source_matching_score(self):
        out = os.path.join(self.tmp, "metrics.csv")
        run("export", self.dataset, "--predictions", self.good, "--predictions", self.weak, "--csv", out)
        with open(out, newline="") as f:
            rows = list(csv.DictReader(f))
        self.assertEqual(len(rows), 2 * len(self.keys))
        self.assertEqual([r["clip"] for r in rows[:2]], [self.keys[0]] * 2)
        scored = self.score(self.weak, "protocol")
        by_clip = {c["clip"]: c for c in scored["clips"]}
        for row in rows:
            if row["source"] != "weak":
                continue
            expected = by_clip[row["clip"]]
            self.assertEqual(int(row["fn"]), expected["fn"])
            self.assertAlmostEqual(float(row["f1"]), expected["f1"], 5)
            self.assertAlmostEqual(float(row["MouseScroll_f1"]), expected["per_type"]["MouseScroll"]["f1"], 5)

    def test_bad_input_is_named(self):
        out = os.path.join(self.tmp, "never.json")
        result = run("export", self.dataset, "--predictions", self.good, "--clip", "no/such/clip", "--metrics-json", out, expect=1)
        self.assertIn("no/such/clip", result.stderr)
        result = run("export", self.dataset, "--tolerance", "KeyPres=3", "--csv", out, expect=2)
        self.assertIn("KeyPres=3", result.stderr)
        result = run("export", self.dataset, "--predictions", os.path.join(self.tmp, "missing.json"), "--csv", out, expect=1)
        self.assertIn("missing.json", result.stderr)
        run("export", self.dataset, "--clip", self.keys[0], "--png", out, expect=2)  # --png needs --frame
        self.assertFalse(os.path.exists(out))


if __name__ == "__main__":
    unittest.main(verbosity=2)
