#!/usr/bin/env python3
"""GUI "Run model": Ctrl+R runs the baseline on the current clip in the worker and fills the
store; Ctrl+Shift+R cancels a slow run; a crashing worker shows up as a failed clip while the
viewer keeps running. Real window under Xvfb, keys through xdotool, the store checked on disk,
screenshots kept in the temp dir for eyes."""
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from test_viewer import BINARY, XVFB, synth_sample  # noqa: E402

FAKE_WORKER = os.environ.get("IDMSCOPE_FAKE_WORKER", "build/tests/fake_worker")


class RunModel(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not shutil.which("xdotool") or not shutil.which("import"):
            raise unittest.SkipTest("xdotool or ImageMagick not installed")
        cls.tmp = tempfile.mkdtemp(prefix="idmscope-gui-infer-")
        cls.dataset = os.path.join(cls.tmp, "sample")
        cls.keys = synth_sample(cls.dataset, clips=2, seed=5)

    @classmethod
    def tearDownClass(cls):
        if not os.environ.get("IDMSCOPE_KEEP_TMP"):  # set it to look at the screenshots
            shutil.rmtree(cls.tmp, ignore_errors=True)

    def wrapper(self, mode):
        path = os.path.join(self.tmp, "worker-" + mode)
        with open(path, "w") as f:
            f.write("#!/bin/sh\nexec '%s' %s\n" % (FAKE_WORKER, mode))
        os.chmod(path, os.stat(path).st_mode | stat.S_IXUSR)
        return path

    def live(self, name, steps, env=None):
        """Starts the viewer on the first clip, then runs `steps`: ("key", "ctrl+r"), ("sleep", s),
        ("shot", label). Returns (screenshot paths, whether the viewer was still alive at the end)."""
        shots, script = [], [
            f"{BINARY} {self.dataset} --clip {self.keys[0]} --size 1280x800 & pid=$!; "
            "for i in $(seq 50); do w=$(xdotool search --name idmscope 2>/dev/null | head -1); [ -n \"$w\" ] && break; sleep 0.2; done; "
            "sleep 1.5; xdotool windowactivate --sync $w 2>/dev/null; "]
        for kind, value in steps:
            if kind == "key":
                keys = value.split("+")
                script.append("xdotool " + " ".join("keydown " + k for k in keys) + "; sleep 0.15; xdotool " +
                              " ".join("keyup " + k for k in reversed(keys)) + "; sleep 0.1; ")
            elif kind == "sleep":
                script.append(f"sleep {value}; ")
            elif kind == "shot":
                out = os.path.join(self.tmp, f"{name}-{value}.png")
                shots.append(out)
                script.append(f"import -window root -crop 1280x800+0+0 {out}; ")
        script.append("if kill -0 $pid 2>/dev/null; then echo ALIVE; fi; kill $pid; wait $pid 2>/dev/null; true")
        result = subprocess.run(XVFB + ["bash", "-c", "".join(script)], capture_output=True, text=True, timeout=180,
                                env=dict(os.environ, **(env or {})))
        for shot in shots:
            self.assertTrue(os.path.exists(shot), result.stderr)
        self.stderr = result.stderr
        return shots, "ALIVE" in result.stdout

    def setUp(self):
        # Each test starts without a store: a complete clip would be skipped by a resumed run.
        shutil.rmtree(os.path.join(self.dataset, ".idmscope"), ignore_errors=True)

    def run_record(self, run):
        with open(os.path.join(self.dataset, ".idmscope", "predictions", run, "run.json")) as f:
            return json.load(f)

    def test_ctrl_r_runs_the_baseline_on_the_clip(self):
        _, alive = self.live("baseline", [("key", "ctrl+r"), ("sleep", 0.3), ("shot", "running"), ("sleep", 6), ("shot", "done")])
        self.assertTrue(alive)
        self.assertIn("slowest UI frame during the run", self.stderr)  # the figure itself is reported, not asserted
        record = self.run_record("gui-baseline")
        self.assertEqual(list(record["clips"]), [self.keys[0]])  # just the clip on screen
        clip = record["clips"][self.keys[0]]
        self.assertEqual(clip["status"], "complete")
        self.assertEqual(len(clip["windows"]), 4)
        self.assertTrue(os.path.exists(os.path.join(self.dataset, ".idmscope", "predictions", "gui-baseline", self.keys[0] + ".json")))

    def test_ctrl_shift_r_cancels_a_slow_run(self):
        env = {"IDMSCOPE_WORKER": self.wrapper("slow-run")}
        _, alive = self.live("cancel", [("key", "ctrl+r"), ("sleep", 1.0), ("shot", "running"), ("key", "ctrl+shift+r"),
                                        ("sleep", 1.5), ("shot", "cancelled")], env)
        self.assertTrue(alive)
        clip = self.run_record("gui-baseline")["clips"][self.keys[0]]
        self.assertEqual(clip["status"], "cancelled")

    def test_a_crashing_worker_is_an_error_and_the_viewer_keeps_running(self):
        env = {"IDMSCOPE_WORKER": self.wrapper("crash-on-run")}
        _, alive = self.live("crash", [("key", "ctrl+r"), ("sleep", 2.0), ("key", "Right"), ("shot", "failed")], env)
        self.assertTrue(alive)
        clip = self.run_record("gui-baseline")["clips"][self.keys[0]]
        self.assertEqual(clip["status"], "failed")
        self.assertIn("killed by signal 6", clip["error"])


if __name__ == "__main__":
    unittest.main(verbosity=2)
