#!/usr/bin/env bash
# Installs every Debian 12 package that the build, the tests and the GUI need.
# Only missing packages are installed; running it again is cheap.
set -euo pipefail

packages=(
  # build
  build-essential cmake pkg-config ninja-build python3
  # core + CLI
  nlohmann-json3-dev doctest-dev libsimdjson-dev
  # video engine
  libavformat-dev libavcodec-dev libavutil-dev libswscale-dev ffmpeg
  # GUI
  libimgui-dev libglfw3-dev libgl-dev libstb-dev fonts-dejavu-core fonts-inter
  # inference: the openai backend (HTTP), PNG frames (zlib)
  libcurl4-openssl-dev zlib1g-dev
  # tests: sanitizers, fuzzers, headless GUI
  clang libclang-rt-14-dev xvfb xdotool x11-apps imagemagick mesa-utils libgl1-mesa-dri
)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages already installed"
  exit 0
fi

echo "setup: installing ${missing[*]}"
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
