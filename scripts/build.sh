#!/usr/bin/env bash
# Configures and builds one build tree. Usage: scripts/build.sh [BUILD_DIR] [extra cmake args...]
# IDMSCOPE_BUILD_TARGET="name [name...]" builds only those targets (and what they need).
# Warnings are errors here (IDMSCOPE_WERROR=ON); a tree configured by hand has them off by default.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build_dir=${1:-"$root/build"}
shift || true
generator=()
if command -v ninja >/dev/null; then generator=(-G Ninja); fi
if [ ! -f "$build_dir/CMakeCache.txt" ]; then
  cmake -S "$root" -B "$build_dir" "${generator[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DIDMSCOPE_WERROR=ON "$@"
else
  cmake "$build_dir" -DIDMSCOPE_WERROR=ON "$@" >/dev/null
fi
target=()
if [ -n "${IDMSCOPE_BUILD_TARGET:-}" ]; then
  read -r -a names <<<"$IDMSCOPE_BUILD_TARGET"
  target=(--target "${names[@]}")
fi
cmake --build "$build_dir" "${target[@]}" -j "$(nproc)"
