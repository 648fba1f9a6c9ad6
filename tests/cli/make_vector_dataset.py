#!/usr/bin/env python3
"""Builds test datasets from the vector files (until `idmscope synth` exists).

reference/: the 40 clips of rescore_results.json as a dataset (no side files); the results
            file itself is the prediction source.
protocol/:  the protocol_cases.json clips with annotations.json, gt_overrides.json and a
            per-clip predictions folder (predictions/), plus expected per-type totals.
"""
import json
import os
import sys

vectors, out = sys.argv[1], sys.argv[2]


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump(data, f)


results = json.load(open(os.path.join(vectors, "rescore_results.json")))
for clip in results["clips"]:
    recording = "clips_recording_1111aaaa_seg%d" % (clip["clip_index"] % 2)
    write(os.path.join(out, "reference", recording, clip["clip_name"] + ".json"),
          {"start_s": clip["start_s"], "end_s": clip["end_s"], "tag": clip["tag"], "actions": clip["ground_truth"]})

protocol = json.load(open(os.path.join(vectors, "protocol_cases.json")))
annotations, overrides, totals = {}, {}, {}
for index, case in enumerate(protocol["cases"]):
    key = "clips_recording_2222bbbb_seg0/%s_%02d" % (case["clip_name"], index)
    write(os.path.join(out, "protocol", key + ".json"),
          {"start_s": case["start_s"], "end_s": case["start_s"] + 5, "tag": "t", "actions": case["actions"]})
    write(os.path.join(out, "protocol", "predictions", key + ".json"), case["predictions"])
    annotations[key] = case["labels"]
    overrides[key] = case["overrides"]
    for type_name, counts in case["expected"]["per_type"].items():
        total = totals.setdefault(type_name, {"tp": 0, "fp": 0, "fn": 0, "neutral": 0})
        for field in total:
            total[field] += counts[field]
# Keys the tool must keep on a round trip.
annotations["clips_recording_9999/clip_not_here"] = {"0": "visible"}
write(os.path.join(out, "protocol", "annotations.json"), annotations)
write(os.path.join(out, "protocol", "gt_overrides.json"), overrides)
write(os.path.join(out, "protocol_expected_totals.json"), totals)
# The protocol vectors assume a grid length per case and 1728x1080; cases whose n_frames is
# not 25 need a video of that length, which the CLI test creates with the ffmpeg CLI.
write(os.path.join(out, "protocol_grid_frames.json"),
      {"clips_recording_2222bbbb_seg0/%s_%02d" % (c["clip_name"], i): c["n_frames"] for i, c in enumerate(protocol["cases"])})
