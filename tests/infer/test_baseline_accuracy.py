#!/usr/bin/env python3
"""The baseline's accuracy through the real `idmscope synth`, `infer` and `score`, on six
synthetic clips (one per tag) at 1280x800, where a wheel unit is an odd 27 px. Thresholds sit a
little below what the baseline measures, so a regression in scroll detection, scroll timing or
the pointer tracker fails here. Measured (seed 4): protocol scroll 5 TP / 1 FP / 1 FN (F1 0.833;
the FP/FN pair is an override that flips a scroll against what the page shows), mouse R^2 0.975,
move frame F1 0.914; reference scroll F1 1.0. Before the tracker and the full-resolution shift
check: 0.364, 0.780, 0.523 and 0.727."""
import os
import shutil
import tempfile
import unittest

from test_infer import run, score


class BaselineAccuracyTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="idmscope-baseline-")
        dataset = os.path.join(cls.tmp, "sample")
        run("synth", dataset, "--clips", "6", "--seed", "4", "--size", "1280x800")
        run("infer", dataset, "--backend", "baseline", "--run", "base")
        store = os.path.join(dataset, ".idmscope", "predictions", "base")
        cls.protocol = score(dataset, store, cls.tmp, "protocol")
        cls.reference = score(dataset, store, cls.tmp, "reference")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_protocol_scroll(self):
        scroll = self.protocol["per_type"]["MouseScroll"]
        self.assertGreaterEqual(scroll["f1"], 0.75, scroll)

    def test_reference_scroll(self):
        scroll = self.reference["per_type"]["MouseScroll"]
        self.assertGreaterEqual(scroll["f1"], 0.9, scroll)

    def test_protocol_mouse(self):
        mouse = self.protocol["mouse"]
        self.assertGreaterEqual(mouse["r2"], 0.93, mouse)
        self.assertGreaterEqual(mouse["frame_f1"], 0.85, mouse)


if __name__ == "__main__":
    unittest.main(verbosity=2)
