#!/usr/bin/env python3
"""GUI "Run model": Ctrl+R runs the baseline on the current clip in the worker and fills the
store; Ctrl+Shift+R cancels a slow run; a crashing worker shows up as a failed clip while the
viewer keeps running; infer.json defaults drive Ctrl+R and "Save as defaults" writes them back
(other keys kept); clips marked with Ctrl+click are what "Run on the marked clips" runs. Real window under Xvfb, keys through xdotool, the store checked on disk,
screenshots kept in the temp dir for eyes."""
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from test_viewer import BINARY, XVFB, synth_sample  # noqa: E402

# Every viewer started here aborts if its UI thread reads or writes a file inside a frame
# (starting a run and saving infer.json run on threads of their own).
os.environ["IDMSCOPE_FRAME_IO_GUARD"] = "abort"

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
        ("shot", label), ("click", (x, y)), ("ctrlclick", (x, y)), ("wait_for", (path, text)). Returns (screenshot paths,
        whether the viewer was still alive at the end). XDG_CONFIG_HOME is the test's own."""
        shots, script = [], [
            f"{BINARY} {self.dataset} --clip {self.keys[0]} --size 1280x800 & pid=$!; "
            "for i in $(seq 50); do w=$(xdotool search --name idmscope 2>/dev/null | head -1); [ -n \"$w\" ] && break; sleep 0.2; done; "
            "sleep 1.5; xdotool windowactivate --sync $w 2>/dev/null; "]
        for kind, value in steps:
            if kind == "key":
                keys = value.split("+")
                script.append("xdotool " + " ".join("keydown " + k for k in keys) + "; sleep 0.15; xdotool " +
                              " ".join("keyup " + k for k in reversed(keys)) + "; sleep 0.1; ")
            elif kind in ("click", "ctrlclick"):
                x, y = value
                held = "xdotool keydown ctrl; sleep 0.1; " if kind == "ctrlclick" else ""
                script.append(held + f"xdotool mousemove {x} {y}; sleep 0.1; xdotool mousedown 1; sleep 0.12; xdotool mouseup 1; sleep 0.3; " +
                              ("xdotool keyup ctrl; sleep 0.1; " if held else ""))
            elif kind == "wait_for":  # (file, text): until the file holds the text (up to 90 s under load)
                path, text = value
                script.append(f"for i in $(seq 900); do grep -qF '{text}' '{path}' 2>/dev/null && break; sleep 0.1; done; sleep 1.5; ")
            elif kind == "sleep":
                script.append(f"sleep {value}; ")
            elif kind == "shot":
                out = os.path.join(self.tmp, f"{name}-{value}.png")
                shots.append(out)
                script.append(f"import -window root -crop 1280x800+0+0 {out}; ")
        script.append("if kill -0 $pid 2>/dev/null; then echo ALIVE; kill $pid; wait $pid 2>/dev/null; "
                      "else wait $pid; echo \"viewer exited by itself with status $?\" >&2; fi; true")
        result = subprocess.run(XVFB + ["bash", "-c", "".join(script)], capture_output=True, text=True, timeout=180,
                                env=dict(os.environ, XDG_CONFIG_HOME=self.config_home, **(env or {})))
        for shot in shots:
            self.assertTrue(os.path.exists(shot), result.stderr)
        self.stderr = result.stderr
        if "ALIVE" not in result.stdout:
            print(result.stderr[-3000:], file=sys.stderr)  # why it died, in the test log
        return shots, "ALIVE" in result.stdout

    def setUp(self):
        # Each test starts without a store: a complete clip would be skipped by a resumed run.
        shutil.rmtree(os.path.join(self.dataset, ".idmscope"), ignore_errors=True)
        self.config_home = os.path.join(self.tmp, "config-" + self._testMethodName)
        os.makedirs(os.path.join(self.config_home, "idmscope"), exist_ok=True)

    def write_infer_json(self, doc):
        path = os.path.join(self.config_home, "idmscope", "infer.json")
        with open(path, "w") as f:
            json.dump(doc, f)
        return path

    def run_done(self, run):
        """A wait_for step: run.json records a finished clip (a one-clip run is then done)."""
        return ("wait_for", (os.path.join(self.dataset, ".idmscope", "predictions", run, "run.json"), '"complete"'))

    def run_record(self, run):
        with open(os.path.join(self.dataset, ".idmscope", "predictions", run, "run.json")) as f:
            return json.load(f)

    def test_ctrl_r_runs_the_baseline_on_the_clip(self):
        _, alive = self.live("baseline", [("key", "ctrl+r"), ("sleep", 0.3), ("shot", "running"),
                                          self.run_done("gui-baseline"), ("shot", "done")])
        self.assertTrue(alive)
        # The UI thread's own work per frame is asserted; the wall gap between frames depends on
        # how the scheduler shares 2 cores between software GL, the worker and other tests, so
        # it is printed, not asserted.
        found = re.search(r"slowest UI frame during the run: ([\d.]+) ms wall, ([\d.]+) ms main-thread CPU", self.stderr)
        self.assertIsNotNone(found, self.stderr)
        wall_ms, cpu_ms = float(found.group(1)), float(found.group(2))
        print(f"\n  slowest UI frame during the run: {wall_ms:.1f} ms wall, {cpu_ms:.1f} ms main-thread CPU", file=sys.stderr)
        self.assertLess(cpu_ms, 50.0)
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

    def test_infer_json_defaults_drive_ctrl_r(self):
        self.write_infer_json({"note": "keep me", "baseline": {"concurrency": 1, "frames": {"max_edge_px": 320}}})
        _, alive = self.live("defaults", [("key", "ctrl+r"), self.run_done("gui-baseline"), ("shot", "done")])
        self.assertTrue(alive)
        record = self.run_record("gui-baseline")
        self.assertEqual(record["backend_config"]["concurrency"], 1)
        self.assertEqual(record["frames"], {"max_edge_px": 320})
        self.assertEqual(record["clips"][self.keys[0]]["status"], "complete")

    def test_save_as_defaults_keeps_other_keys(self):
        # Model menu > Show the run window; untick "backend's frame size" (the file's 320 goes),
        # then Save as defaults. Positions are the 1280x800 layout (see the screenshot).
        path = self.write_infer_json({"note": "keep me", "openai": {"model": "m", "custom": 1},
                                      "baseline": {"concurrency": 3, "frames": {"max_edge_px": 320}, "mine": True}})
        shots, alive = self.live("save", [("click", (182, 11)), ("click", (235, 142)), ("sleep", 0.5), ("shot", "window"),
                                          ("click", (276, 225)), ("click", (148, 251)), ("sleep", 0.5), ("shot", "saved")])
        self.assertTrue(alive)
        with open(path) as f:
            saved = json.load(f)
        self.assertEqual(saved["note"], "keep me")
        self.assertEqual(saved["openai"], {"model": "m", "custom": 1})
        self.assertEqual(saved["default_backend"], "baseline")
        self.assertEqual(saved["baseline"]["concurrency"], 3)
        self.assertTrue(saved["baseline"]["mine"])
        self.assertEqual(saved["baseline"]["frames"], {"burn_labels": True})  # max_edge_px removed
        # Saving ran no model: no prediction store (the probe index, .idmscope/index.json, may exist).
        self.assertFalse(os.path.exists(os.path.join(self.dataset, ".idmscope", "predictions")))

    def test_run_on_the_marked_clips(self):
        # On clip 0: Ctrl+click clip 1 marks both (the shown clip joins, as in file managers),
        # Ctrl+click clip 0 unmarks it; the Model menu then runs on clip 1 only.
        self.write_infer_json({})
        _, alive = self.live("marked", [("ctrlclick", (60, 160)), ("ctrlclick", (60, 140)), ("shot", "marked"),
                                        ("click", (182, 11)), ("shot", "menu"), ("click", (300, 58)),
                                        self.run_done("gui-baseline"), ("shot", "done")])
        self.assertTrue(alive)
        record = self.run_record("gui-baseline")
        self.assertEqual(list(record["clips"]), [self.keys[1]])
        self.assertEqual(record["clips"][self.keys[1]]["status"], "complete")

    def test_bad_answers_are_counted_in_the_run_window_and_marked_in_the_browser(self):
        # A model program answering prose, a cut-off array and nothing for three of the four
        # windows: the clip completes (scored as [] there), the run window (Ctrl+R opens it)
        # counts "3 bad" and the browser marks the clip's F1 with "!". Screenshots kept for eyes.
        program = os.path.join(self.tmp, "bad-answers.py")
        with open(program, "w") as f:
            f.write("#!/usr/bin/env python3\nimport json, sys\nw = json.load(sys.stdin)['window']\n"
                    "print(['Sorry, no idea.', '[{\"frame\": \"F0', '', json.dumps([{'frame': 'F03', 'type': 'MouseClick', 'details': 'Left'}])][w])\n")
        os.chmod(program, 0o755)
        self.write_infer_json({"default_backend": "command", "command": {"command": [program], "frames": {"max_edge_px": 160}}})
        shots, alive = self.live("bad", [("key", "ctrl+r"), self.run_done("gui-command"), ("sleep", 1.0), ("shot", "run-window")])
        self.assertTrue(alive)
        clip = self.run_record("gui-command")["clips"][self.keys[0]]
        self.assertEqual(clip["status"], "complete")
        self.assertEqual(clip["bad_answers"], 3)
        print("\n  bad-answer screenshots: %s" % shots, file=sys.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
