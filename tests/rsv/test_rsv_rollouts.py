#!/usr/bin/env python3
"""World-model rollouts on the RSV release from the command line: the fake models of rsv.md §8
run through the worker (`rsv rollout`) and are scored by `rsv eval` against their analytic values
(exact-d: PSNR = 20 log10(255/d) exactly; perfect: SC = the GT's own Layer-2 PSNR; tscale-0.9:
GT tier lower, SC unchanged; rscale-0.9: Loop-SC lower on polygons only; forgetful: Loop-SC
lower); every program fault is an error with the program's log and a second run resumes;
`rsv import` copies mp4s and PNG folders and lists what does not match."""
import json
import math
import os
import shutil
import subprocess
import tempfile
import unittest

BINARY = os.environ.get("IDMSCOPE_BIN", "build/app/idmscope")
FAKE = os.environ.get("IDMSCOPE_FAKE_ROLLOUT", "build/tests/rsv_fake_rollout_model")
WORKER = os.environ.get("IDMSCOPE_WORKER", "build/app/idmscope-worker")
SIZE = "128x72"


def run(*args, expect=(0,), timeout=300):
    result = subprocess.run([BINARY, *args], capture_output=True, text=True, timeout=timeout)
    if result.returncode not in expect:
        raise AssertionError("%s exited %d (expected %s)\n%s\n%s" % (" ".join(args), result.returncode, expect,
                                                                     result.stdout[-4000:], result.stderr[-3000:]))
    return result


def model_args(mode, release, *extra):
    args = ["--command", FAKE, "--command-arg", mode, "--command-arg", "--release", "--command-arg", release]
    for item in extra:
        args += ["--command-arg", item]
    return args


class Rollouts(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="idmscope-rollouts-")
        cls.release = os.path.join(cls.tmp, "result_dataset")
        run("synth", "--rsv", cls.release, "--seed", "3", "--size", SIZE, "--per-split", "2", "--no-planted")
        for mode, run_name in (("perfect", "perfect"), ("exact-d", "exact4"), ("render", "render"), ("tscale-0.9", "tscale"),
                               ("rscale-0.9", "rscale"), ("forgetful", "forgetful")):
            out = run("rsv", "rollout", cls.release, "--run", run_name, "--concurrency", "2", "--worker", WORKER,
                      *model_args(mode, cls.release, *(["--d", "4"] if mode == "exact-d" else []))).stdout
            assert "12 complete" in out, out
        cls.eval_json = os.path.join(cls.tmp, "eval.json")
        cls.md = os.path.join(cls.tmp, "eval.md")
        cls.csv = os.path.join(cls.tmp, "eval.csv")
        cls.eval_out = run("rsv", "eval", cls.release, "--rollouts", "perfect,exact4,render", "--rollouts", "tscale,rscale,forgetful",
                           "--json", cls.eval_json, "--md", cls.md, "--csv", cls.csv, "--threads", "2").stdout
        with open(cls.eval_json) as handle:
            cls.report = json.load(handle)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def scores(self, run_name, tier):
        return {item["key"]: item for item in self.report["items"] if item["run"] == run_name and item["tier"] == tier}

    def mean(self, run_name, tier, split):
        for row in self.report["table"]:
            if row["run"] == run_name and row["tier"] == tier and row["split"] == split:
                return row["mean_psnr_db"]
        raise AssertionError("no table row %s %s %s" % (run_name, tier, split))

    def test_exact_d_is_twenty_log_255_over_d_exactly(self):
        expected = 20 * math.log10(255 / 4)
        gt = self.scores("exact4", "gt")
        self.assertEqual(len(gt), 10)  # 8 trajectories + 2 pairs
        for key, item in gt.items():
            self.assertAlmostEqual(item["psnr_db"], expected, places=9, msg=key)
        for split in ("inverse_easy", "inverse_hard", "loop_easy", "loop_hard", "equivalence_easy"):
            self.assertAlmostEqual(self.mean("exact4", "gt", split), expected, places=9)

    def test_perfect_sc_is_the_gt_layer2_psnr(self):
        ceiling = {item["key"]: item["psnr_db"] for item in self.report["ceiling_items"]}
        sc = self.scores("perfect", "sc")
        for key, item in sc.items():
            self.assertIsNotNone(ceiling[key])
            self.assertAlmostEqual(item["psnr_db"], ceiling[key], places=9, msg=key)
            if not key.startswith("equivalence_"):  # a pair's two end frames may decode bit-equal
                self.assertLess(ceiling[key], 100.0)  # CRF 28: frame 0 and 359 of one video are not
        for item in self.scores("perfect", "gt").values():
            self.assertEqual(item["psnr_db"], 100.0)  # identical frames: inf, written as 100

    def test_tscale_lowers_the_gt_tier_and_leaves_sc_unchanged(self):
        render_sc, tscale_sc = self.scores("render", "sc"), self.scores("tscale", "sc")
        for key in render_sc:
            self.assertAlmostEqual(tscale_sc[key]["psnr_db"], render_sc[key]["psnr_db"], places=6, msg=key)
        # Under video-ends a closed path ends at its root at any scale: the GT tier only sees the
        # scale where the endpoint is not the root (equivalence pairs end 100s of cm away).
        self.assertLess(self.mean("tscale", "gt", "equivalence_easy"), self.mean("render", "gt", "equivalence_easy") - 3.0)
        for split in ("inverse_easy", "inverse_hard", "loop_easy", "loop_hard"):
            self.assertAlmostEqual(self.mean("tscale", "gt", split), self.mean("render", "gt", split), places=6, msg=split)

    def test_rscale_lowers_loop_sc_on_polygons_only(self):
        render_sc, rscale_sc = self.scores("render", "sc"), self.scores("rscale", "sc")
        for key in render_sc:
            if key.startswith("loop_hard/"):
                self.assertLess(rscale_sc[key]["psnr_db"], render_sc[key]["psnr_db"] - 5.0, key)
            else:  # inverse, equivalence and the five-stage-return loops close at any turn angle
                self.assertAlmostEqual(rscale_sc[key]["psnr_db"], render_sc[key]["psnr_db"], places=6, msg=key)

    def test_forgetful_lowers_loop_sc(self):
        for split in ("loop_easy", "loop_hard"):
            self.assertLess(self.mean("forgetful", "sc", split), self.mean("render", "sc", split) - 5.0, split)

    def test_tables_json_md_csv(self):
        settings = self.report["settings"]
        self.assertEqual(settings["endpoints"], "video-ends")
        self.assertEqual(settings["phase"], "start")
        self.assertEqual(settings["bootstrap"]["seed"], 1)
        self.assertTrue(any("[ASSUMED" in line for line in settings["assumed"]))
        row = next(r for r in self.report["table"] if r["run"] == "render" and r["tier"] == "gt" and r["split"] == "loop_hard")
        self.assertEqual(row["n"], 2)
        self.assertLessEqual(row["ci95_db"][0], row["mean_psnr_db"])
        self.assertGreaterEqual(row["ci95_db"][1], row["mean_psnr_db"])
        self.assertEqual(len(self.report["reference"]), 3)
        self.assertEqual(self.report["reference"][0]["tier"], "tier not stated by the card")
        with open(self.md) as handle:
            md = handle.read()
        self.assertIn("| Chunk-AR (~420 M) (card) | tier not stated by the card | 16.63 | 18.76 | 18.37 | Loop > Equiv > Inv |", md)
        self.assertIn("| Matrix-Game 2.0 (card) | tier not stated by the card | 11.08 | 11.03 | 13.24 | Equiv > Inv > Loop |", md)
        self.assertIn("| exact4 | GT-anchored | 36.09 [36.09, 36.09] n=2 |", md)
        self.assertIn("Layer-2 ceiling", md)
        self.assertIn("Hard tier", md)
        self.assertIn("seed 1", md)
        self.assertEqual(md, self.eval_out[:len(md)])  # the terminal shows the same tables
        with open(self.csv) as handle:
            lines = handle.read().splitlines()
        self.assertEqual(lines[0], "run,tier,split,n,mean_psnr_db,ci95_low_db,ci95_high_db,unscored")
        self.assertIn("exact4,gt,loop_easy,2,36.0896,36.0896,36.0896,0", lines)
        # Same seed, same intervals.
        again = os.path.join(self.tmp, "again.json")
        run("rsv", "eval", self.release, "--rollouts", "render", "--tier", "gt", "--json", again, "--bootstrap-seed", "1")
        with open(again) as handle:
            rows = [r for r in json.load(handle)["table"]]
        mine = [r for r in self.report["table"] if r["run"] == "render" and r["tier"] == "gt"]
        self.assertEqual([r["ci95_db"] for r in rows], [r["ci95_db"] for r in mine])

    def test_metric_command_with_its_version(self):
        mock = os.path.join(os.path.dirname(os.path.abspath(__file__)), "mock_metric.py")
        out_json = os.path.join(self.tmp, "metric.json")
        out = run("rsv", "eval", self.release, "--rollouts", "perfect,exact4", "--metric", "lpips=python3,%s" % mock,
                  "--json", out_json).stdout
        self.assertIn("## lpips (metric command, version mock-1.0)", out)
        with open(out_json) as handle:
            metric = json.load(handle)["metrics"][0]
        self.assertEqual(metric["version"], "mock-1.0")
        cells = {(r["run"], r["tier"], r["split"]): r["mean"] for r in metric["table"]}
        self.assertEqual(cells[("perfect", "gt", "loop_easy")], 0.0)  # identical frames
        self.assertEqual(cells[("exact4", "gt", "loop_easy")], 1.0)
        self.assertEqual(len(metric["items"]), 2 * 2 * 10)
        bad = run("rsv", "eval", self.release, "--rollouts", "perfect", "--metric", "lpips=python3,%s,--garbage" % mock, expect=(1,)).stdout
        self.assertIn("lpips: not computed", bad)
        self.assertIn("its last stdout line is not", bad)

    def test_unknown_run_and_missing_rollout(self):
        result = run("rsv", "eval", self.release, "--rollouts", "nosuch", expect=(2,))
        self.assertIn("no rollout run 'nosuch'", result.stderr)
        partial = os.path.join(self.tmp, "partial-src")
        os.makedirs(partial)
        shutil.copytree(os.path.join(self.release, ".idmscope", "rollouts", "render", "loop_easy"), os.path.join(partial, "loop_easy"))
        run("rsv", "import", self.release, "--from", partial, "--run", "partial", expect=(1,))
        out = run("rsv", "eval", self.release, "--rollouts", "partial", "--json", os.path.join(self.tmp, "p.json"), expect=(1,)).stdout
        self.assertIn("no rollout for inverse_easy/", out)
        with open(os.path.join(self.tmp, "p.json")) as handle:
            items = json.load(handle)["items"]
        missing = [i for i in items if not i["key"].startswith("loop_easy/")]
        self.assertTrue(missing and all(i["psnr_db"] is None and "no rollout" in i["reason"] for i in missing))

    def test_import_mp4_png_sidecar_unmatched_and_missing(self):
        source = os.path.join(self.tmp, "import-src")
        os.makedirs(os.path.join(source, "inverse_easy"))
        keys = sorted(os.path.relpath(os.path.join(d, f), self.release)[:-len("_meta.json")]
                      for d, _, files in os.walk(self.release) for f in files if f.endswith("_meta.json") and ".idmscope" not in d)
        self.assertEqual(len(keys), 12)
        inverse = [k for k in keys if k.startswith("inverse_easy/")]
        # An mp4 under its split (the GT itself: a perfect mp4 rollout), with a sidecar.
        shutil.copy(os.path.join(self.release, inverse[0] + ".mp4"), os.path.join(source, inverse[0] + ".mp4"))
        # Flat: the synthetic release repeats stems across splits, so a flat file is ambiguous.
        shutil.copy(os.path.join(self.release, inverse[0] + ".mp4"), os.path.join(source, os.path.basename(inverse[0]) + ".mp4"))
        with open(os.path.join(source, inverse[0] + ".rollout.json"), "w") as handle:
            json.dump({"fps": 16, "includes_context": False, "future_key": 7}, handle)
        # A PNG folder under its split.
        shutil.copytree(os.path.join(self.release, ".idmscope", "rollouts", "exact4", inverse[1]), os.path.join(source, inverse[1]))
        with open(os.path.join(source, "notes.txt"), "w") as handle:
            handle.write("x")
        with open(os.path.join(source, "run_9__traj_9.mp4"), "wb") as handle:
            handle.write(b"x")
        out = run("rsv", "import", self.release, "--from", source, "--run", "imported", expect=(1,)).stdout
        self.assertIn("imported 2 rollouts", out)
        self.assertIn("W unmatched: notes.txt", out)
        self.assertIn("is in several splits; put it under its split folder", out)
        self.assertIn("W unmatched: run_9__traj_9.mp4: no trajectory named run_9__traj_9", out)
        self.assertIn("10 trajectories without a rollout", out)
        folder = os.path.join(self.release, ".idmscope", "rollouts", "imported")
        with open(os.path.join(folder, "run.json")) as handle:
            run_json = json.load(handle)
        self.assertEqual(run_json["trajectories"][inverse[0]]["kind"], "mp4")
        self.assertEqual(run_json["trajectories"][inverse[1]]["frames"], 360)
        with open(os.path.join(folder, inverse[0] + ".rollout.json")) as handle:
            self.assertEqual(json.load(handle)["future_key"], 7)  # unknown keys survive
        self.assertFalse([n for n in os.listdir(os.path.join(folder, "inverse_easy")) if n.endswith((".importing", ".replaced", ".tmp"))])
        report = os.path.join(self.tmp, "imported.json")
        run("rsv", "eval", self.release, "--rollouts", "imported", "--json", report, expect=(1,))
        with open(report) as handle:
            items = {(i["key"], i["tier"]): i for i in json.load(handle)["items"]}
        self.assertEqual(items[(inverse[0], "gt")]["psnr_db"], 100.0)  # the GT's own mp4
        self.assertAlmostEqual(items[(inverse[1], "gt")]["psnr_db"], 20 * math.log10(255 / 4), places=9)
        # Bad input: a run name that is a path, a source that is not a folder.
        self.assertIn("run name", run("rsv", "import", self.release, "--from", source, "--run", "../x", expect=(2,)).stderr)
        self.assertIn("not a folder", run("rsv", "import", self.release, "--from", source + "/nope", "--run", "y", expect=(2,)).stderr)

    def test_program_faults_are_errors_with_the_log_and_a_second_run_resumes(self):
        cases = (("crash", "killed by signal 11"), ("hang", "timed out after"), ("garbage", "its last stdout line is not"),
                 ("few-frames", "too few frames: 10 written, the actions need 360"), ("early-exit", "(no output)"), ("fail", "the model says it failed"))
        for fault, message in cases:
            name = "fault-" + fault
            # A hang is cut by --timeout; only the hanging split runs then, so a loaded machine
            # cannot push a healthy rollout past the short limit.
            hang = fault == "hang"
            result = run("rsv", "rollout", self.release, "--run", name, "--splits", "loop_easy" if hang else "loop_easy,loop_hard",
                         *(["--timeout", "2"] if hang else []), "--concurrency", "2", "--worker", WORKER,
                         *model_args("render", self.release, "--fault", fault, "--fault-only", "loop_easy/"), expect=(1,), timeout=120)
            out = result.stdout
            self.assertIn("%d complete, 0 resumed (already complete), 2 failed" % (0 if hang else 2), out, fault)
            self.assertIn("FAILED loop_easy/", out, fault)
            self.assertIn(message, out, fault)
            self.assertIn("fake model: fault %s for loop_easy/" % fault, out, fault)  # the program's own log line
            folder = os.path.join(self.release, ".idmscope", "rollouts", name)
            self.assertFalse([n for n in os.listdir(os.path.join(folder, "loop_easy")) if n.endswith(".partial")], fault)
            with open(os.path.join(folder, "run.json")) as handle:
                statuses = sorted(t["status"] for t in json.load(handle)["trajectories"].values())
            self.assertEqual(statuses, ["failed", "failed"] if hang else ["complete", "complete", "failed", "failed"])
        resumed = run("rsv", "rollout", self.release, "--run", "fault-crash", "--splits", "loop_easy,loop_hard", "--worker", WORKER,
                      *model_args("render", self.release)).stdout
        self.assertIn("2 complete, 2 resumed (already complete), 0 failed", resumed)

    def test_action_predictions_gt_scores_one_and_a_perturbation_gives_its_confusion(self):
        metas = {}
        for directory, _, files in os.walk(self.release):
            if ".idmscope" in directory:
                continue
            for name in files:
                if name.endswith("_meta.json"):
                    with open(os.path.join(directory, name)) as handle:
                        metas[os.path.relpath(os.path.join(directory, name), self.release)[:-len("_meta.json")]] = json.load(handle)
        exact = os.path.join(self.tmp, "gt-actions.json")
        with open(exact, "w") as handle:
            json.dump({key: {"actions": meta["action_sequence"]} for key, meta in metas.items()}, handle)
        report_path = os.path.join(self.tmp, "score.json")
        out = run("rsv", "score", self.release, "--predictions", exact, "--json", report_path).stdout
        self.assertIn("step accuracy 1.0000 (480 of 480 steps)", out)
        with open(report_path) as handle:
            report = json.load(handle)
        self.assertEqual(report["step_accuracy"], 1.0)
        self.assertTrue(all(t["final_position_error_cm"] < 1e-6 and t["final_yaw_error_deg"] < 1e-9 for t in report["trajectories"]))
        # Perturbed: every move_forward of one trajectory predicted as move_backward, as a folder of files.
        key = next(k for k, m in sorted(metas.items()) if m["action_sequence"].count("move_forward") >= 2)
        folder = os.path.join(self.tmp, "perturbed")
        forward_steps = [s for s in metas[key]["steps"] if s["action"] == "move_forward"]
        for other, meta in metas.items():
            actions = list(meta["action_sequence"])
            if other == key:
                actions = ["move_backward" if a == "move_forward" else a for a in actions]
            os.makedirs(os.path.dirname(os.path.join(folder, other)), exist_ok=True)
            with open(os.path.join(folder, other + ".json"), "w") as handle:
                json.dump([{"step": k, "action": a} for k, a in enumerate(actions)], handle)
        run("rsv", "score", self.release, "--predictions", folder, "--json", report_path)
        with open(report_path) as handle:
            report = json.load(handle)
        counts = report["confusion"]["counts"]
        self.assertEqual(counts[0][1], len(forward_steps))
        self.assertEqual(sum(counts[0]), sum(m["action_sequence"].count("move_forward") for m in metas.values()))
        self.assertAlmostEqual(report["step_accuracy"], 1 - len(forward_steps) / 480, places=12)
        dx = sum(200 * math.cos(math.radians(s["start_rot"][1])) for s in forward_steps)
        dy = sum(200 * math.sin(math.radians(s["start_rot"][1])) for s in forward_steps)
        perturbed = next(t for t in report["trajectories"] if t["key"] == key)
        self.assertAlmostEqual(perturbed["final_position_error_cm"], math.hypot(dx, dy), delta=0.01)
        self.assertEqual(perturbed["final_yaw_error_deg"], 0.0)
        backward = next(a for a in report["per_action"] if a["action"] == "move_backward")
        self.assertLess(backward["precision"], 1.0)
        self.assertEqual(backward["recall"], 1.0)

    def test_classical_baseline_beats_chance_and_the_majority_class(self):
        predictions = os.path.join(self.tmp, "baseline.json")
        self.assertIn("predicted 12 trajectories", run("rsv", "predict", self.release, "--out", predictions).stdout)
        report_path = os.path.join(self.tmp, "baseline-score.json")
        run("rsv", "score", self.release, "--predictions", predictions, "--json", report_path)
        with open(report_path) as handle:
            report = json.load(handle)
        support = {a["action"]: a["support"] for a in report["per_action"]}
        majority = max(support.values()) / report["steps"]
        # Stated margin: at least 0.8 step accuracy, and 0.3 above always answering the most frequent action.
        self.assertGreaterEqual(report["step_accuracy"], 0.8)
        self.assertGreaterEqual(report["step_accuracy"], majority + 0.3)
        self.assertGreater(report["step_accuracy"], 1 / 9 + 0.5)

    def test_bad_command_and_old_worker(self):
        result = run("rsv", "rollout", self.release, "--run", "nothing", "--splits", "loop_hard", "--worker", WORKER,
                     "--command", "/nonexistent/model", expect=(1,))
        self.assertIn("cannot run /nonexistent/model", result.stdout)
        result = run("rsv", "rollout", self.release, "--run", "noworker", "--worker", "/nonexistent/worker", *model_args("render", self.release),
                     expect=(2,))
        self.assertIn("/nonexistent/worker", result.stderr)


if __name__ == "__main__":
    unittest.main()
