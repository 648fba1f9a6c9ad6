#!/usr/bin/env bash
# The README's run command: installs what is missing, builds, and opens DATASET (default: the
# built-in sample). Until the GUI viewer lands (issue 5) this prints the dataset summary and
# its integrity report instead of opening a window.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/setup.sh
bash scripts/build.sh "$root/build"
dataset=${1:-}
if [ -z "$dataset" ]; then
  # The built-in sample: the spec's protocol vector clips with videos, labels and overrides.
  # `idmscope synth` (issue 4) replaces it with rendered desktop recordings.
  dataset="$root/build/sample/protocol"
  if [ ! -f "$dataset/annotations.json" ]; then
    python3 tests/cli/make_vector_dataset.py tests/vectors "$root/build/sample"
    python3 - "$root/build/sample" <<'PY'
import json, os, subprocess, sys
out = sys.argv[1]
grid = json.load(open(os.path.join(out, "protocol_grid_frames.json")))
for key, n in grid.items():
    subprocess.run(["ffmpeg", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "color=c=gray:size=1728x1080:rate=30",
                    "-frames:v", str(n * 6), "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
                    os.path.join(out, "protocol", key + ".mp4")], check=True)
PY
  fi
fi
"$root/build/app/idmscope" summary "$dataset"
echo
"$root/build/app/idmscope" check "$dataset" --problems-only || true
