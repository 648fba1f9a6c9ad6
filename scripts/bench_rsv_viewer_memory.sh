#!/usr/bin/env bash
# Memory of the viewer in RSV mode: an equivalence pair of two 1280x720, 360-frame trajectories
# side by side, playing through every frame, against the same viewer showing a single trajectory
# (the baseline, same run). Prints both peak RSS figures; exit 1 when the pair exceeds 600 MB.
# Usage: scripts/bench_rsv_viewer_memory.sh [BUILD_DIR] [RELEASE_DIR]
#   RELEASE_DIR is written by `idmscope synth --rsv --size 1280x720 --per-split 1` when missing.
set -euo pipefail
build=${1:-build}
release=${2:-/tmp/idmscope-rsv-bench-1280x720}
bin="$build/app/idmscope"
limit_kb=$((600 * 1024))
if [ ! -d "$release" ]; then
  "$bin" synth --rsv "$release" --size 1280x720 --per-split 1 >/dev/null
fi
pair=equivalence_easy/run_20260112_093001__pair_100
single=inverse_easy/run_20260112_093001__traj_1
peak_kb() {  # clip, seconds: plays the clip from frame 0 for that long, prints the peak RSS in kB
  local log out
  log=$(mktemp)
  out=$(mktemp)
  xvfb-run -a -s '-screen 0 1920x1080x24' /usr/bin/time -v "$bin" "$release" --clip "$1" --frame 0 --size 1600x1000 \
    --play --quit-after "$2" >"$out" 2>"$log" || true
  # The run counts only if it played to the last frame.
  if ! grep -q "^rsv-view item=$1 frame=359 " "$out"; then
    echo "$1 did not play to frame 359 in $2 s: $(grep '^rsv-view' "$out")" >&2
    exit 2
  fi
  awk -F': ' '/Maximum resident set size/ {print $2}' "$log"
  rm -f "$log" "$out"
}
# 360 frames at 16 fps take 22.5 s; the time leaves room for a loaded machine's slower decode.
seconds=${IDMSCOPE_BENCH_SECONDS:-40}
single_kb=$(peak_kb "$single" "$seconds")
pair_kb=$(peak_kb "$pair" "$seconds")
echo "RSV viewer peak RSS: single trajectory $((single_kb / 1024)) MB (baseline), pair side by side $((pair_kb / 1024)) MB (limit 600 MB)"
[ "$pair_kb" -le "$limit_kb" ]
