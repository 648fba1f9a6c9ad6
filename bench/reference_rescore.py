#!/usr/bin/env python3
"""A plain-Python stand-in for the reference scorer's rescore path, for benchmarks.

The public reference scorer (`eval.py --rescore`) is not in this repository, so this script
re-implements its rules from docs (idm-eval.md sections 3, 4, 6 and 7) in the way a Python scorer
would naturally do it: json.load of the whole results file, then a per-clip loop. It is the
baseline that `idmscope bench score --baseline` times on the same file in the same run.

`bench/check_reference_port.sh` checks it against tests/vectors/rescore_expected.json.

usage: reference_rescore.py --results FILE --tolerance N [--coalesce] [--json OUT] [--quiet]

Standard library only.
"""

import argparse
import json
import re
import sys

# ---------------------------------------------------------------------------------------------
# Section 4: key names and the GT filter

MODIFIERS = {"Shift", "Ctrl", "Alt", "AltGr", "Cmd"}
PRINTED_MODIFIER_ORDER = ("Cmd", "Ctrl", "Alt", "Shift")  # AltGr is held but never printed

KEY_RENAMES = {
    "ShiftLeft": "Shift",
    "ShiftRight": "Shift",
    "ControlLeft": "Ctrl",
    "ControlRight": "Ctrl",
    "Alt": "Alt",
    "AltLeft": "Alt",
    "AltRight": "Alt",
    "AltGr": "AltGr",
    "MetaLeft": "Cmd",
    "MetaRight": "Cmd",
}

SCORED_BUTTONS = ("Left", "Right", "Middle")


def map_key_name(name):
    renamed = KEY_RENAMES.get(name)
    if renamed is not None:
        return renamed
    if len(name) == 4 and name.startswith("Key"):
        return name[3].upper()
    if len(name) == 6 and name.startswith("Digit"):
        return name[5]
    # Return, Escape, arrows, F<digits> and anything else stay as they are.
    return name


def frame_index(ts_us, start_us, fps):
    # Section 3: (ts_us - start_s*1e6) / 1e6 * fps in double, round half to even.
    return round((ts_us - start_us) / 1e6 * fps)


def scroll_dy(payload):
    if not isinstance(payload, list) or len(payload) < 2:
        return None
    value = payload[1]
    if isinstance(value, (dict, list)) or value is None:
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def type_sort_key(item):
    return (item["frame"], item["type"])


def filter_actions(actions, start_s, fps):
    start_us = start_s * 1e6
    ordered = sorted(actions, key=lambda entry: entry[0])  # stable

    held_modifiers = {}  # dict as an insertion-ordered set
    held_keys = {}  # mapped key -> (press frame, detail)
    held_buttons = {}  # button -> press frame
    spans = []  # ("key"|"button", start, end, detail)
    scrolls = []
    max_frame = 0

    def close_everything(frame):
        for key, (pressed, detail) in held_keys.items():
            spans.append(("key", pressed, frame, detail))
        for button, pressed in held_buttons.items():
            spans.append(("button", pressed, frame, button))
        held_keys.clear()
        held_buttons.clear()

    for ts_us, (kind, payload) in ordered:
        frame = frame_index(ts_us, start_us, fps)
        if frame < 0:
            continue
        if frame > max_frame:
            max_frame = frame

        if kind == "KeyPress" or kind == "KeyRelease":
            if not isinstance(payload, list) or len(payload) < 2 or payload[1] == "UNKNOWN":
                continue
            raw_name = payload[1]
            key = map_key_name(raw_name if isinstance(raw_name, str) else str(raw_name))
            if kind == "KeyPress":
                if key in MODIFIERS:
                    held_modifiers[key] = True
                elif key not in held_keys:
                    prefix = "".join(m + "+" for m in PRINTED_MODIFIER_ORDER if m in held_modifiers)
                    held_keys[key] = (frame, prefix + key)
            else:
                if key in MODIFIERS:
                    held_modifiers.pop(key, None)
                elif key in held_keys:
                    pressed, detail = held_keys.pop(key)
                    spans.append(("key", pressed, frame, detail))
        elif kind == "MousePress" or kind == "MouseRelease":
            if not isinstance(payload, list) or not payload:
                continue
            button = payload[0]
            if not isinstance(button, str) or button not in SCORED_BUTTONS:
                continue
            if kind == "MousePress":
                if button not in held_buttons:
                    held_buttons[button] = frame
            elif button in held_buttons:
                spans.append(("button", held_buttons.pop(button), frame, button))
        elif kind == "MouseScroll":
            dy = scroll_dy(payload)
            if dy is None:
                continue
            if dy > 0:
                scrolls.append({"frame": frame, "type": "MouseScroll", "detail": "up"})
            elif dy < 0:
                scrolls.append({"frame": frame, "type": "MouseScroll", "detail": "down"})
        elif kind == "ContextChanged":
            if isinstance(payload, list) and any(isinstance(v, str) and v == "UNCAPTURED" for v in payload):
                close_everything(frame)
                held_modifiers.clear()
        # MouseMove and anything else: ignored, but counted in max_frame above.

    close_everything(max_frame)

    items = []
    for span_kind, start, end, detail in spans:
        if span_kind == "key":
            for frame in range(start, max(end, start + 1)):
                items.append({"frame": frame, "type": "KeyPress", "detail": detail})
        else:
            items.append({"frame": start, "type": "MouseClick", "detail": detail})
    items.extend(scrolls)
    items.sort(key=type_sort_key)
    return items


def run_heads(items, gap):
    items = sorted(items, key=lambda item: item["frame"])
    kept = []
    previous = None
    for item in items:
        continues = (
            previous is not None
            and item["frame"] - previous["frame"] <= gap
            and item["detail"] == previous["detail"]
        )
        if not continues:
            kept.append(item)
        previous = item
    return kept


def coalesce_actions(items, gap=1):
    keys = [item for item in items if item["type"] == "KeyPress"]
    scrolls = [item for item in items if item["type"] == "MouseScroll"]
    clicks = [item for item in items if item["type"] == "MouseClick"]
    out = keys + run_heads(scrolls, gap) + run_heads(clicks, gap)
    out.sort(key=type_sort_key)
    return out


# ---------------------------------------------------------------------------------------------
# Section 6: prediction filter

SCORED_TYPES = ("KeyPress", "MouseClick", "MouseScroll")

KEY_ALIASES = {
    "enter": "Return",
    "return": "Return",
    "esc": "Escape",
    "escape": "Escape",
    "backspace": "Backspace",
    "delete": "Delete",
    "space": "Space",
    "tab": "Tab",
    "capslock": "CapsLock",
    "up": "UpArrow",
    "uparrow": "UpArrow",
    "down": "DownArrow",
    "downarrow": "DownArrow",
    "left": "LeftArrow",
    "leftarrow": "LeftArrow",
    "right": "RightArrow",
    "rightarrow": "RightArrow",
    "cmd": "Cmd",
    "command": "Cmd",
    "meta": "Cmd",
    "ctrl": "Ctrl",
    "control": "Ctrl",
    "alt": "Alt",
    "option": "Alt",
    "shift": "Shift",
    "home": "Home",
    "end": "End",
    "pageup": "PageUp",
    "pagedown": "PageDown",
}

# What int() accepts after the "F": optional sign, ASCII digits, single "_" between digits.
FRAME_NUMBER = re.compile(r"[+-]?[0-9](?:_?[0-9])*\Z", re.ASCII)
ASCII_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")


def parse_frame_label(label):
    label = label.strip().upper()
    if not label.startswith("F"):
        return None
    rest = label[1:].strip()
    if not FRAME_NUMBER.match(rest):
        return None
    return int(rest)


def normalize_key_combo(detail):
    parts = []
    for part in detail.split("+"):
        part = part.strip()
        alias = KEY_ALIASES.get(part.lower())
        if alias is not None:
            part = alias
        elif len(part) == 1 and part in ASCII_LETTERS:
            part = part.upper()
        parts.append(part)
    return "+".join(parts)


def filter_predictions(predictions):
    out = []
    if not isinstance(predictions, list):
        return out
    for prediction in predictions:
        # Not an object, or a frame that is not a string: dropped (the reference would crash).
        if not isinstance(prediction, dict):
            continue
        label = prediction.get("frame")
        if not isinstance(label, str):
            continue
        kind = prediction.get("type")
        if kind not in SCORED_TYPES:
            continue
        frame = parse_frame_label(label)
        if frame is None or frame < 0:
            continue
        if "details" in prediction:
            detail = prediction["details"]
        elif "detail" in prediction:
            detail = prediction["detail"]
        else:
            detail = ""
        if not isinstance(detail, str):
            detail = str(detail)
        detail = detail.strip()
        if kind == "MouseScroll":
            detail = detail.lower()
            if detail not in ("up", "down"):
                detail = ""
        elif kind == "KeyPress":
            detail = normalize_key_combo(detail)
        out.append({"frame": frame, "type": kind, "detail": detail})
    out.sort(key=lambda item: item["frame"])
    return out


# ---------------------------------------------------------------------------------------------
# Section 7: matching and metrics


def match_events(gt, predictions, tolerance):
    used = [False] * len(predictions)
    matched_gt = [False] * len(gt)
    for g, truth in enumerate(gt):
        best = -1
        best_distance = 0
        for p, guess in enumerate(predictions):
            if used[p] or guess["type"] != truth["type"] or guess["detail"] != truth["detail"]:
                continue
            distance = abs(guess["frame"] - truth["frame"])
            if distance > tolerance:
                continue
            if best == -1 or distance < best_distance:
                best = p
                best_distance = distance
        if best != -1:
            used[best] = True
            matched_gt[g] = True
    return matched_gt, used


def prf(tp, fp, fn):
    precision = tp / (tp + fp) if tp + fp > 0 else 0.0
    recall = tp / (tp + fn) if tp + fn > 0 else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0
    return precision, recall, f1


def counts_summary(counts):
    precision, recall, f1 = prf(counts["tp"], counts["fp"], counts["fn"])
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "tp": counts["tp"],
        "fp": counts["fp"],
        "fn": counts["fn"],
    }


def rescore(results, tolerance, coalesce):
    if "fps" not in results:
        raise SystemExit("reference_rescore.py: results file has no \"fps\"")
    fps = results["fps"]
    overall = {"tp": 0, "fp": 0, "fn": 0}
    per_type = {}
    clip_rows = []
    for clip in results["clips"]:
        gt = filter_actions(clip["ground_truth"], clip["start_s"], fps)
        if coalesce:
            gt = coalesce_actions(gt)
        predictions = filter_predictions(clip.get("predictions") or [])
        matched_gt, used = match_events(gt, predictions, tolerance)
        clip_counts = {"tp": 0, "fp": 0, "fn": 0}
        for item, matched in zip(gt, matched_gt):
            field = "tp" if matched else "fn"
            per_type.setdefault(item["type"], {"tp": 0, "fp": 0, "fn": 0})[field] += 1
            clip_counts[field] += 1
        for item, matched in zip(predictions, used):
            bucket = per_type.setdefault(item["type"], {"tp": 0, "fp": 0, "fn": 0})
            if not matched:
                bucket["fp"] += 1
                clip_counts["fp"] += 1
        for field in ("tp", "fp", "fn"):
            overall[field] += clip_counts[field]
        clip_rows.append(
            {
                "clip_index": clip.get("clip_index"),
                "clip_name": clip.get("clip_name"),
                "tag": clip.get("tag"),
                "gt_count": len(gt),
                "pred_count": len(predictions),
                "tp": clip_counts["tp"],
                "fp": clip_counts["fp"],
                "fn": clip_counts["fn"],
                "f1": round(prf(clip_counts["tp"], clip_counts["fp"], clip_counts["fn"])[2], 4),
            }
        )
    return {
        "tolerance": tolerance,
        "coalesce": coalesce,
        "overall": counts_summary(overall),
        "per_type": {kind: counts_summary(per_type[kind]) for kind in SCORED_TYPES if kind in per_type},
        "clips": clip_rows,
        "fps": fps,
    }


def main(argv):
    parser = argparse.ArgumentParser(description="Plain-Python rescore of a results file (benchmark baseline).")
    parser.add_argument("--results", required=True)
    parser.add_argument("--tolerance", type=int, required=True)
    parser.add_argument("--coalesce", action="store_true")
    parser.add_argument("--json", dest="json_out")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)

    with open(args.results, "r", encoding="utf-8") as handle:
        results = json.load(handle)
    summary = rescore(results, args.tolerance, args.coalesce)
    fps = summary.pop("fps")

    if not args.quiet:
        print(f"Rescore: {len(summary['clips'])} clips, fps={fps}, tolerance={args.tolerance}, "
              f"coalesce={'on' if args.coalesce else 'off'}")
        rows = [("all", summary["overall"])] + list(summary["per_type"].items())
        for label, row in rows:
            print(f"  {label:<12} P={row['precision']:.4f}  R={row['recall']:.4f}  F1={row['f1']:.4f}  "
                  f"(TP={row['tp']} FP={row['fp']} FN={row['fn']})")
    if args.json_out:
        with open(args.json_out, "w", encoding="utf-8") as handle:
            json.dump(summary, handle, indent=1)
            handle.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
