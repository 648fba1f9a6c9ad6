#!/usr/bin/env bash
# The README's run command: installs what is missing, builds, and opens DATASET in the viewer
# (default: the built-in sample, generated once by `idmscope synth` with two prediction sets).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/setup.sh
bash scripts/build.sh "$root/build"
idmscope="$root/build/app/idmscope"
dataset=${1:-}
predictions=()
if [ -z "$dataset" ]; then
  dataset="$root/build/sample"
  if [ ! -f "$dataset/annotations.json" ]; then
    "$idmscope" synth "$dataset" --clips 12 --seed 1
  fi
  predictions=(--predictions "$dataset/predictions/good.json" --predictions "$dataset/predictions/weak")
fi
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "run.sh: no display; showing the dataset summary instead (or use: xvfb-run -a $idmscope $dataset ...)" >&2
  "$idmscope" summary "$dataset"
  exit 0
fi
exec "$idmscope" "$dataset" "${predictions[@]}" --profile protocol
