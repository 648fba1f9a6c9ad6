#!/usr/bin/env bash
# Checks bench/reference_rescore.py (the benchmark's stand-in for the reference scorer) against
# the reference scorer's own outputs: tests/vectors/rescore_expected.json holds its summaries of
# tests/vectors/rescore_results.json at tolerance 0/2/5, coalesce off/on.
# Exit 0 when all six settings match value for value, 1 on any mismatch, 2 if it cannot run.
set -u

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
python="${PYTHON:-python3}"
script="$here/reference_rescore.py"
results="$repo/tests/vectors/rescore_results.json"
expected="$repo/tests/vectors/rescore_expected.json"

for file in "$script" "$results" "$expected"; do
  if [[ ! -f "$file" ]]; then
    echo "check_reference_port: missing $file" >&2
    exit 2
  fi
done

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

failures=0
for setting in t0 t0c t2 t2c t5 t5c; do
  tolerance="${setting:1:1}"
  coalesce=()
  [[ "$setting" == *c ]] && coalesce=(--coalesce)
  out="$work/$setting.json"
  if ! "$python" "$script" --results "$results" --tolerance "$tolerance" "${coalesce[@]}" --json "$out" --quiet; then
    echo "FAIL $setting: reference_rescore.py exited non-zero"
    failures=$((failures + 1))
    continue
  fi
  # Compare parsed values (key order and white space don't matter; numbers compare by value).
  if "$python" - "$out" "$expected" "$setting" <<'EOF'
import json, sys
ours = json.load(open(sys.argv[1]))
expected = json.load(open(sys.argv[2]))[sys.argv[3]]
if ours == expected:
    sys.exit(0)
for key in sorted(set(ours) | set(expected)):
    if key == "clips" and isinstance(ours.get(key), list) and isinstance(expected.get(key), list):
        if len(ours[key]) != len(expected[key]):
            print(f"  clips: {len(ours[key])} rows, expected {len(expected[key])}")
        for a, b in zip(ours[key], expected[key]):
            if a != b:
                print(f"  clip {b.get('clip_index')}: got {a}, expected {b}")
    elif ours.get(key) != expected.get(key):
        print(f"  {key}: got {ours.get(key)}, expected {expected.get(key)}")
sys.exit(1)
EOF
  then
    echo "ok   $setting"
  else
    echo "FAIL $setting"
    failures=$((failures + 1))
  fi
done

if ((failures > 0)); then
  echo "check_reference_port: $failures of 6 settings differ from tests/vectors/rescore_expected.json" >&2
  exit 1
fi
echo "check_reference_port: all 6 settings match tests/vectors/rescore_expected.json"
