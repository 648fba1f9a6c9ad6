#!/usr/bin/env python3
"""GUI test of the editor (issue 7): in a real window under Xvfb, label three GT actions with the
keyboard (Tab, 1, 2, 3), undo one (Ctrl+Z), edit one's detail (E, type, Enter), save (Ctrl+S);
the side files on disk must then hold exactly that, with everything else unchanged."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from test_viewer import BINARY, XVFB, synth_sample  # noqa: E402


def load(path):
    with open(path) as f:
        return json.load(f)


class Editor(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="idmscope-gui-editor-")
        cls.pristine = os.path.join(cls.tmp, "pristine")
        cls.keys = synth_sample(cls.pristine, clips=2, seed=5)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def setUp(self):
        self.dataset = os.path.join(self.tmp, self._testMethodName)
        shutil.copytree(self.pristine, self.dataset)

    def run_viewer_with_keys(self, key, steps, name):
        """Runs the viewer on `key` and sends `steps`: xdotool key names, ("type", text),
        ("sleep", seconds) or ("shell", command); returns the screen PNG path."""
        screen = os.path.join(self.tmp, name + ".png")
        parts = []
        for step in steps:
            if isinstance(step, str):
                parts.append(f"xdotool keydown {step}; sleep 0.15; xdotool keyup {step}; sleep 0.3")
            elif step[0] == "type":
                parts.append(f"xdotool type --delay 120 '{step[1]}'; sleep 0.3")
            elif step[0] == "sleep":
                parts.append(f"sleep {step[1]}")
            else:
                parts.append(step[1])
        script = (
            f"{BINARY} {self.dataset} --clip {key} --size 1600x1000 --predictions {self.dataset}/predictions/good.json & pid=$!; "
            "for i in $(seq 50); do w=$(xdotool search --name idmscope 2>/dev/null | head -1); [ -n \"$w\" ] && break; sleep 0.2; done; "
            "sleep 1.5; xdotool windowactivate --sync $w 2>/dev/null; "
            + "; ".join(parts) +
            f"; sleep 0.8; import -window root {screen}; kill $pid; wait $pid 2>/dev/null; true"
        )
        result = subprocess.run(XVFB + ["bash", "-c", script], capture_output=True, text=True, timeout=120)
        self.assertTrue(os.path.exists(screen), result.stderr)
        if os.environ.get("IDMSCOPE_GUI_KEEP"):  # to look at the screen after the keys
            shutil.copy(screen, os.path.join(os.environ["IDMSCOPE_GUI_KEEP"], name + ".png"))
        return screen

    def without_labels(self, key):
        """Removes the clip's labels from annotations.json; returns that file's path."""
        annotations_path = os.path.join(self.dataset, "annotations.json")
        annotations = load(annotations_path)
        del annotations[key]
        with open(annotations_path, "w") as f:
            json.dump(annotations, f, indent=1)
        return annotations_path

    def gt_rows(self, key):
        """The clip's GT after overrides in the editor's order: (index, frame, type, detail)."""
        out = subprocess.run([BINARY, "edit", self.dataset, "--clip", key, "--show", "--dry-run"], check=True,
                             capture_output=True, text=True, timeout=60).stdout.splitlines()
        rows = []
        for line in out[1:]:
            parts = line.split()
            if parts[4] != "deleted":
                rows.append((int(parts[0]), int(parts[1][1:]), parts[2], parts[3]))
        return rows

    def test_label_three_undo_one_edit_one_with_the_keyboard(self):
        if not shutil.which("xdotool") or not shutil.which("import"):
            self.skipTest("xdotool or ImageMagick not installed")
        key = self.keys[0]
        annotations_path = os.path.join(self.dataset, "annotations.json")
        overrides_path = os.path.join(self.dataset, "gt_overrides.json")
        # Start from an unlabelled clip (the others keep their labels) and an unknown key.
        annotations = load(annotations_path)
        del annotations[key]
        annotations["_meta"] = {"kept": True}
        with open(annotations_path, "w") as f:
            json.dump(annotations, f, indent=1)
        overrides_before = load(overrides_path)
        rows = self.gt_rows(key)
        self.assertGreaterEqual(len(rows), 4)
        fourth = rows[3]
        # Typed with Tab completion in the middle: "Cmd+Sh" Tab -> "Cmd+Shift", then "+K".
        typed = {"KeyPress": ("Cmd+Sh", "+K"), "MouseClick": ("Mid", ""), "MouseScroll": ("u", "")}[fourth[2]]
        new_detail = {"KeyPress": "Cmd+Shift+K", "MouseClick": "Middle", "MouseScroll": "up"}[fourth[2]]
        if new_detail == fourth[3]:
            typed = {"KeyPress": ("Ctrl+J", ""), "MouseClick": ("Rig", ""), "MouseScroll": ("d", "")}[fourth[2]]
            new_detail = {"KeyPress": "Ctrl+J", "MouseClick": "Right", "MouseScroll": "down"}[fourth[2]]

        self.run_viewer_with_keys(key, ["Tab", "1", "2", "3", "ctrl+z", "e", "ctrl+a", ("type", typed[0]), "Tab",
                                        ("type", typed[1]), "Return", "ctrl+s",
                                        # then add a KeyPress Return at the playhead (the fourth action's frame)
                                        "a", ("type", "Retu"), "Tab", "Return", "ctrl+s"], "label_undo_edit")

        saved = load(annotations_path)
        first, second, third = rows[0][0], rows[1][0], rows[2][0]
        self.assertEqual(saved.get(key), {str(first): "visible", str(second): "inferable"},
                         "labels 1 and 2 kept, label 3 undone")
        self.assertEqual(saved["_meta"], {"kept": True})
        for other in self.keys[1:]:
            self.assertEqual(saved.get(other), annotations.get(other))
        overrides = load(overrides_path)
        clip = overrides.get(key, {})
        if any(str(fourth[0]) == k for k in clip.get("edits", {})):
            self.assertEqual(clip["edits"][str(fourth[0])], new_detail)
        else:  # the fourth action was an addition: its detail changed in the list itself
            self.assertIn(new_detail, [a.get("detail") for a in clip.get("additions", [])])
        for other in self.keys[1:]:
            self.assertEqual(overrides.get(other), overrides_before.get(other))
        added = clip.get("additions", [])[len(overrides_before.get(key, {}).get("additions", [])):]
        self.assertEqual(added, [{"frame": fourth[1], "type": "KeyPress", "detail": "Return"}])
        after = {r[0]: r for r in self.gt_rows(key)}
        self.assertEqual(after[fourth[0]][3], new_detail)
        self.assertEqual(os.path.exists(annotations_path + ".bak"), True)


    def test_a_change_made_by_another_program_is_merged_not_overwritten(self):
        if not shutil.which("xdotool") or not shutil.which("import"):
            self.skipTest("xdotool or ImageMagick not installed")
        key = self.keys[0]
        annotations_path = self.without_labels(key)
        rows = self.gt_rows(key)
        first, second, last = rows[0][0], rows[1][0], rows[-1][0]
        # While the viewer is open (and has autosaved the first label), a script labels the last
        # action and adds a clip entry of its own.
        external = (
            "python3 -c \"import json; p='%s'; d=json.load(open(p)); d.setdefault('%s', {})['%d'] = 'not_predictable'; "
            "d['script/clip_x'] = {'0': 'visible'}; json.dump(d, open(p + '.new', 'w')); import os; os.replace(p + '.new', p)\""
            % (annotations_path, key, last))
        self.run_viewer_with_keys(key, ["Tab", "1", ("sleep", 1.6), ("shell", external), "2", ("sleep", 1.8), "Return"],
                                  "external_merge")
        saved = load(annotations_path)
        self.assertEqual(saved[key], {str(first): "visible", str(last): "not_predictable", str(second): "inferable"})
        self.assertEqual(saved["script/clip_x"], {"0": "visible"})
        # The version the script wrote is the backup.
        backup = load(annotations_path + ".bak")
        self.assertEqual(backup[key], {str(first): "visible", str(last): "not_predictable"})

    def test_an_outside_change_with_nothing_unsaved_is_reloaded_at_once(self):
        # A script labels the last action while the viewer sits idle on the clip. The viewer
        # notices within a couple of seconds and reloads, so labelling the first action then
        # autosaves straight away: no merge dialog waits for Return, and both labels are on disk.
        if not shutil.which("xdotool") or not shutil.which("import"):
            self.skipTest("xdotool or ImageMagick not installed")
        key = self.keys[0]
        annotations_path = self.without_labels(key)
        rows = self.gt_rows(key)
        first, last = rows[0][0], rows[-1][0]
        external = (
            "python3 -c \"import json; p='%s'; d=json.load(open(p)); d.setdefault('%s', {})['%d'] = 'not_predictable'; "
            "json.dump(d, open(p + '.new', 'w')); import os; os.replace(p + '.new', p)\"" % (annotations_path, key, last))
        self.run_viewer_with_keys(key, [("sleep", 1.0), ("shell", external), ("sleep", 3.0), "Tab", "1", ("sleep", 2.0)],
                                  "external_reload")
        saved = load(annotations_path)
        self.assertEqual(saved[key], {str(first): "visible", str(last): "not_predictable"})

    def test_sigterm_right_after_a_label_still_saves_it(self):
        # Killed (SIGTERM, as a session logout or `kill` does) 0.3 s after labelling, well before
        # the 1 s autosave: the viewer closes like its close button, writing the label first.
        if not shutil.which("xdotool") or not shutil.which("import"):
            self.skipTest("xdotool or ImageMagick not installed")
        key = self.keys[0]
        annotations_path = self.without_labels(key)
        first = self.gt_rows(key)[0][0]
        status_file = os.path.join(self.tmp, "sigterm_status")
        self.run_viewer_with_keys(key, ["Tab", "1", ("shell", f"kill $pid; wait $pid; echo $? > {status_file}")], "sigterm")
        with open(status_file) as f:
            self.assertEqual(f.read().strip(), "0")
        self.assertEqual(load(annotations_path)[key], {str(first): "visible"})

    def test_ctrl_click_rows_then_one_key_labels_them_all(self):
        # Bulk labelling: Ctrl+click three rows of the action list (1600x1000 layout: row i at
        # y = 114 + 20 i), then 3 labels all three ambiguous; nothing else is labelled.
        if not shutil.which("xdotool") or not shutil.which("import"):
            self.skipTest("xdotool or ImageMagick not installed")
        key = self.keys[0]
        annotations_path = self.without_labels(key)
        rows = self.gt_rows(key)
        clicks = "xdotool keydown ctrl; sleep 0.1; " + "".join(
            f"xdotool mousemove 1400 {114 + 20 * row}; sleep 0.1; xdotool mousedown 1; sleep 0.12; xdotool mouseup 1; sleep 0.25; "
            for row in (1, 2, 3)) + "xdotool keyup ctrl; sleep 0.2"
        self.run_viewer_with_keys(key, [("shell", clicks), "3", ("sleep", 1.5)], "bulk")
        self.assertEqual(load(annotations_path)[key], {str(rows[i][0]): "ambiguous" for i in (1, 2, 3)})


    def test_metrics_after_label_and_edit_equal_score_on_the_saved_files(self):
        # Label one action and edit another's detail with the keyboard, then Export > metrics
        # JSON: the Metrics panel's dataset rows (per type, overall, mouse) and its A-vs-B table
        # must equal `idmscope score --dataset` run on the side files the viewer saved.
        if not shutil.which("xdotool") or not shutil.which("import"):
            self.skipTest("xdotool or ImageMagick not installed")
        key = self.keys[0]
        self.without_labels(key)
        rows = self.gt_rows(key)
        # Actions in the frames every profile scores (the protocol's windows skip frames 0-1).
        scored = [i for i, row in enumerate(rows) if 5 <= row[1] < 20 and row[2] != "MouseMove"]
        self.assertGreaterEqual(len(scored), 2)
        first = scored[0]
        second = rows[first + 1]  # labelling moves the selection to the next unlabelled action
        typed, new_detail = {"KeyPress": (("Ctrl+J", ""), "Ctrl+J"), "MouseClick": (("Rig", ""), "Right"),
                             "MouseScroll": (("d", ""), "down")}[second[2]]
        if new_detail == second[3]:
            typed, new_detail = {"KeyPress": (("Ctrl+K", ""), "Ctrl+K"), "MouseClick": (("Mid", ""), "Middle"),
                                 "MouseScroll": (("u", ""), "up")}[second[2]]
        sources = [os.path.join(self.dataset, "predictions", "good.json"), os.path.join(self.dataset, "predictions", "weak.json")]
        live = os.path.join(self.tmp, "metrics_live")
        os.makedirs(live, exist_ok=True)
        before = os.path.join(live, "before.score.json")
        subprocess.run([BINARY, "score", "--dataset", self.dataset, "--predictions", sources[0], "--json", before, "--quiet"],
                       check=True, capture_output=True, timeout=120)
        press = "sleep 0.1; xdotool mousedown 1; sleep 0.12; xdotool mouseup 1; sleep 0.4; "
        # A click on its row selects the action (1600x1000 layout: row i at y = 114 + 20 i).
        click = f"xdotool mousemove 1400 {114 + 20 * first}; sleep 0.1; xdotool mousedown 1; sleep 0.12; xdotool mouseup 1; sleep 0.3"
        steps = [("shell", click), "4", "e", "ctrl+a", ("type", typed[0]), "Tab", ("type", typed[1]), "Return", ("sleep", 1.5)]
        parts = []
        for step in steps:
            if isinstance(step, tuple) and step[0] == "shell":
                parts.append(step[1])
            elif isinstance(step, str):
                parts.append(f"xdotool keydown {step}; sleep 0.15; xdotool keyup {step}; sleep 0.3")
            elif step[0] == "type":
                parts.append(f"xdotool type --delay 120 '{step[1]}'; sleep 0.3")
            else:
                parts.append(f"sleep {step[1]}")
        exported = os.path.join(self.dataset, ".idmscope", "exports", os.path.basename(self.dataset) + "_metrics.json")
        script = (
            f"IDMSCOPE_FRAME_IO_GUARD=abort {BINARY} {self.dataset} --clip {key} --size 1600x1000 --tab metrics "
            f"--predictions {sources[0]} --predictions {sources[1]} & pid=$!; "
            "for i in $(seq 50); do w=$(xdotool search --name idmscope 2>/dev/null | head -1); [ -n \"$w\" ] && break; sleep 0.2; done; "
            "sleep 1.5; xdotool windowactivate --sync $w 2>/dev/null; "
            + "; ".join(parts) +
            # Export > Export metrics JSON (the fifth item).
            "; xdotool mousemove 123 11; " + press + "xdotool mousemove 190 119; " + press +
            f"for i in $(seq 100); do [ -f {exported} ] && break; sleep 0.1; done; sleep 0.3; "
            f"import -window root {os.path.join(live, 'screen.png')}; kill $pid; wait $pid; echo $? > {os.path.join(live, 'status')}"
        )
        result = subprocess.run(XVFB + ["bash", "-c", script], capture_output=True, text=True, timeout=180, cwd=live)
        with open(os.path.join(live, "status")) as f:
            self.assertEqual(f.read().strip(), "0", result.stderr)  # no abort: no file I/O inside a frame
        self.assertNotIn("file I/O inside a UI frame", result.stderr)
        self.assertTrue(os.path.exists(exported), result.stderr)
        saved = load(os.path.join(self.dataset, "annotations.json"))
        self.assertEqual(saved[key], {str(rows[first][0]): "not_predictable"})
        self.assertEqual(dict((r[0], r[3]) for r in self.gt_rows(key))[second[0]], new_detail)
        panel = load(exported)

        def close(actual, expected, where):
            if expected is None:
                self.assertIsNone(actual, where)
            else:
                self.assertAlmostEqual(actual, expected, 9, where)

        cli = []
        for source in sources:
            out = os.path.join(live, os.path.basename(source) + ".score.json")
            subprocess.run([BINARY, "score", "--dataset", self.dataset, "--predictions", source, "--json", out, "--quiet"],
                           check=True, capture_output=True, timeout=120)
            cli.append(load(out))
        self.assertEqual(len(panel["sources"]), 2)
        for shown, expected in zip(panel["sources"], cli):
            dataset = shown["dataset"]
            for name in ("tp", "fp", "fn", "neutral"):
                self.assertEqual(dataset["overall"][name], expected["overall"][name], (shown["source"], name))
            for type_name, counts in expected["per_type"].items():
                for name in ("tp", "fp", "fn", "neutral"):
                    self.assertEqual(dataset["per_type"][type_name][name], counts[name], (shown["source"], type_name, name))
                for name in ("precision", "recall", "f1"):
                    close(dataset["per_type"][type_name][name], counts[name], (shown["source"], type_name, name))
            for name in ("frame_f1", "r2", "cosine", "l2", "dir_acc", "frames"):
                close(dataset["mouse"][name], expected["mouse"][name], (shown["source"], "mouse", name))
        # A vs B: every row's A and B are the CLI's numbers for the two sources.
        a, b = cli
        expected_rows = {}
        for type_name in a["per_type"]:
            for short, name in (("P", "precision"), ("R", "recall"), ("F1", "f1")):
                expected_rows[f"{type_name} {short}"] = (a["per_type"][type_name][name], b["per_type"][type_name][name])
        expected_rows["overall F1"] = (a["overall"]["f1"], b["overall"]["f1"])
        for short, name in (("frame F1", "frame_f1"), ("R2", "r2"), ("cosine", "cosine"), ("L2 (lower is better)", "l2"), ("DirAcc", "dir_acc")):
            expected_rows["mouse " + short] = (a["mouse"][name], b["mouse"][name])
        shown_rows = {row["metric"]: row for row in panel["a_vs_b"]["rows"]}
        self.assertEqual(set(shown_rows), set(expected_rows))
        for metric, (value_a, value_b) in expected_rows.items():
            close(shown_rows[metric]["a"], value_a, metric)
            close(shown_rows[metric]["b"], value_b, metric)
        # The edits moved the dataset numbers (else this test proves nothing).
        self.assertNotEqual(load(before)["overall"], cli[0]["overall"])

if __name__ == "__main__":
    unittest.main(verbosity=2)
