#!/usr/bin/env python3
"""Dataset discovery and odd inputs: no clip vanishes without a word. Every odd entry of a
dataset (a clip JSON that is `[]` beside its video, a folder, a dangling symlink, a symlink loop,
a FIFO, a link to /dev/zero; a video without its JSON; a start_s that moves every event past the
video; end_s before start_s) is a named problem for `check` and `score --dataset`, a symlinked
clips_recording_* folder is listed, and nothing hangs. A video shorter than one grid frame is an
error for check, export and the viewer's --screenshot. `--` ends the options."""
import glob
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import unittest

BINARY = os.path.abspath(os.environ.get("IDMSCOPE_BIN", "build/app/idmscope"))
XVFB = ["xvfb-run", "-a", "-s", "-screen 0 1920x1080x24"]
TIMEOUT_S = 60  # nothing here should take more than a few seconds; a hang fails the test


def viewer_env():
    """The viewer under a sanitizer build: Mesa's GL driver (dlopen'ed, unloaded at exit) leaves
    allocations LeakSanitizer cannot attribute, so leaks are not checked there (as in the GUI
    suites); memory accesses stay checked."""
    env = dict(os.environ)
    options = env.get("ASAN_OPTIONS", "")
    env["ASAN_OPTIONS"] = (options + ":" if options else "") + "detect_leaks=0"
    return env


def run(*args, expect=None, timeout=TIMEOUT_S, prefix=(), cwd=None):
    """Runs idmscope in its own process group, so a hang is killed whole (Xvfb and the viewer too)."""
    process = subprocess.Popen([*prefix, BINARY, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=cwd,
                               start_new_session=True, env=viewer_env() if prefix == XVFB else None)
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise
    result = subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)
    if expect is not None and result.returncode != expect:
        raise AssertionError("%s exited %d (expected %d)\nstdout:\n%s\nstderr:\n%s" % (
            " ".join(args), result.returncode, expect, result.stdout[-3000:], result.stderr[-3000:]))
    return result


def clip_keys(dataset):
    return sorted(os.path.relpath(p, dataset)[:-5] for p in glob.glob(os.path.join(dataset, "clips_*", "clip_*.json")))


def edit_json(path, **fields):
    with open(path) as f:
        clip = json.load(f)
    clip.update(fields)
    with open(path, "w") as f:
        json.dump(clip, f)


class OddDataset(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="idmscope-dataset-")
        cls.dataset = os.path.join(cls.tmp, "odd")
        run("synth", cls.dataset, "--clips", "12", "--size", "128x80", "--seed", "3", expect=0)
        cls.keys = clip_keys(cls.dataset)
        assert len(cls.keys) == 12, cls.keys
        folders = sorted({k.split("/")[0] for k in cls.keys})
        assert len(folders) == 2, folders
        # The second recording lives elsewhere; the dataset reaches it through a symlink.
        elsewhere = os.path.join(cls.tmp, "elsewhere")
        os.makedirs(elsewhere)
        shutil.move(os.path.join(cls.dataset, folders[1]), os.path.join(elsewhere, folders[1]))
        os.symlink(os.path.join(elsewhere, folders[1]), os.path.join(cls.dataset, folders[1]))
        # ... and holds a link back to the dataset folder (a loop that must not be followed forever).
        os.symlink(cls.dataset, os.path.join(cls.dataset, folders[1], "loop"))

        def json_path(i):
            return os.path.join(cls.dataset, cls.keys[i] + ".json")

        cls.expected = {}  # key -> (kind, text the message must contain)
        with open(json_path(0), "w") as f:
            f.write("[]")
        cls.expected[cls.keys[0]] = ("array-clip", "top-level value is an array")
        os.remove(json_path(1))
        os.mkdir(json_path(1))
        cls.expected[cls.keys[1]] = ("not-a-file", "a folder")
        os.remove(json_path(2))
        os.symlink(os.path.join(cls.tmp, "nowhere.json"), json_path(2))
        cls.expected[cls.keys[2]] = ("not-a-file", "dangling symlink")
        os.remove(json_path(3))
        os.symlink(os.path.basename(json_path(3)), json_path(3))
        cls.expected[cls.keys[3]] = ("not-a-file", "symlink loop")
        os.remove(json_path(4))
        os.mkfifo(json_path(4))
        cls.expected[cls.keys[4]] = ("not-a-file", "FIFO")
        os.remove(json_path(5))
        os.symlink("/dev/zero", json_path(5))
        cls.expected[cls.keys[5]] = ("not-a-file", "character device")
        os.remove(json_path(6))  # inside the symlinked folder: the video stays, its log is gone
        cls.expected[cls.keys[6]] = ("no-json", "no " + os.path.basename(json_path(6)))
        edit_json(json_path(7), start_s=-5)
        cls.expected[cls.keys[7]] = ("outside-video", "is start_s -5 right?")
        with open(json_path(8)) as f:
            start_s = json.load(f)["start_s"]
        edit_json(json_path(8), end_s=start_s - 1)
        cls.expected[cls.keys[8]] = ("end-before-start", "before start_s")
        cls.clean = cls.keys[9:]

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_check_names_every_odd_entry_and_exits_1(self):
        result = run("check", self.dataset, "--json", "-", expect=1)
        report = json.loads(result.stdout)
        self.assertEqual(report["clips"], 12)  # the symlinked folder's clips are listed; prediction files are not
        problems = {}
        for finding in report["findings"]:
            if finding["severity"] == "problem":
                problems.setdefault(finding["clip"], []).append(finding)
        for key, (kind, text) in self.expected.items():
            found = [f for f in problems.get(key, []) if f["kind"] == kind]
            self.assertTrue(found, "%s: no %s problem in %s" % (key, kind, problems.get(key)))
            self.assertIn(text, found[0]["message"], key)
        for key in self.clean:
            self.assertNotIn(key, problems, key)
        loops = [f for f in report["findings"] if f["kind"] == "symlink-loop"]
        self.assertEqual(len(loops), 1, report["findings"])
        self.assertEqual(loops[0]["message"], self.keys[6].split("/")[0] + "/loop: links to an enclosing folder (the dataset folder); not followed again")
        # The plain text report says the same, one line per problem.
        text = run("check", self.dataset, "--problems-only", expect=1).stdout
        for key, (kind, _) in self.expected.items():
            self.assertRegex(text, r"PROBLEM\s+%s\s+%s: " % (kind, key))
        self.assertIn("12 clips:", text)

    def test_score_names_every_clip_it_cannot_score(self):
        out = os.path.join(self.tmp, "score.json")
        result = run("score", "--dataset", self.dataset, "--predictions", os.path.join(self.dataset, "predictions", "good"),
                     "--profile", "reference", "--json", out, expect=0)
        for key, (kind, _) in self.expected.items():
            self.assertIn("%s: %s: " % (kind, key), result.stderr, key)
        self.assertIn("7 of 12 clips cannot be read and are not scored", result.stderr)
        with open(out) as f:
            clips = {c["clip"]: c for c in json.load(f)["clips"]}
        self.assertEqual(sorted(clips), self.keys)
        for i in range(7):
            self.assertIn("error", clips[self.keys[i]], self.keys[i])
        for key in self.clean:
            self.assertNotIn("error", clips[key])

    def test_summary_lists_the_symlinked_folder(self):
        result = run("summary", self.dataset, expect=0)
        self.assertIn(": 12 clips", result.stdout)
        for key in self.keys:
            self.assertIn(key, result.stdout)

    def test_viewer_names_the_problems_on_open(self):
        if not shutil.which("xvfb-run"):
            self.skipTest("xvfb-run not installed")
        result = run(self.dataset, "--quit-after", "1", "--size", "800x600", prefix=XVFB, timeout=120, expect=0)
        for key, (kind, _) in self.expected.items():
            self.assertIn("%s: %s: " % (kind, key), result.stderr, key)


class ShortVideo(unittest.TestCase):
    """A 1-frame video gives no grid frame at 5 fps: a clear error, never a hang or an empty file."""

    @classmethod
    def setUpClass(cls):
        if not shutil.which("ffmpeg"):
            raise unittest.SkipTest("ffmpeg CLI not installed (needed to write a 1-frame video)")
        cls.tmp = tempfile.mkdtemp(prefix="idmscope-short-")
        cls.dataset = os.path.join(cls.tmp, "short")
        run("synth", cls.dataset, "--clips", "2", "--size", "128x80", "--seed", "4", expect=0)
        cls.key = clip_keys(cls.dataset)[0]
        subprocess.run(["ffmpeg", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "color=c=gray:size=128x80:rate=30",
                        "-frames:v", "1", "-c:v", "libx264", "-pix_fmt", "yuv420p", os.path.join(cls.dataset, cls.key + ".mp4")],
                       check=True, timeout=60)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def display(self):
        return XVFB if shutil.which("xvfb-run") else []

    def test_check_reports_the_short_video(self):
        result = run("check", self.dataset, "--json", "-", expect=1)
        bad = [f for f in json.loads(result.stdout)["findings"] if f["kind"] == "bad-video"]
        self.assertEqual([f["clip"] for f in bad], [self.key])
        self.assertIn("1 frame", bad[0]["message"])
        self.assertIn("fewer than one grid frame", bad[0]["message"])

    def test_export_fails_with_a_message_and_writes_nothing(self):
        for option, extra in (("--mp4", []), ("--png", ["--frame", "0"])):
            out = os.path.join(self.tmp, "out" + (".mp4" if option == "--mp4" else ".png"))
            result = run("export", self.dataset, "--clip", self.key, option, out, *extra, prefix=self.display(), timeout=120)
            self.assertEqual(result.returncode, 1, (option, result.stderr))
            self.assertIn("fewer than one grid frame", result.stderr, option)
            self.assertFalse(os.path.exists(out), option)

    def test_screenshot_exits_and_names_the_error(self):
        if not shutil.which("xvfb-run"):
            self.skipTest("xvfb-run not installed")
        out = os.path.join(self.tmp, "short.png")
        try:
            result = run(self.dataset, "--clip", self.key, "--screenshot", out, "--size", "800x600", prefix=XVFB, timeout=30)
        except subprocess.TimeoutExpired:
            self.fail("--screenshot of a 1-frame video did not finish within 30 s")
        self.assertIn("fewer than one grid frame", result.stderr)
        self.assertTrue(os.path.exists(out))  # the window, showing the error for that clip


class IndexedOpen(unittest.TestCase):
    """Video probes are cached in DATASET/.idmscope/index.json by path, size and mtime; a changed
    file is noticed on the next open; `bench open` measures list and fill, cold and warm."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="idmscope-index-")
        cls.sample = os.path.join(cls.tmp, "sample")
        run("synth", cls.sample, "--clips", "3", "--size", "128x80", "--seed", "6", expect=0)
        cls.keys = clip_keys(cls.sample)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def index_of(self, dataset):
        with open(os.path.join(dataset, ".idmscope", "index.json")) as f:
            return json.load(f)["videos"]

    def test_a_changed_clip_is_noticed_on_the_next_open(self):
        dataset = os.path.join(self.tmp, "changing")
        shutil.copytree(self.sample, dataset, symlinks=True)
        run("check", dataset, expect=0)
        index = self.index_of(dataset)
        self.assertEqual(sorted(index), self.keys)
        self.assertEqual(index[self.keys[0]]["probe"]["grid_frames"], 25)
        # The log changes: the next check reads it (logs are never cached).
        clip_json = os.path.join(dataset, self.keys[0] + ".json")
        with open(clip_json) as f:
            start_s = json.load(f)["start_s"]
        edit_json(clip_json, end_s=start_s - 1)
        result = run("check", dataset, "--json", "-", expect=1)
        kinds = {(f["clip"], f["kind"]) for f in json.loads(result.stdout)["findings"]}
        self.assertIn((self.keys[0], "end-before-start"), kinds)
        # The video changes (another size and mtime): it is probed again and the index follows.
        if shutil.which("ffmpeg"):
            video = os.path.join(dataset, self.keys[1] + ".mp4")
            subprocess.run(["ffmpeg", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "color=c=gray:size=128x80:rate=30",
                            "-frames:v", "1", "-c:v", "libx264", "-pix_fmt", "yuv420p", video], check=True, timeout=60)
            result = run("check", dataset, "--json", "-", expect=1)
            bad = [f for f in json.loads(result.stdout)["findings"] if f["kind"] == "bad-video"]
            self.assertEqual([f["clip"] for f in bad], [self.keys[1]])
            self.assertIn("fewer than one grid frame", self.index_of(dataset)[self.keys[1]]["error"])
        # A clip removed: its entry goes; a garbage index is rebuilt, not trusted.
        os.remove(os.path.join(dataset, self.keys[2] + ".json"))
        os.remove(os.path.join(dataset, self.keys[2] + ".mp4"))
        run("summary", dataset, expect=0)
        self.assertNotIn(self.keys[2], self.index_of(dataset))
        with open(os.path.join(dataset, ".idmscope", "index.json"), "w") as f:
            f.write('{"version": 1, "videos": {"%s": {"stamp": [1, 2], "probe": {"width": -4}}' % self.keys[0])
        result = run("summary", dataset, expect=0)
        self.assertIn("128x80 h264, 25 grid frames", result.stdout)
        self.assertEqual(self.index_of(dataset)[self.keys[0]]["probe"]["width"], 128)

    def test_ten_thousand_symlinked_clips_open_and_bench_open_reports(self):
        big = os.path.join(self.tmp, "big")
        count = 0
        for folder in range(100):
            directory = os.path.join(big, "clips_recording_bench_seg%d" % folder)
            os.makedirs(directory)
            for i in range(100):
                source = os.path.join(self.sample, self.keys[count % len(self.keys)])
                name = os.path.join(directory, "clip_%05d" % count)
                os.symlink(source + ".json", name + ".json")
                os.symlink(source + ".mp4", name + ".mp4")
                count += 1
        result = run("bench", "open", big, timeout=1200, expect=0)
        print("\n" + result.stdout, file=sys.stderr)  # the figures, for the log
        self.assertIn("10000 clips, 10000 videos probed", result.stdout)
        self.assertIn("find -name 'clip_*.json'", result.stdout)
        self.assertIn("(index written; warm: 10000 of 10000 clips from the index)", result.stdout)
        figures = {}
        for line in result.stdout.splitlines():
            words = line.split()
            if line.strip().startswith(("list", "every column")):
                cold = float(words[words.index("cold") + 1])
                warm = float(words[words.index("warm") + 1])
                figures[words[0]] = (cold, warm)
        self.assertLess(figures["list"][1], 30.0)    # generous: about a second on an idle machine
        self.assertLess(figures["every"][1], 120.0)  # warm: no video probed again
        self.assertLess(figures["every"][1], figures["every"][0])
        self.assertEqual(len(self.index_of(big)), 10000)
        result = run("check", big, "--problems-only", timeout=600, expect=0)
        self.assertIn("10000 clips: 0 problems", result.stdout)


class EndOfOptions(unittest.TestCase):
    def test_double_dash_ends_the_options(self):
        tmp = tempfile.mkdtemp(prefix="idmscope-args-")
        try:
            run("synth", "--odd-name", "--clips", "1", "--size", "128x80", cwd=tmp, expect=2)  # an unknown option
            run("synth", "--clips", "1", "--size", "128x80", "--", "--odd-name", cwd=tmp, expect=0)
            self.assertTrue(os.path.isdir(os.path.join(tmp, "--odd-name")))
            result = run("summary", "--", "--odd-name", cwd=tmp, expect=0)
            self.assertIn("1 clips", result.stdout)
            run("check", "--problems-only", "--", "--odd-name", cwd=tmp, expect=0)
            # After "--" even --help is a folder name.
            result = run("summary", "--", "--help", cwd=tmp, expect=2)
            self.assertIn("--help: not a folder", result.stderr)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    unittest.main(verbosity=2)
