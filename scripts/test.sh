#!/usr/bin/env bash
# The README's test command: installs what is missing, builds, and runs every test twice:
# once in the normal build and once under AddressSanitizer + UndefinedBehaviorSanitizer; the
# CLI tests also against a Release build without the viewer (no GL stack); then
# the threaded parts (decode service, worker client, inference run) under ThreadSanitizer.
# Then a short run of every fuzz target (IDMSCOPE_FUZZ_SECONDS each, default 10; 0 skips).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/setup.sh
jobs=$(nproc)

echo "== build (RelWithDebInfo)"
bash scripts/build.sh "$root/build"
echo "== tests"
ctest --test-dir "$root/build" --output-on-failure -j "$jobs"

echo "== headless CLI build (Release, -DIDMSCOPE_GUI=OFF: no GL, GLFW or ImGui)"
bash scripts/build.sh "$root/build-headless" -DCMAKE_BUILD_TYPE=Release -DIDMSCOPE_GUI=OFF
# The libraries each binary asks for itself (ffmpeg's own dependencies may pull in X11 for
# VA-API; that is not ours). The viewer build must show GL here, or the check proves nothing.
gl_libraries() { objdump -p "$1" | grep NEEDED | grep -Ei 'libGL|libOpenGL|glfw|imgui|libX11' || true; }
if [ -z "$(gl_libraries "$root/build/app/idmscope")" ]; then
  echo "the GL check sees no GL library in the viewer build either: it cannot tell" >&2
  exit 1
fi
if [ -n "$(gl_libraries "$root/build-headless/app/idmscope")" ]; then
  gl_libraries "$root/build-headless/app/idmscope" >&2
  echo "the headless idmscope links a GL/window library (above)" >&2
  exit 1
fi
echo "== CLI tests against the headless build"
ctest --test-dir "$root/build-headless" --output-on-failure -j "$jobs" -L cli

echo "== build (ASan + UBSan)"
bash scripts/build.sh "$root/build-asan" -DIDMSCOPE_SANITIZE=ON
echo "== tests under ASan + UBSan"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir "$root/build-asan" --output-on-failure -j "$jobs"

echo "== decode service and inference threads under ThreadSanitizer"
# Only the two test binaries (infer_tests brings fake_worker and the infer/synth libraries).
IDMSCOPE_BUILD_TARGET="core_tests infer_tests" bash scripts/build.sh "$root/build-tsan" -DIDMSCOPE_TSAN=ON
tsan_options="halt_on_error=1:second_deadlock_stack=1:suppressions=$root/tests/tsan.supp"
TSAN_OPTIONS="$tsan_options" "$root/build-tsan/tests/core_tests" -tc="decode service*"
# Worker client (reader, stderr and monitor threads) and InferRun (run thread against its owner).
TSAN_OPTIONS="$tsan_options" "$root/build-tsan/tests/infer_tests"

fuzz_seconds=${IDMSCOPE_FUZZ_SECONDS:-10}
if [ -f scripts/fuzz.sh ] && [ "$fuzz_seconds" != 0 ]; then
  echo "== fuzz smoke run (${fuzz_seconds}s per target)"
  bash scripts/fuzz.sh "$fuzz_seconds"
fi
echo "== all tests passed"
