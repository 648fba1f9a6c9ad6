#!/usr/bin/env python3
"""Writes a big results file in the reference eval CLI's format, for scoring benchmarks.

The 40 clips of tests/vectors/rescore_results.json are replicated, each copy deterministically
perturbed, up to --clips N (default 50,000, about 380 MB):
  - the whole clip is moved on the recording clock (start_s, end_s and every ts_us shifted by
    the same whole number of milliseconds), then a quarter of the events get a few ms of jitter,
    so frames near grid boundaries change between copies;
  - the ground-truth entries are shuffled (the format allows any order);
  - predictions: some dropped, some moved by one frame, some duplicated, some re-cased;
    raw_response is the JSON text of the new predictions;
  - clip_index runs 0..N-1 and clip_name is renumbered to match.
The same --clips and --seed always give the same bytes. The file is written clip by clip, so
memory stays small whatever N is.

usage: make_results.py [--clips N] [--seed S] --out FILE
"""

import argparse
import json
import os
import random
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_TEMPLATE = os.path.join(os.path.dirname(HERE), "tests", "vectors", "rescore_results.json")

FRAME_LABEL = re.compile(r"^(\s*[Ff]\s*)([0-9]+)(\s*)$")
CLIP_NAME = re.compile(r"^clip_[0-9]+_")


def shift_frame_label(label, delta):
    match = FRAME_LABEL.match(label)
    if not match:
        return label  # odd labels ("F07.5", "F+3", ...) are kept as they are
    digits = match.group(2)
    value = max(0, int(digits) + delta)
    return f"{match.group(1)}{value:0{len(digits)}d}{match.group(3)}"


def recase(text, rng):
    choice = rng.randrange(3)
    if choice == 0:
        return text.lower()
    if choice == 1:
        return text.upper()
    return text


def perturb_predictions(predictions, rng):
    out = []
    for prediction in predictions:
        roll = rng.random()
        if roll < 0.08:
            continue  # dropped
        if not isinstance(prediction, dict):
            out.append(prediction)
            continue
        copy = dict(prediction)
        if roll < 0.20 and isinstance(copy.get("frame"), str):
            copy["frame"] = shift_frame_label(copy["frame"], rng.choice((-1, 1)))
        elif roll < 0.25:
            for field in ("details", "detail"):
                if isinstance(copy.get(field), str):
                    copy[field] = recase(copy[field], rng)
                    break
        out.append(copy)
        if rng.random() < 0.04:
            out.append(dict(copy))  # a repeated answer: one of the two is a false positive
    return out


def make_clip(template, position, rng):
    # Move the clip by a whole number of ms, keeping start_s at or above 1 s.
    start_ms = round(template["start_s"] * 1000)
    end_ms = round(template["end_s"] * 1000) if "end_s" in template else start_ms + 5000
    shift_ms = rng.randrange(-start_ms + 1000, 3_000_000)
    shift_us = shift_ms * 1000

    ground_truth = []
    for ts_us, action in template["ground_truth"]:
        ts = ts_us + shift_us
        if rng.random() < 0.25:
            ts += rng.randrange(-4000, 4001)
        ground_truth.append([ts, action])
    rng.shuffle(ground_truth)

    predictions = perturb_predictions(template.get("predictions") or [], rng)
    name = CLIP_NAME.sub("", template.get("clip_name", ""))
    clip = {
        "clip_index": position,
        "clip_name": f"clip_{position:05d}_{name}",
        "tag": template.get("tag"),
        "start_s": (start_ms + shift_ms) / 1000,
        "end_s": (end_ms + shift_ms) / 1000,
        "ground_truth": ground_truth,
        "predictions": predictions,
        "raw_response": json.dumps(predictions),
    }
    return clip


def main(argv):
    parser = argparse.ArgumentParser(description="Generate a big results file for `idmscope bench score`.")
    parser.add_argument("--clips", type=int, default=50000, help="number of clips (default 50000)")
    parser.add_argument("--seed", type=int, default=1, help="perturbation seed (default 1)")
    parser.add_argument("--template", default=DEFAULT_TEMPLATE, help="results file to replicate")
    parser.add_argument("--out", required=True, help="file to write")
    args = parser.parse_args(argv)
    if args.clips < 0:
        parser.error("--clips must be >= 0")

    with open(args.template, "r", encoding="utf-8") as handle:
        template = json.load(handle)
    templates = template["clips"]
    if not templates:
        parser.error(f"{args.template} has no clips")
    header = {key: value for key, value in template.items() if key != "clips"}

    temporary = args.out + ".partial"
    with open(temporary, "w", encoding="utf-8") as out:
        head = json.dumps(header)
        out.write(head[:-1] + (", " if header else "") + '"clips": [')
        for position in range(args.clips):
            rng = random.Random(args.seed * 1_000_003 + position)
            clip = make_clip(templates[position % len(templates)], position, rng)
            if position:
                out.write(", ")
            out.write(json.dumps(clip))
        out.write("]}\n")
    os.replace(temporary, args.out)
    written = os.path.getsize(args.out)
    print(f"wrote {args.out}: {args.clips} clips, {written} bytes ({written / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
