#!/usr/bin/env python3
"""`idmscope edit`: scripted labelling and override editing through the editor's document:
operations in order, undo/redo, saves that keep everything else, backups, refusals that
change nothing, and an edit that changes the protocol score. Also `score --dataset`, `check`
and `summary` on a dataset whose last save was interrupted between its two renames: they read
the pair the save decided on and write nothing."""
import glob
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
import unittest

BINARY = os.environ.get("IDMSCOPE_BIN", "build/app/idmscope")


def run(*args, expect=0):
    result = subprocess.run([BINARY, *args], capture_output=True, text=True, timeout=120)
    if expect is not None and result.returncode != expect:
        raise AssertionError("%s exited %d (expected %d)\n%s\n%s" % (" ".join(args), result.returncode, expect,
                                                                     result.stdout[-3000:], result.stderr[-3000:]))
    return result


def load(path):
    with open(path) as f:
        return json.load(f)


def read_bytes(path):
    with open(path, "rb") as f:
        return f.read()


def write_bytes(path, data):
    with open(path, "wb") as f:
        f.write(data)


def side_file_hash(data):
    """The editor's journal hash (io/save_journal.cpp): FNV-1a 64 with its offset basis, never 0, as 16 hex digits."""
    value = 1469598103934665603
    for byte in data:
        value = ((value ^ byte) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return "%016x" % (value or 1)


def tree_digest(folder):
    """Every file under folder with the SHA-256 of its bytes: what a read-only command must not change.
    The video probe cache (.idmscope/index.json, written by commands that probe videos) is not the
    user's data and is left out."""
    out = {}
    for directory, _, files in os.walk(folder):
        for name in files:
            path = os.path.join(directory, name)
            if os.path.relpath(path, folder) == os.path.join(".idmscope", "index.json"):
                continue
            out[os.path.relpath(path, folder)] = hashlib.sha256(read_bytes(path)).hexdigest()
    return out


class Edit(unittest.TestCase):
    maxDiff = None
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="idmscope-edit-")
        cls.pristine = os.path.join(cls.tmp, "pristine")
        run("synth", cls.pristine, "--clips", "3", "--size", "320x200", "--seed", "11")
        cls.keys = sorted(os.path.relpath(p, cls.pristine)[:-5]
                          for p in glob.glob(os.path.join(cls.pristine, "clips_recording_*", "**", "clip_*.json"), recursive=True))

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def setUp(self):
        self.dataset = os.path.join(self.tmp, self._testMethodName)
        shutil.rmtree(self.dataset, ignore_errors=True)
        shutil.copytree(self.pristine, self.dataset)
        self.annotations = os.path.join(self.dataset, "annotations.json")
        self.overrides = os.path.join(self.dataset, "gt_overrides.json")
        # Unknown keys that must survive every save.
        for path, extra in ((self.annotations, {"_meta": {"by": "test", "n": [1, 2.5, None]}}), (self.overrides, {"_schema": 3})):
            data = load(path)
            data.update(extra)
            with open(path, "w") as f:
                json.dump(data, f, indent=2)

    def show(self, key, dataset=None):
        """(label index, frame, type, detail, provenance, label) rows of `edit --show --dry-run`."""
        out = run("edit", dataset or self.dataset, "--clip", key, "--show", "--dry-run").stdout.splitlines()
        rows = []
        for line in out[1:]:
            parts = line.split()
            if len(parts) >= 5 and parts[4] != "deleted":
                rows.append((int(parts[0]), int(parts[1][1:]), parts[2], parts[3], parts[4], parts[5]))
        return rows

    def test_operations_save_both_files_and_keep_everything_else(self):
        key, other = self.keys[0], self.keys[1]
        before_annotations, before_overrides = load(self.annotations), load(self.overrides)
        before_bytes = read_bytes(self.annotations)
        rows = self.show(key)
        originals = [r for r in rows if r[4] == "original" and r[0] < 100]
        self.assertGreaterEqual(len(originals), 4, rows)
        a, b, c, d = (r[0] for r in originals[:4])
        result = run("edit", self.dataset, "--clip", key, "--label", "%d=visible" % a, "--label", "%d=not_predictable" % b,
                     "--edit", "%d=Cmd+Shift+K" % c, "--delete", str(d), "--add", "F12:MouseScroll:down")
        self.assertIn("saved 2 file(s)", result.stdout)
        annotations, overrides = load(self.annotations), load(self.overrides)
        self.assertEqual(annotations[key][str(a)], "visible")
        self.assertEqual(annotations[key][str(b)], "not_predictable")
        self.assertEqual(overrides[key]["edits"][str(c)], "Cmd+Shift+K")
        self.assertIn(d, [int(x) for x in overrides[key]["deletions"]])
        self.assertEqual(overrides[key]["additions"][-1], {"frame": 12, "type": "MouseScroll", "detail": "down"})
        self.assertEqual(annotations["_meta"], {"by": "test", "n": [1, 2.5, None]})
        self.assertEqual(overrides["_schema"], 3)
        self.assertEqual(annotations.get(other), before_annotations.get(other))
        self.assertEqual(overrides.get(other), before_overrides.get(other))
        self.assertEqual(read_bytes(self.annotations + ".bak"), before_bytes)
        rows_after = {r[0]: r for r in self.show(key)}
        self.assertEqual(rows_after[c][3], "Cmd+Shift+K")
        self.assertEqual(rows_after[c][4], "edited")
        self.assertNotIn(d, rows_after)
        added = [r for r in rows_after.values() if r[4] == "added" and r[1] == 12 and r[2] == "MouseScroll"]
        self.assertEqual(len(added), 1)
        # Undo in the same command line: the label goes back, the redo brings it again.
        run("edit", self.dataset, "--clip", key, "--label", "%d=ambiguous" % a, "--undo")
        self.assertEqual(load(self.annotations)[key][str(a)], "visible")
        run("edit", self.dataset, "--clip", key, "--label", "%d=ambiguous" % a, "--undo", "--redo")
        self.assertEqual(load(self.annotations)[key][str(a)], "ambiguous")
        # Restoring the deleted action and deleting the addition.
        run("edit", self.dataset, "--clip", key, "--restore", str(d), "--delete", str(added[0][0]))
        overrides = load(self.overrides)
        self.assertNotIn(d, [int(x) for x in overrides[key].get("deletions", [])])
        self.assertEqual(overrides[key]["additions"], before_overrides.get(key, {}).get("additions", []))

    def test_refusals_change_nothing(self):
        key = self.keys[0]
        snapshot = (read_bytes(self.annotations), read_bytes(self.overrides))
        result = run("edit", self.dataset, "--clip", key, "--label", "0=visible", "--label", "99999=visible", expect=1)
        self.assertIn("out of range", result.stderr)
        self.assertIn("nothing saved", result.stderr)
        result = run("edit", self.dataset, "--clip", key, "--label", "0=seen", expect=2)
        self.assertIn("'seen' is not visible", result.stderr)
        result = run("edit", self.dataset, "--clip", "no/such/clip", "--label", "0=visible", expect=2)
        self.assertIn("no clip 'no/such/clip'", result.stderr)
        result = run("edit", self.dataset, "--clip", key, "--add", "F3:MouseMove:1,2", expect=1)
        self.assertIn("MouseMove cannot be added", result.stderr)
        result = run("edit", self.dataset, "--clip", key, "--add", "3-KeyPress", expect=2)
        self.assertIn("FRAME:TYPE:DETAIL", result.stderr)
        self.assertEqual((read_bytes(self.annotations), read_bytes(self.overrides)), snapshot)
        self.assertFalse(os.path.exists(self.annotations + ".bak"))
        # A broken side file is named and left alone.
        with open(self.overrides, "w") as f:
            f.write('{"x": [1, 2')
        result = run("edit", self.dataset, "--clip", key, "--label", "0=visible", expect=2)
        self.assertIn("gt_overrides.json", result.stderr)
        self.assertEqual(read_bytes(self.overrides), b'{"x": [1, 2')

    def test_a_deletion_changes_the_protocol_score(self):
        key = self.keys[0]
        source = os.path.join(self.dataset, "predictions", "good.json")

        def clip_score():
            out = os.path.join(self.dataset, "score.json")
            run("score", "--dataset", self.dataset, "--predictions", source, "--profile", "protocol", "--json", out)
            return next(c for c in load(out)["clips"] if c["clip"] == key)

        before = clip_score()
        rows = [r for r in self.show(key) if r[4] == "original" and r[2] == "KeyPress" and 2 <= r[1] <= 22
                and r[5] in ("-", "visible", "inferable")]
        self.assertTrue(rows)
        run("edit", self.dataset, "--clip", key, "--delete", str(rows[0][0]))
        after = clip_score()
        self.assertEqual(after["gt_count"], before["gt_count"] - 1)
        self.assertEqual(after["tp"] + after["fn"], before["tp"] + before["fn"] - 1)

    def clip_scores(self, dataset, key):
        """`score --dataset` (protocol, the good predictions) of one clip and overall, its JSON written outside the dataset."""
        out = os.path.join(self.tmp, "score-%s.json" % self._testMethodName)
        result = run("score", "--dataset", dataset, "--predictions", os.path.join(self.pristine, "predictions", "good.json"),
                     "--profile", "protocol", "--json", out)
        summary = load(out)
        os.remove(out)
        return next(c for c in summary["clips"] if c["clip"] == key), summary["overall"], result.stderr

    def check_findings(self, dataset):
        result = run("check", dataset, "--json", "-", expect=None)
        return result.returncode, [(f["kind"], f["message"]) for f in json.loads(result.stdout)["findings"]]

    def saved_pair(self, key):
        """The new pair, made by the real editor in a copy: a deleted KeyPress (the protocol score
        changes) and a labelled addition (its label index exists only in the new gt_overrides.json)."""
        saved = self.dataset + "-saved"
        shutil.rmtree(saved, ignore_errors=True)
        shutil.copytree(self.dataset, saved)
        rows = [r for r in self.show(key, saved) if r[4] == "original" and r[2] == "KeyPress" and 2 <= r[1] <= 22
                and r[5] in ("-", "visible", "inferable")]
        self.assertTrue(rows)
        run("edit", saved, "--clip", key, "--delete", str(rows[0][0]), "--add", "F12:KeyPress:Q")
        added = [r[0] for r in self.show(key, saved) if r[4] == "added" and r[3] == "Q"]
        self.assertEqual(len(added), 1)
        run("edit", saved, "--clip", key, "--label", "%d=visible" % added[0])
        return saved, read_bytes(os.path.join(saved, "annotations.json")), read_bytes(os.path.join(saved, "gt_overrides.json"))

    def test_score_and_check_read_a_save_killed_between_its_renames_as_saved_and_write_nothing(self):
        key = self.keys[0]
        saved, new_annotations, new_overrides = self.saved_pair(key)
        # The state a SIGKILL between the two renames leaves (as in tests/edit/test_edit_crash.cpp):
        # both pending copies written, the journal written (the commit point), the first rename done.
        write_bytes(os.path.join(self.dataset, ".annotations.json.pending"), new_annotations)
        write_bytes(os.path.join(self.dataset, ".gt_overrides.json.pending"), new_overrides)
        journal = {"files": [{"target": name, "pending": "." + name + ".pending", "hash": side_file_hash(data)}
                             for name, data in (("annotations.json", new_annotations), ("gt_overrides.json", new_overrides))]}
        write_bytes(os.path.join(self.dataset, ".idmscope-save.json"), (json.dumps(journal, indent=1) + "\n").encode())
        os.replace(os.path.join(self.dataset, ".annotations.json.pending"), self.annotations)

        # What a reader that ignores the journal sees: new labels on old overrides.
        mixed = self.dataset + "-mixed"
        shutil.rmtree(mixed, ignore_errors=True)
        shutil.copytree(self.dataset, mixed)
        os.remove(os.path.join(mixed, ".idmscope-save.json"))
        os.remove(os.path.join(mixed, ".gt_overrides.json.pending"))
        self.assertIn("index-out-of-range", [kind for kind, _ in self.check_findings(mixed)[1]])  # the label of the addition
        expected_clip, expected_overall, _ = self.clip_scores(saved, key)
        mixed_clip, _, _ = self.clip_scores(mixed, key)
        self.assertNotEqual(mixed_clip, expected_clip)  # the deletion is missing

        before = tree_digest(self.dataset)
        clip, overall, stderr = self.clip_scores(self.dataset, key)
        self.assertEqual(clip, expected_clip)
        self.assertEqual(overall, expected_overall)
        self.assertIn(".idmscope-save.json: an editor save was interrupted", stderr)
        self.assertIn("will be completed when the editor next opens this dataset", stderr)
        # check reports what it reports on the saved pair (the addition's label is in range), plus one note.
        saved_code, saved_findings = self.check_findings(saved)
        code, findings = self.check_findings(self.dataset)
        self.assertEqual(code, saved_code)
        self.assertEqual([f for f in findings if f[0] != "unfinished-save"], saved_findings)
        self.assertNotIn("index-out-of-range", [kind for kind, _ in findings])
        self.assertEqual(len([kind for kind, _ in findings if kind == "unfinished-save"]), 1)
        text = run("check", self.dataset, expect=saved_code).stdout
        self.assertIn("unfinished-save", text)
        self.assertIn("note: .idmscope-save.json: an editor save was interrupted", run("summary", self.dataset).stdout)
        self.assertEqual(tree_digest(self.dataset), before)  # read-only: nothing written, renamed or removed

        # A dry run of the editor shows the pair the save decided on and writes nothing either.
        shown = run("edit", self.dataset, "--clip", key, "--show", "--dry-run").stdout
        self.assertEqual(shown, run("edit", saved, "--clip", key, "--show", "--dry-run").stdout)
        self.assertEqual(tree_digest(self.dataset), before)

        # The editor's next real open completes the save; the scores stay the same.
        run("edit", self.dataset, "--clip", key, "--show")
        self.assertFalse(os.path.exists(os.path.join(self.dataset, ".idmscope-save.json")))
        self.assertFalse(os.path.exists(os.path.join(self.dataset, ".gt_overrides.json.pending")))
        self.assertEqual(read_bytes(self.overrides), new_overrides)
        clip, overall, stderr = self.clip_scores(self.dataset, key)
        self.assertEqual((clip, overall), (expected_clip, expected_overall))
        self.assertNotIn("interrupted", stderr)

    def test_a_save_killed_before_its_commit_point_reads_as_the_old_pair(self):
        key = self.keys[0]
        _, new_annotations, new_overrides = self.saved_pair(key)
        old_clip, old_overall, _ = self.clip_scores(self.dataset, key)
        old_check = self.check_findings(self.dataset)
        # Both pending copies written, no journal: the save never took effect.
        write_bytes(os.path.join(self.dataset, ".annotations.json.pending"), new_annotations)
        write_bytes(os.path.join(self.dataset, ".gt_overrides.json.pending"), new_overrides)
        before = tree_digest(self.dataset)
        clip, overall, stderr = self.clip_scores(self.dataset, key)
        self.assertEqual((clip, overall), (old_clip, old_overall))
        self.assertNotIn("interrupted", stderr)
        self.assertEqual(self.check_findings(self.dataset), old_check)
        self.assertEqual(tree_digest(self.dataset), before)


if __name__ == "__main__":
    unittest.main(verbosity=2)
