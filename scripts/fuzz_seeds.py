#!/usr/bin/env python3
"""Writes seed inputs for the libFuzzer targets, cut from tests/vectors into small files.

Usage: fuzz_seeds.py VECTORS_DIR OUT_DIR
Creates OUT_DIR/<target>/NNNN.json for fuzz_clip_reader, fuzz_results_file,
fuzz_response_parser, fuzz_side_files and fuzz_worker_protocol. Each seed is small (libFuzzer's default input
length limit follows the largest seed), and a few hand-made bad inputs are added.
"""
import json
import os
import sys


def write(out_dir, target, items):
    folder = os.path.join(out_dir, target)
    os.makedirs(folder, exist_ok=True)
    for index, item in enumerate(items):
        data = item if isinstance(item, bytes) else item.encode("utf-8")
        with open(os.path.join(folder, "%04d.json" % index), "wb") as handle:
            handle.write(data)
    return len(items)


def rsv_meta_seed(steps):
    """A Reasoning-Structured Videos _meta.json in the card's shape with `steps` steps."""
    import math
    x, y, yaw = -2490.0, 1200.0, -120.0
    records = []
    for k in range(steps):
        action = ["move_right", "turn_right", "look_down", "no_op"][k % 4]
        nx, ny, nyaw = x, y, yaw
        if action == "move_right":
            nx, ny = x - 100 * math.sin(math.radians(yaw)), y + 100 * math.cos(math.radians(yaw))
        if action == "turn_right":
            nyaw = yaw + 15
        pitch = -7.5 * sum(1 for j in range(k + 1) if j % 4 == 2)
        start_pitch = -7.5 * sum(1 for j in range(k) if j % 4 == 2)
        records.append({"step": k, "action": action, "action_id": [3, 5, 7, 8][k % 4],
                        "start_pos": [round(x, 1), round(y, 1), 400.0], "start_rot": [start_pitch, yaw, 0.0],
                        "expected_end_pos": [round(nx, 1), round(ny, 1), 400.0],
                        "actual_end_pos": [round(nx, 1), round(ny, 1), 400.0], "actual_end_rot": [pitch, nyaw, 0.0],
                        "collision": False, "collision_displacement": 0.0, "frame_dir": "step_%02d" % k})
        x, y, yaw = nx, ny, nyaw
    meta = {"trajectory_id": 353, "data_type": "reasoning", "trajectory_type": "inverse", "algebraic_property": "inverse",
            "paired_trajectory": {"is_paired": False}, "has_collision": False, "collision_count": 0,
            "total_steps": steps, "frames_per_step": 9, "total_frames": steps * 9,
            "render_config": {"resolution": [1280, 720], "fov": 79.0, "image_format": "jpeg", "modalities": ["rgb", "depth"]},
            "root_state": {"position": [-2490.0, 1200.0, 400.0], "rotation": [0.0, 240.0, 0.0]},
            "action_sequence": [r["action"] for r in records], "collision_mask": [0] * steps, "steps": records,
            "video_encoding": {"fps": 16.0, "crf": 28, "resolution": "1280x720", "codec": "libx264"}}
    return json.dumps(meta)


def main():
    vectors, out_dir = sys.argv[1], sys.argv[2]
    load = lambda name: json.load(open(os.path.join(vectors, name), encoding="utf-8"))
    gt_cases = load("gt_cases.json")
    results = load("rescore_results.json")
    protocol = load("protocol_cases.json")["cases"]

    clips = []
    for case in gt_cases:
        clips.append(json.dumps({"start_s": case["start_s"], "end_s": case["start_s"] + 5, "tag": case["name"],
                                 "actions": case["actions"]}))
    for case in protocol[:10]:
        clips.append(json.dumps({"start_s": case["start_s"], "tag": case["clip_name"], "actions": case["actions"]}))
    clips += [b"", b"\xef\xbb\xbf{\"start_s\": 1, \"actions\": []}", b"{\"start_s\": 1, \"actions\": [[1e300, 5]]}",
              b"{\"start_s\": \"1\", \"actions\": {}}"]

    result_files = []
    header = {key: value for key, value in results.items() if key != "clips"}
    for clip in results["clips"][:12]:
        result_files.append(json.dumps(dict(header, clips=[clip])))
    result_files.append(json.dumps(dict(header, clips=results["clips"][12:14])))
    result_files += [b"{\"fps\": 5, \"clips\": [1, {}, []]}", b"{\"fps\": \"5\", \"clips\": []}"]

    answers = [case["text"] for case in load("parse_cases.json")]
    answers.append(json.dumps(load("filter_cases.json")["predictions"]))
    answers += [clip["raw_response"] for clip in results["clips"][:8] if isinstance(clip.get("raw_response"), str)]
    answers += ["<think>[1]</think>```json\n[{\"frame\": \"F1_0\", \"type\": \"KeyPress\", \"details\": \"cmd+a\"}]\n```"]

    side = []
    for index, case in enumerate(protocol[:10]):
        key = "clips_recording_x/clip_%03d_%s" % (index, case["clip_name"])
        side.append(json.dumps({key: case["labels"]}))
        side.append(json.dumps({key: case["overrides"]}))
    side.append(json.dumps({"c/clip_000": [{"frame": 3, "type": "MouseMove", "details": "12,-4"},
                                           {"frame": "F04", "type": "MouseScroll", "detail": "-2"}]}))
    side.append("{\"c\": {\"edits\": {\"x\": 1}, \"deletions\": [\"1\", -1, 99], \"additions\": [{\"frame\": \"F08\"}]}}")

    rsv = [rsv_meta_seed(steps) for steps in (1, 3, 40)]
    rsv.append(rsv_meta_seed(2).replace('"collision_displacement": 0.0', '"collision_displacement": NaN'))
    rsv.append(rsv_meta_seed(2).replace('"move_right"', '"..."', 1))
    write(out_dir, "fuzz_rsv_meta", rsv)
    # Worker protocol lines: one of each message, both directions, and a few broken ones.
    messages = [
        {"type": "hello", "protocol": 1, "worker": "idmscope-worker", "version": "0.1.0", "backends": ["baseline", "openai"]},
        {"type": "pong", "id": 3},
        {"type": "progress", "id": 7, "clip": "r/clip_000", "stage": "windows", "done": 0, "total": 4, "grid_frames": 25},
        {"type": "window_result", "id": 7, "clip": "r/clip_000", "window": 1, "start_frame": 5, "ok": True, "attempts": 1,
         "raw": "[{\"frame\": \"F02\"}]", "answer": [{"frame": "F02", "type": "KeyPress", "details": "A"}]},
        {"type": "window_result", "id": 7, "window": 2, "ok": True, "raw": "garbage", "answer": [], "bad_answer": "no JSON array in the answer"},
        {"type": "clip_result", "id": 7, "grid_frames": 25, "predictions": [], "failed_windows": 0, "bad_answers": 1,
         "windows": [{"window": 0, "start_frame": 0, "ok": False, "attempts": 2, "error": "HTTP 500"}], "backend": {"name": "baseline"}},
        {"type": "cancelled", "id": 7}, {"type": "error", "id": 7, "message": "no video"}, {"type": "error", "id": None, "message": "x"},
        {"type": "run", "id": 1, "clip": {"key": "r/clip_000", "video": "/v.mp4"}, "backend": {"name": "baseline"},
         "frames": {"max_edge_px": 0, "burn_labels": False}, "windows": {"size": 10, "stride": 5, "keep_first": 2, "keep_last": 7}},
        {"type": "cancel", "id": 1}, {"type": "shutdown"},
    ]
    protocol_lines = [json.dumps(message) for message in messages]
    protocol_lines += ["\n".join(json.dumps(message) for message in messages),
                       '{"type":"progress","id":1,"stage":"windows","done":0,"total":"x"}',
                       '{"type":"clip_result","id":1,"failed_windows":"many"}', '{"type":"error","id":1,"message":12345}',
                       '{"type":"progress","id":18446744073709551615,"stage":"a","done":1,"total":2,"grid_frames":1e12}',
                       '{"type":"window_result","id":1,"window":0,"ok":null}', "not json", "[1,2]", "{}\r"]

    counts = [write(out_dir, "fuzz_clip_reader", clips), write(out_dir, "fuzz_results_file", result_files),
              write(out_dir, "fuzz_response_parser", answers), write(out_dir, "fuzz_side_files", side),
              write(out_dir, "fuzz_worker_protocol", protocol_lines)]
    print("fuzz seeds: %d clip, %d results, %d answer, %d side-file, %d worker protocol inputs in %s" % (*counts, out_dir))


if __name__ == "__main__":
    main()
