#!/usr/bin/env python3
"""Video grid tests: idmscope's grid frames must be exactly the images `ffmpeg -vf fps=5` writes.

Each fixture burns its source frame index into the pixels (10 black/white blocks, one bit
each), so the index survives compression and can be read back from any PNG.
"""
import operator
import os
import shutil
import subprocess
import tempfile
import time
import unittest

BINARY = os.environ.get("IDMSCOPE_BIN", "build/app/idmscope")
WIDTH, HEIGHT = 320, 192
BITS = 10
BLOCK = WIDTH // BITS
FRAME_BYTES = WIDTH * HEIGHT * 3

# Top half: the frame number N in binary; bottom half: saturated chroma ramps, so a wrong
# colour matrix or range shows up in the pixel comparison.
SOURCE = ("nullsrc=s=%dx%d:r={fps},format=yuv420p,"
          "geq=lum='if(lt(Y,H/2),16+219*mod(floor(N/pow(2,floor(X/%d))),2),128)'"
          ":cb='if(lt(Y,H/2),128,X*255/W)':cr='if(lt(Y,H/2),128,255-Y*255/H)'") % (WIDTH, HEIGHT, BLOCK)
BT709 = ["-colorspace", "bt709", "-color_primaries", "bt709", "-color_trc", "bt709", "-color_range", "tv"]

# name: (fps, frames, extra output args, extension, audio lead in seconds or None, grid length)
FIXTURES = {
    "f30_150": (30, 150, [], "mp4", None, 25),
    "f30_146": (30, 146, [], "mp4", None, 24),
    "f30_153": (30, 153, [], "mp4", None, 26),
    "f60_300": (60, 300, [], "mp4", None, 25),
    "gop60": (30, 150, ["-g", "60"], "mp4", None, 25),
    "gop250": (30, 150, ["-g", "250"], "mp4", None, 25),
    "intra": (30, 150, ["-g", "1"], "mp4", None, 25),
    "start_0_7": (30, 150, ["-output_ts_offset", "0.7"], "mp4", None, 25),
    "aac_lead_0_12": (30, 150, [], "mp4", 0.12, 26),
    "aac_lead_0_04": (30, 150, [], "mp4", 0.04, 25),
    "mkv_untagged": (30, 150, [], "mkv", None, 25),
    "hevc_bframes": (30, 150, ["-c:v", "libx265", "-x265-params", "log-level=error:bframes=4:keyint=60"], "mp4",
                     None, 25),
    # Variable frame rate, as screen recorders write it: static stretches dropped (a gap of 16
    # frames, every 7th frame) and jittered timestamps; timestamps passed through as they are.
    "vfr": (30, 150, ["-vf", "trim=end_frame=150,select='not(between(n,40,55))*not(eq(mod(n,7),3))',"
                      "settb=1/90000,setpts='PTS+720*sin(N)'", "-fps_mode", "passthrough", "-enc_time_base", "1:90000",
                      "-video_track_timescale", "90000"], "mp4", None, None),
}
# Fixtures whose file drops source frames: the burned index is not file index + constant.
NOT_CONTIGUOUS = {"vfr"}


def ffmpeg(*args):
    subprocess.run(["ffmpeg", "-nostdin", "-loglevel", "error", "-y", *args], check=True, timeout=300)


def make_fixture(path, fps, frames, extra, ext, audio_lead):
    video_path = path
    if audio_lead is not None:
        video_path = path + ".video." + ext  # encode first, then shift it against the audio
    codec = [] if "-c:v" in extra else ["-c:v", "libx264", "-preset", "veryfast"]
    tags = [] if ext == "mkv" else BT709
    ffmpeg("-f", "lavfi", "-i", SOURCE.format(fps=fps), "-frames:v", str(frames), *codec, "-pix_fmt", "yuv420p",
           *tags, *extra, video_path)
    if audio_lead is not None:
        # A silent AAC track that starts audio_lead seconds before the video, as in recordings.
        ffmpeg("-f", "lavfi", "-i", "anullsrc=r=48000:cl=mono:d=5.3", "-itsoffset", str(audio_lead),
               "-i", video_path, "-map", "1:v", "-map", "0:a", "-c:v", "copy", "-c:a", "aac", path)


def run(*args, timeout=120):
    return subprocess.run([BINARY, *args], capture_output=True, text=True, timeout=timeout)


def read_pngs(directory, pattern):
    """All frames of a numbered PNG sequence as rgb24 byte strings (one ffmpeg call)."""
    count = len([f for f in os.listdir(directory) if f.endswith(".png")])
    if count == 0:
        return []
    raw = subprocess.run(["ffmpeg", "-nostdin", "-loglevel", "error", "-i", os.path.join(directory, pattern),
                          "-f", "rawvideo", "-pix_fmt", "rgb24", "-"], capture_output=True, check=True).stdout
    frames = [raw[i:i + FRAME_BYTES] for i in range(0, len(raw), FRAME_BYTES)]
    assert len(frames) == count, (directory, len(frames), count)
    return frames


def burned_index(rgb):
    index = 0
    for bit in range(BITS):
        total = count = 0
        for y in range(24, 72, 4):
            row = y * WIDTH * 3
            for x in range(bit * BLOCK + 8, bit * BLOCK + BLOCK - 8, 2):
                total += rgb[row + x * 3 + 1]
                count += 1
        if total / count > 128:
            index |= 1 << bit
    return index


def mean_abs_diff(a, b):
    return sum(map(abs, map(operator.sub, a, b))) / len(a)


def grid_map(probe_stdout):
    """Source frame index per grid frame from `idmscope probe`."""
    lines = probe_stdout.splitlines()
    start = lines.index("grid map (grid frame -> source frame index, pts_s):") + 1
    return [int(line.split()[2]) for line in lines[start:]]


def probe_field(probe_stdout, name):
    for line in probe_stdout.splitlines():
        if line.startswith(name + ":"):
            return line.split(":", 1)[1].strip()
    raise AssertionError("no %s in probe output" % name)


@unittest.skipUnless(shutil.which("ffmpeg"), "needs the ffmpeg CLI")
class VideoGrid(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="idmscope-video-")
        cls.files = {}
        for name, (fps, frames, extra, ext, audio_lead, _) in FIXTURES.items():
            path = os.path.join(cls.tmp, name + "." + ext)
            make_fixture(path, fps, frames, extra, ext, audio_lead)
            cls.files[name] = path
        # A stream-copy cut that does not start on a keyframe: the mp4 gets an edit list and
        # pre-roll packets flagged for discard.
        cut = os.path.join(cls.tmp, "cut_preroll.mp4")
        ffmpeg("-ss", "1.1", "-i", cls.files["gop60"], "-c", "copy", cut)
        cls.files["cut_preroll"] = cut

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def check_fixture(self, name, expected_length):
        path = self.files[name]
        ours_dir = os.path.join(self.tmp, name + "_ours")
        theirs_dir = os.path.join(self.tmp, name + "_ffmpeg")
        os.makedirs(theirs_dir)
        ffmpeg("-i", path, "-vf", "fps=5", os.path.join(theirs_dir, "out_%04d.png"))
        result = run("frames", path, "--out", ours_dir)
        self.assertEqual(result.returncode, 0, result.stderr)
        probe = run("probe", path)
        self.assertEqual(probe.returncode, 0, probe.stderr)

        theirs = read_pngs(theirs_dir, "out_%04d.png")
        ours = read_pngs(ours_dir, "frame_%04d.png")
        if expected_length is not None:
            self.assertEqual(len(theirs), expected_length, "ffmpeg itself changed: " + name)
        self.assertEqual(len(ours), len(theirs), name)
        self.assertEqual(int(probe_field(probe.stdout, "grid_frames")), len(theirs), name)
        mapping = grid_map(probe.stdout)
        self.assertEqual(len(mapping), len(theirs))
        first_index = None
        for k, (mine, reference) in enumerate(zip(ours, theirs)):
            want = burned_index(reference)
            self.assertEqual(burned_index(mine), want, "%s F%02d" % (name, k))
            diff = mean_abs_diff(mine, reference)
            self.assertLess(diff, 2.0, "%s F%02d pixels differ by %.2f" % (name, k, diff))
            if name in NOT_CONTIGUOUS:
                continue
            if first_index is None:
                first_index = mapping[k] - want  # a cut file's index 0 is not burned frame 0
            self.assertEqual(mapping[k] - want, first_index, "%s F%02d grid map" % (name, k))
        return [burned_index(frame) for frame in theirs]

    def test_every_fixture_matches_ffmpeg(self):
        for name, fixture in FIXTURES.items():
            with self.subTest(name):
                self.check_fixture(name, fixture[5])

    def test_spec_table(self):
        # video-frames.md: 30 fps from zero shows 6k + 2; 60 fps 12k + 5; audio 0.12 s early
        # shows frame 5 twice, then 11, ...
        probe = run("probe", self.files["f30_150"]).stdout
        self.assertEqual(grid_map(probe), [6 * k + 2 for k in range(25)])
        probe = run("probe", self.files["f60_300"]).stdout
        self.assertEqual(grid_map(probe), [12 * k + 5 for k in range(25)])
        probe = run("probe", self.files["aac_lead_0_12"]).stdout
        self.assertEqual(grid_map(probe)[:3], [5, 5, 11])
        probe = run("probe", self.files["aac_lead_0_04"]).stdout
        self.assertEqual(grid_map(probe), [6 * k + 1 for k in range(25)])

    def test_vfr_fixture_really_is_variable(self):
        # The fixture must have uneven frame durations, or the VFR check above proves nothing.
        out = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v", "-show_entries", "packet=pts_time",
                              "-of", "csv=p=0", self.files["vfr"]], capture_output=True, text=True, check=True).stdout
        times = sorted(float(t) for t in out.split())
        gaps = [b - a for a, b in zip(times, times[1:])]
        self.assertGreater(min(gaps), 0.01, gaps)  # no duplicate timestamps
        self.assertGreater(max(gaps) / min(gaps), 10.0, gaps)
        self.assertEqual(len(times), 115)

    def test_stream_copy_cut_with_preroll(self):
        self.check_fixture("cut_preroll", None)

    def test_null_output(self):
        result = run("frames", self.files["f30_150"], "--null")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("25 grid frames", result.stdout)

    def test_bench_video_prints_every_figure(self):
        result = run("bench", "video", self.files["gop60"], "--repeat", "1")
        self.assertEqual(result.returncode, 0, result.stderr)
        for figure in ("25 frames at 5 fps", "fill grid", "ratio", "first frame", "seek cold      25 seeks",
                       "seek warm      25 seeks", "cached lookup", "memory"):
            self.assertIn(figure, result.stdout)

    def test_help_and_usage(self):
        for command in ["probe", "frames"]:
            result = run(command, "--help")
            self.assertEqual(result.returncode, 0)
            self.assertIn("usage", result.stdout)
        self.assertEqual(run("frames", self.files["f30_150"]).returncode, 2)  # neither --out nor --null
        self.assertEqual(run("probe", self.files["f30_150"], "--fps", "zero").returncode, 2)

    def test_bad_files_fail_fast_with_one_line(self):
        bad = {}
        bad["empty"] = os.path.join(self.tmp, "empty.mp4")
        open(bad["empty"], "wb").close()
        data = open(self.files["f30_150"], "rb").read()
        bad["truncated"] = os.path.join(self.tmp, "truncated.mp4")
        with open(bad["truncated"], "wb") as f:
            f.write(data[:len(data) // 2])
        faststart = os.path.join(self.tmp, "faststart.mp4")
        ffmpeg("-i", self.files["f30_150"], "-c", "copy", "-movflags", "+faststart", faststart)
        data = open(faststart, "rb").read()
        bad["truncated_faststart"] = os.path.join(self.tmp, "truncated_faststart.mp4")
        with open(bad["truncated_faststart"], "wb") as f:
            f.write(data[:len(data) // 2])
        bad["audio_only"] = os.path.join(self.tmp, "audio_only.m4a")
        ffmpeg("-f", "lavfi", "-i", "anullsrc=r=48000:cl=mono:d=2", "-c:a", "aac", bad["audio_only"])
        bad["random"] = os.path.join(self.tmp, "random.mp4")
        with open(bad["random"], "wb") as f:
            f.write(os.urandom(1 << 20))
        bad["missing"] = os.path.join(self.tmp, "missing.mp4")
        # A codec this FFmpeg cannot decode: the H.264 sample entry renamed to an unknown fourcc.
        data = open(self.files["f30_150"], "rb").read()
        self.assertEqual(data.count(b"avc1"), 2)
        bad["unknown_codec"] = os.path.join(self.tmp, "unknown_codec.mp4")
        with open(bad["unknown_codec"], "wb") as f:
            f.write(data.replace(b"avc1", b"zzzz"))
        # Absurd sizes: a real, decodable FFV1 stream 20000 pixels wide (a tiny file), and an
        # H.264 stream whose container claims 0x0 is covered by the header checks.
        bad["absurd_width"] = os.path.join(self.tmp, "absurd_width.mkv")
        ffmpeg("-f", "lavfi", "-i", "color=s=20000x16:d=0.4:r=30", "-c:v", "ffv1", bad["absurd_width"])
        expected = {"unknown_codec": "unsupported codec", "absurd_width": "video size 20000x16 is not usable",
                    "audio_only": "no video stream", "empty": "", "missing": ""}
        for name, path in bad.items():
            for args in (["probe", path], ["frames", path, "--null"]):
                with self.subTest(name=name, command=args[0]):
                    started = time.monotonic()
                    result = run(*args, timeout=30)
                    elapsed = time.monotonic() - started
                    self.assertNotEqual(result.returncode, 0, result.stdout)
                    self.assertLess(elapsed, 5.0)
                    lines = result.stderr.strip().splitlines()
                    self.assertEqual(len(lines), 1, result.stderr)
                    self.assertTrue(lines[0].startswith("idmscope " + args[0] + ": "), lines[0])
                    self.assertIn(os.path.basename(path), lines[0])  # names the file
                    self.assertIn(expected.get(name, ""), lines[0])


if __name__ == "__main__":
    unittest.main(verbosity=2)
