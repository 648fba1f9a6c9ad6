#!/usr/bin/env python3
"""`idmscope infer` end to end: the real worker, the baseline, the openai backend against the
loopback mock server (429 + Retry-After in seconds and as HTTP-dates, 500, slow answers, malformed JSON, dropped
connections, think tags, code fences), resumable runs, API keys, import, the command
backend, Ctrl+C cancel, a crashing worker, and `idmscope score` reading the store."""
import glob
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.request

BINARY = os.environ.get("IDMSCOPE_BIN", "build/app/idmscope")
FAKE_WORKER = os.environ.get("IDMSCOPE_FAKE_WORKER", "build/tests/fake_worker")
HERE = os.path.dirname(os.path.abspath(__file__))
MOCK = os.path.join(HERE, "mock_openai.py")


def run(*args, expect=0, env=None, timeout=300):
    result = subprocess.run([BINARY, *args], capture_output=True, text=True, timeout=timeout, env=env)
    if expect is not None and result.returncode != expect:
        raise AssertionError("%s exited %d (expected %d)\n%s\n%s" % (" ".join(args), result.returncode, expect,
                                                                     result.stdout[-3000:], result.stderr[-3000:]))
    return result


class Mock:
    def __init__(self, dataset, *extra):
        self.process = subprocess.Popen([sys.executable, MOCK, "--dataset", dataset, *extra], stdout=subprocess.PIPE, text=True)
        line = self.process.stdout.readline()
        assert line.startswith("PORT "), line
        self.url = "http://127.0.0.1:%s/v1" % line.split()[1]

    def stats(self):
        with urllib.request.urlopen(self.url.replace("/v1", "/stats")) as response:
            return json.load(response)

    def close(self):
        self.process.terminate()
        self.process.wait()
        self.process.stdout.close()


def store_text(store):
    text = ""
    for path in glob.glob(os.path.join(store, "**", "*.json"), recursive=True):
        with open(path) as f:
            text += f.read()
    return text


def score(dataset, source, tmp, profile="protocol"):
    out = os.path.join(tmp, "score-%d.json" % time.monotonic_ns())
    run("score", "--dataset", dataset, "--predictions", source, "--profile", profile, "--json", out)
    with open(out) as f:
        return json.load(f)


class InferTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="idmscope-infer-")
        cls.dataset = os.path.join(cls.tmp, "sample")
        run("synth", cls.dataset, "--clips", "2", "--seed", "3")
        cls.mock = Mock(cls.dataset, "--faults", "--latency-ms", "20", "--slow-s", "2.5", "--require-key", "s3cret-key")

    @classmethod
    def tearDownClass(cls):
        cls.mock.close()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def store(self, name):
        return os.path.join(self.dataset, ".idmscope", "predictions", name)

    def openai(self, name, *extra, key="s3cret-key", expect=0):
        env = dict(os.environ, IDM_TEST_KEY=key)
        return run("infer", self.dataset, "--backend", "openai", "--run", name, "--api-url", self.mock.url, "--model", "idm-test",
                   "--api-key-env", "IDM_TEST_KEY", "--concurrency", "4", "--timeout", "1", "--max-edge", "640", *extra,
                   expect=expect, env=env)

    def test_baseline_fills_a_run_that_score_reads(self):
        result = run("infer", self.dataset, "--backend", "baseline", "--run", "base")
        self.assertIn("2 complete", result.stdout)
        self.assertIn("windows 8/8", result.stderr)  # the progress bar
        store = self.store("base")
        with open(os.path.join(store, "run.json")) as f:
            record = json.load(f)
        self.assertEqual(record["backend"]["name"], "baseline")
        self.assertEqual(len(record["clips"]), 2)
        for clip in record["clips"].values():
            self.assertEqual(clip["status"], "complete")
            self.assertEqual(len(clip["windows"]), 4)
        summary = score(self.dataset, store, self.tmp)
        self.assertIsNotNone(summary["mouse"]["r2"])
        self.assertGreater(summary["mouse"]["frame_f1"], 0.3)
        self.assertGreater(summary["mouse"]["r2"], 0.9)  # 0.97 on these two clips (0.84 before the pointer tracker)
        self.assertEqual(sum(len(c["warnings"]) for c in summary["clips"]), 0)

    def test_openai_survives_every_fault_then_resumes_without_requests(self):
        before_stats = self.mock.stats()
        before = before_stats["requests"]
        result = self.openai("mock")
        self.assertIn("2 complete", result.stdout)
        stats = self.mock.stats()
        for fault, count in stats["faults"].items():
            self.assertGreater(count, 0, fault)  # each kind was injected and survived
        self.assertTrue(stats["retry_after_gaps_s"])
        self.assertGreaterEqual(min(stats["retry_after_gaps_s"]), 0.95)  # Retry-After: 1 was honoured
        self.assertEqual(stats["labelled_requests"] - before_stats["labelled_requests"], stats["requests"] - before)  # "Frame Fxx:" before each image
        store = self.store("mock")
        with open(os.path.join(store, "run.json")) as f:
            record = json.load(f)
        self.assertEqual(record["model"], "idm-test")
        self.assertEqual(len(record["prompt_hash"]), 16)
        raws = [w["raw"] for clip in record["clips"].values() for w in clip["windows"]]
        self.assertEqual(len(raws), 8)
        self.assertTrue(any("<think>" in raw for raw in raws))
        self.assertTrue(any("```" in raw for raw in raws))
        self.assertNotIn("s3cret-key", store_text(store))  # the key is never written
        summary = score(self.dataset, store, self.tmp)
        self.assertGreater(summary["overall"]["f1"], 0.6)
        self.assertGreater(summary["mouse"]["r2"], 0.7)  # perturbed GT: 10% dropped
        # Resumed: every clip is complete, so nothing is sent.
        requests = self.mock.stats()["requests"]
        result = self.openai("mock")
        self.assertIn("2 skipped", result.stdout)
        self.assertEqual(self.mock.stats()["requests"], requests)
        self.assertGreater(requests, before)

    def test_retry_after_http_dates_are_honoured(self):
        dated = Mock(self.dataset, "--rate-limit-dates")
        try:
            result = run("infer", self.dataset, "--backend", "openai", "--run", "dated", "--api-url", dated.url, "--model", "m",
                         "--concurrency", "4", "--max-edge", "320", "--clips", "*clip_000*")
            self.assertIn("1 complete", result.stdout)
            stats = dated.stats()
            self.assertEqual(stats["retry_after_forms"], {"imf": 2, "rfc850": 1, "asctime": 1})  # 4 windows, forms in turn
            gaps = stats["retry_after_gaps_s"]
            self.assertEqual(len(gaps), 4)
            # The date was 2 s ahead in whole seconds, so >= 1 s; our own backoff would retry after <= 0.625 s.
            self.assertGreaterEqual(min(gaps), 0.95, gaps)
            self.assertLess(max(gaps), 5, gaps)
        finally:
            dated.close()

    def test_api_key_problems(self):
        env = dict(os.environ)
        env.pop("IDM_NO_SUCH_KEY", None)
        result = run("infer", self.dataset, "--backend", "openai", "--run", "nokey", "--api-url", self.mock.url, "--model", "m",
                     "--api-key-env", "IDM_NO_SUCH_KEY", expect=2, env=env)
        self.assertIn("IDM_NO_SUCH_KEY", result.stderr)
        result = self.openai("wrongkey", "--retries", "0", key="wrong-key", expect=1)
        self.assertIn("HTTP 401", result.stderr)
        self.assertNotIn("wrong-key", result.stderr + result.stdout + store_text(self.store("wrongkey")))

    def test_import_equals_the_source(self):
        source = os.path.join(self.dataset, "predictions", "good.json")
        run("infer", self.dataset, "--backend", "import", "--run", "imported", "--from", source)
        direct = score(self.dataset, source, self.tmp)
        imported = score(self.dataset, self.store("imported"), self.tmp)
        for field in ("tp", "fp", "fn"):
            self.assertEqual(direct["overall"][field], imported["overall"][field])
        self.assertEqual(direct["mouse"], imported["mouse"])

    def test_command_backend_gets_pngs_and_its_answers_are_merged(self):
        script = os.path.join(self.tmp, "model.py")
        with open(script, "w") as f:
            f.write("import json, sys\n"
                    "request = json.load(sys.stdin)\n"
                    "assert len(request['frames']) == 10, request\n"
                    "for frame in request['frames']:\n"
                    "    with open(frame['path'], 'rb') as png:\n"
                    "        assert png.read(8) == b'\\x89PNG\\r\\n\\x1a\\n'\n"
                    "print('<think>hm</think>```json')\n"
                    "print(json.dumps([{'frame': 'F02', 'type': 'KeyPress', 'details': 'A'},\n"
                    "                  {'frame': 'F03', 'type': 'MouseClick', 'details': 'Left'}]))\n"
                    "print('```')\n")
        run("infer", self.dataset, "--backend", "command", "--run", "cmd", "--command", sys.executable, "--command-arg", script,
            "--max-edge", "320")
        files = sorted(glob.glob(os.path.join(self.store("cmd"), "**", "clip_*.json"), recursive=True))
        self.assertEqual(len(files), 2)
        with open(files[0]) as f:
            frames = [item["frame"] for item in json.load(f)["predictions"]]
        self.assertEqual(frames, ["F02", "F03", "F08", "F13", "F18"])

    def test_ctrl_c_cancels_in_flight_requests_quickly(self):
        slow = Mock(self.dataset, "--latency-ms", "30000")
        try:
            process = subprocess.Popen([BINARY, "infer", self.dataset, "--backend", "openai", "--run", "cancelled", "--api-url",
                                        slow.url, "--model", "m", "--concurrency", "4", "--max-edge", "320"],
                                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            deadline = time.monotonic() + 60
            while slow.stats()["in_flight"] == 0 and time.monotonic() < deadline:
                time.sleep(0.05)
            self.assertGreater(slow.stats()["in_flight"], 0)
            asked = time.monotonic()
            process.send_signal(signal.SIGINT)
            stdout, stderr = process.communicate(timeout=10)  # closes the pipes
            elapsed = time.monotonic() - asked
            self.assertEqual(process.returncode, 130, stderr)
            self.assertLess(elapsed, 2.5)  # requests aborted within ~1 s, worker stopped, store saved
            self.assertIn("cancelled", stdout)
            with open(os.path.join(self.store("cancelled"), "run.json")) as f:
                record = json.load(f)
            self.assertTrue(all(c["status"] == "cancelled" for c in record["clips"].values()))
        finally:
            slow.close()

    def test_a_crashing_worker_is_reported_with_its_log(self):
        wrapper = os.path.join(self.tmp, "crashing-worker")
        with open(wrapper, "w") as f:
            f.write("#!/bin/sh\nexec '%s' crash-on-run\n" % FAKE_WORKER)
        os.chmod(wrapper, os.stat(wrapper).st_mode | stat.S_IXUSR)
        result = run("infer", self.dataset, "--backend", "baseline", "--run", "crash", "--worker", wrapper, expect=1)
        self.assertIn("killed by signal 6", result.stderr)
        self.assertIn("fake worker: run", result.stderr)  # the worker's log tail

    def test_bad_command_lines(self):
        self.assertIn("--backend", run("infer", self.dataset, "--run", "x", expect=2).stderr)
        self.assertIn("unknown backend", run("infer", self.dataset, "--backend", "gpt", "--run", "x", expect=2).stderr)
        self.assertIn("run name", run("infer", self.dataset, "--backend", "baseline", "--run", "../x", expect=2).stderr)
        self.assertIn("not found", run("infer", self.dataset, "--backend", "baseline", "--run", "x", "--config",
                                       os.path.join(self.tmp, "none.json"), expect=2).stderr)
        empty = os.path.join(self.tmp, "empty.json")
        with open(empty, "w") as f:
            f.write("{}")
        self.assertIn("--api-url", run("infer", self.dataset, "--backend", "openai", "--run", "x", "--config", empty,
                                       expect=2).stderr)
        self.assertIn("no clips", run("infer", self.dataset, "--backend", "baseline", "--run", "x", "--clips", "nomatch*",
                                      expect=1).stderr)

    def test_model_settings_default_from_the_config_file(self):
        config = os.path.join(self.tmp, "infer.json")
        with open(config, "w") as f:
            json.dump({"openai": {"api_url": self.mock.url, "model": "from-config", "api_key_env": "IDM_TEST_KEY",
                                  "timeout_s": 1, "max_edge_px_ignored": True}}, f)
        env = dict(os.environ, IDM_TEST_KEY="s3cret-key", XDG_CONFIG_HOME=os.path.join(self.tmp, "nowhere"))
        run("infer", self.dataset, "--backend", "openai", "--run", "fromconfig", "--config", config, "--clips", "*clip_000*",
            "--max-edge", "320", env=env)
        with open(os.path.join(self.store("fromconfig"), "run.json")) as f:
            record = json.load(f)
        self.assertEqual(record["model"], "from-config")
        self.assertEqual(len(record["clips"]), 1)
        # The default location is $XDG_CONFIG_HOME/idmscope/infer.json.
        os.makedirs(os.path.join(self.tmp, "xdg", "idmscope"), exist_ok=True)
        shutil.copy(config, os.path.join(self.tmp, "xdg", "idmscope", "infer.json"))
        env["XDG_CONFIG_HOME"] = os.path.join(self.tmp, "xdg")
        result = run("infer", self.dataset, "--backend", "openai", "--run", "fromconfig", "--clips", "*clip_000*", env=env)
        self.assertIn("1 skipped", result.stdout)

    def test_saved_frame_settings_apply_and_flags_win(self):
        # The viewer's "Save as defaults" writes a backend's "frames"; the CLI uses them and its
        # flags still win. A wrong type is named with the file.
        config = os.path.join(self.tmp, "frames.json")
        with open(config, "w") as f:
            json.dump({"baseline": {"frames": {"max_edge_px": 320, "burn_labels": False}, "concurrency": 1}}, f)
        run("infer", self.dataset, "--backend", "baseline", "--run", "frames-saved", "--config", config, "--clips", "*clip_000*")
        with open(os.path.join(self.store("frames-saved"), "run.json")) as f:
            record = json.load(f)
        self.assertEqual(record["frames"], {"max_edge_px": 320, "burn_labels": False})
        self.assertNotIn("frames", record["backend"])
        run("infer", self.dataset, "--backend", "baseline", "--run", "frames-flag", "--config", config, "--clips", "*clip_000*",
            "--max-edge", "200")
        with open(os.path.join(self.store("frames-flag"), "run.json")) as f:
            self.assertEqual(json.load(f)["frames"]["max_edge_px"], 200)
        with open(config, "w") as f:
            json.dump({"baseline": {"frames": 5}}, f)
        stderr = run("infer", self.dataset, "--backend", "baseline", "--run", "frames-bad", "--config", config, expect=2).stderr
        self.assertIn(config + ": $.baseline.frames is not an object", stderr)

    def test_bench_infer_prints_the_ratio(self):
        result = subprocess.run([BINARY, "bench", "infer", "--requests", "16", "--concurrency", "8", "--latency-ms", "100"],
                                capture_output=True, text=True, timeout=120, cwd=self.tmp)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("ratio wall / (summed latency / 8)", result.stdout)


def write_program(folder, name, body):
    path = os.path.join(folder, name)
    with open(path, "w") as f:
        f.write(body)
    os.chmod(path, 0o755)
    return path


def run_json(store):
    with open(os.path.join(store, "run.json")) as f:
        return json.load(f)


def window_errors(record):
    return [w.get("error", "") for clip in record["clips"].values() for w in clip.get("windows", []) if w]


class FaultTest(unittest.TestCase):
    """Model programs and workers that misbehave: each becomes that clip's error or a counted
    bad answer, never a crash, a hang or a silent empty result."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="idmscope-faults-")
        cls.dataset = os.path.join(cls.tmp, "sample")
        run("synth", cls.dataset, "--clips", "2", "--seed", "5")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def store(self, name):
        return os.path.join(self.dataset, ".idmscope", "predictions", name)

    def command(self, name, program, *extra, expect=0, timeout=120):
        return run("infer", self.dataset, "--backend", "command", "--run", name, "--command", program, "--max-edge", "160",
                   *extra, expect=expect, timeout=timeout)

    def test_a_program_that_exits_without_reading_fails_its_clips_not_the_worker(self):
        result = self.command("true", "/bin/true", expect=1)
        self.assertNotIn("signal 13", result.stderr)
        self.assertNotIn("worker exited", result.stderr)
        self.assertIn("0 complete", result.stdout)
        self.assertIn("2 failed", result.stdout)
        errors = window_errors(run_json(self.store("true")))
        self.assertEqual(len(errors), 8)
        self.assertTrue(all("exited without reading its request" in e for e in errors), errors)
        # The failed clips are left out of scores with a warning, as the reference skips them.
        out = os.path.join(self.tmp, "true-score.json")
        scored = run("score", "--dataset", self.dataset, "--predictions", self.store("true"), "--json", out)
        self.assertIn("inference failed", scored.stderr)
        with open(out) as f:
            summary = json.load(f)
        self.assertTrue(all("left out of scores" in c.get("error", "") for c in summary["clips"]), summary["clips"])
        self.assertEqual(summary["overall"]["tp"] + summary["overall"]["fn"], 0)
        # A resume runs the failed clips again.
        good = write_program(self.tmp, "answers-empty.sh", "#!/bin/sh\ncat >/dev/null\necho '[]'\n")
        self.assertIn("2 complete", self.command("true", good).stdout)

    def test_a_grandchild_holding_the_pipes_does_not_block_the_run_and_is_killed(self):
        pids = os.path.join(self.tmp, "grandchild-pids")
        program = write_program(self.tmp, "leaves-a-child.sh",
                                "#!/bin/sh\ncat >/dev/null\nsleep 987.25 &\necho $! >> '%s'\nsetsid sleep 987.5 &\n"
                                "echo '[]'\necho 'model: done' >&2\n" % pids)
        started = time.monotonic()
        try:
            result = self.command("grandchild", program, timeout=90)
            elapsed = time.monotonic() - started
            self.assertIn("2 complete", result.stdout)
            self.assertLess(elapsed, 30)  # 8 windows; each waits at most 0.5 s for the pipes after the exit
            with open(pids) as f:
                in_group = [int(line) for line in f if line.strip()]
            self.assertEqual(len(in_group), 8)
            time.sleep(0.2)
            for pid in in_group:  # killed with the program's process group
                try:
                    with open("/proc/%d/cmdline" % pid, "rb") as f:
                        self.assertNotIn(b"987.25", f.read(), pid)
                except FileNotFoundError:
                    pass
        finally:
            # The setsid ones left the group on purpose; they are ours to end.
            for entry in os.listdir("/proc"):
                if entry.isdigit():
                    try:
                        with open("/proc/%s/cmdline" % entry, "rb") as f:
                            if f.read().split(b"\0")[:2] == [b"sleep", b"987.5"]:
                                os.kill(int(entry), signal.SIGKILL)
                    except OSError:
                        pass

    def test_garbage_cut_off_and_empty_answers_are_scored_as_empty_and_counted(self):
        program = write_program(self.tmp, "bad-answers.py",
                                "#!/usr/bin/env python3\nimport json, sys\nrequest = json.load(sys.stdin)\n"
                                "w = request['window']\n"
                                "if w == 0: print('I am sorry, I cannot see the frames.')\n"
                                "elif w == 1: print('[{\"frame\": \"F02\", \"type\": \"KeyPress\", \"details\": \"A\"}, {\"frame\": \"F0', end='')\n"
                                "elif w == 2: pass\n"
                                "else: print(json.dumps([{'frame': 'F03', 'type': 'MouseClick', 'details': 'Left'}]))\n")
        result = self.command("bad", program)
        self.assertIn("2 complete", result.stdout)
        self.assertIn("bad answers: 6 windows in 2 clips", result.stdout)
        self.assertIn("3 of 4 model answers were empty or had no JSON array", result.stderr)
        record = run_json(self.store("bad"))
        self.assertEqual(record["bad_answers"], 6)
        for clip in record["clips"].values():
            self.assertEqual(clip["status"], "complete")
            self.assertEqual(clip["bad_answers"], 3)
            problems = [w.get("bad_answer") for w in clip["windows"]]
            self.assertEqual(problems, ["no JSON array in the answer", "no JSON array in the answer", "empty answer", None])
        files = sorted(glob.glob(os.path.join(self.store("bad"), "**", "clip_*.json"), recursive=True))
        self.assertEqual(len(files), 2)
        for path in files:
            with open(path) as f:
                document = json.load(f)
            self.assertEqual(document["bad_answers"], 3)
            self.assertEqual([p["frame"] for p in document["predictions"]], ["F18"])  # window 3's F03 (start 15)
        out = os.path.join(self.tmp, "bad-score.json")
        scored = run("score", "--dataset", self.dataset, "--predictions", self.store("bad"), "--json", out)
        self.assertIn("3 model answer(s) were empty or had no JSON array", scored.stderr)
        with open(out) as f:
            summary = json.load(f)
        self.assertTrue(all(any("scored as []" in w for w in c["warnings"]) for c in summary["clips"]))
        # A resume keeps them (they are results, scored as the reference does) unless asked.
        self.assertIn("2 skipped", self.command("bad", program).stdout)
        fixed = write_program(self.tmp, "fixed.sh", "#!/bin/sh\ncat >/dev/null\necho '[]'\n")
        result = self.command("bad", fixed, "--retry-bad-answers")
        self.assertIn("2 complete", result.stdout)
        self.assertNotIn("bad answers", result.stdout)
        self.assertEqual(run_json(self.store("bad"))["bad_answers"], 0)

    def test_timeout_applies_to_the_command_backend(self):
        program = write_program(self.tmp, "hangs.sh", "#!/bin/sh\ncat >/dev/null\nsleep 60\n")
        started = time.monotonic()
        result = self.command("slow", program, "--timeout", "1", "--clips", "*clip_000*", expect=1, timeout=60)
        self.assertLess(time.monotonic() - started, 20)  # 4 windows of 1 s, not 4 of 300 s
        record = run_json(self.store("slow"))
        self.assertEqual(record["backend_config"]["timeout_s"], 1)
        errors = window_errors(record)
        self.assertEqual(len(errors), 4)
        self.assertTrue(all("timed out after 1 s" in e for e in errors), errors)
        self.assertIn("timed out after 1 s", result.stderr)

    def test_ctrl_c_cancels_a_hung_program(self):
        started = os.path.join(self.tmp, "hung-program-started")
        program = write_program(self.tmp, "hangs-long.sh", "#!/bin/sh\ncat >/dev/null\nsleep 120 &\ntouch '%s'\nwait\n" % started)
        process = subprocess.Popen([BINARY, "infer", self.dataset, "--backend", "command", "--run", "interrupted", "--command", program,
                                    "--max-edge", "160"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 60
        while not os.path.exists(started) and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertTrue(os.path.exists(started))  # the program runs, its child holds the pipes
        asked = time.monotonic()
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=20)
        self.assertEqual(process.returncode, 130, stderr)
        self.assertLess(time.monotonic() - asked, 5)
        self.assertIn("cancelled", stdout)

    def test_answers_up_to_the_limit_pass_and_longer_ones_are_named(self):
        program = write_program(self.tmp, "big.py",
                                "#!/usr/bin/env python3\nimport json, sys\nrequest = json.load(sys.stdin)\n"
                                "size = int(sys.argv[1]) if request['window'] == 0 else 0\n"
                                "print(json.dumps([{'frame': 'F02', 'type': 'KeyPress', 'details': 'A', 'pad': 'x' * size}]))\n")
        result = self.command("big-ok", program, "--command-arg", str(15 << 20), "--clips", "*clip_000*", timeout=180)
        self.assertIn("1 complete", result.stdout)
        record = run_json(self.store("big-ok"))
        self.assertGreater(len(next(iter(record["clips"].values()))["windows"][0]["raw"]), 15 << 20)
        result = self.command("big-over", program, "--command-arg", str(17 << 20), "--clips", "*clip_000*", expect=1, timeout=180)
        self.assertIn("16 MiB", result.stderr)
        self.assertNotIn("garbage", result.stderr)
        self.assertIn("wrote more than 16 MiB on stdout", " ".join(window_errors(run_json(self.store("big-over")))))

    def test_malformed_worker_messages_fail_one_clip_each(self):
        for event, field in [({"type": "progress", "stage": "windows", "done": 0, "total": "x"}, "progress.total"),
                             ({"type": "clip_result", "failed_windows": "many"}, "clip_result.failed_windows"),
                             ({"type": "error", "message": 12345}, "error.message")]:
            with self.subTest(field=field):
                wrapper = write_program(self.tmp, "malformed-worker", "#!/bin/sh\nexec '%s' 'send-on-first-run=%s'\n" % (FAKE_WORKER, json.dumps(event)))
                name = "malformed-" + field.replace(".", "-")
                result = run("infer", self.dataset, "--backend", "baseline", "--run", name, "--worker", wrapper, expect=1)
                self.assertIn("1 complete", result.stdout)
                self.assertIn("1 failed", result.stdout)
                self.assertIn(field, result.stderr)
                self.assertNotIn("terminate called", result.stderr)

    def test_an_echoed_api_key_is_scrubbed_everywhere(self):
        echo = Mock(self.dataset, "--echo-auth")
        key = "sk-echo-0123456789abcdef"
        try:
            env = dict(os.environ, IDM_ECHO_KEY=key)
            result = run("infer", self.dataset, "--backend", "openai", "--run", "echo", "--api-url", echo.url, "--model", "m",
                         "--api-key-env", "IDM_ECHO_KEY", "--retries", "0", "--max-edge", "160", env=env, expect=1)
        finally:
            echo.close()
        self.assertIn("HTTP 401", result.stderr)
        self.assertIn("Bearer [redacted]", result.stderr)  # the echo is there, the key is not
        everything = result.stdout + result.stderr + store_text(self.store("echo"))
        self.assertNotIn(key, everything)
        self.assertNotIn(key[3:], everything)


if __name__ == "__main__":
    unittest.main(verbosity=2)
