#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (build dir build-fuzz, IDMSCOPE_FUZZ=ON) and runs
# each one for SECONDS (default 30), seeded from tests/vectors. Exits non-zero if any target
# crashes, leaks, hits undefined behaviour, times out on one input or breaks an invariant;
# the input that did it is kept under build-fuzz/fuzz-artifacts/.
#
# Usage: scripts/fuzz.sh [SECONDS] [TARGET...]
# Env:   IDMSCOPE_FUZZ_BUILD_DIR  build dir (default <repo>/build-fuzz)
#        IDMSCOPE_FUZZ_ARGS       extra libFuzzer flags (e.g. "-max_len=100000 -jobs=2")
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-30}
shift || true
build_dir=${IDMSCOPE_FUZZ_BUILD_DIR:-"$root/build-fuzz"}

if ! command -v clang++ >/dev/null; then
  echo "fuzz: clang++ not found (scripts/setup.sh installs clang and libclang-rt-14-dev)" >&2
  exit 1
fi
generator=()
if command -v ninja >/dev/null; then generator=(-G Ninja); fi
if [ ! -f "$build_dir/CMakeCache.txt" ]; then
  CC=clang CXX=clang++ cmake -S "$root" -B "$build_dir" "${generator[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DIDMSCOPE_FUZZ=ON -DIDMSCOPE_WERROR=ON >/dev/null
else
  cmake "$build_dir" -DIDMSCOPE_FUZZ=ON -DIDMSCOPE_WERROR=ON >/dev/null
fi
cmake --build "$build_dir" --target fuzz_targets -j "$(nproc)"

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(fuzz_clip_reader fuzz_results_file fuzz_response_parser fuzz_side_files)
fi

seeds="$build_dir/fuzz-seeds"
rm -rf "$seeds"
python3 "$root/scripts/fuzz_seeds.py" "$root/tests/vectors" "$seeds"

failed=()
for target in "${targets[@]}"; do
  binary="$build_dir/tests/fuzz/$target"
  corpus="$build_dir/fuzz-corpus/$target"   # grows across runs; seeds are read, never written
  artifacts="$build_dir/fuzz-artifacts/$target"
  mkdir -p "$corpus" "$artifacts"
  echo "== $target: ${seconds}s"
  log="$artifacts/last-run.log"
  # shellcheck disable=SC2086
  if "$binary" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2560 -malloc_limit_mb=2048 \
      -dict="$root/tests/fuzz/json.dict" -artifact_prefix="$artifacts/" -print_final_stats=1 \
      ${IDMSCOPE_FUZZ_ARGS:-} "$corpus" "$seeds/$target" >"$log" 2>&1; then
    grep -E '^stat::number_of_executed_units|^#[0-9]+.*DONE' "$log" | tail -2 || true
  else
    echo "!! $target failed; log: $log" >&2
    grep -E 'ERROR|invariant|runtime error|Test unit written|SUMMARY' "$log" | head -20 >&2 || true
    failed+=("$target")
  fi
done

if [ ${#failed[@]} -ne 0 ]; then
  echo "fuzz: FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "fuzz: all ${#targets[@]} targets ran ${seconds}s without a failure"
