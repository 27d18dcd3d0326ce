#!/usr/bin/env bash
# Checks, before a build, that every native dependency is where Package.swift will look, with a
# message that says what to install or which variable to set. Exits non-zero on the first problem.
set -euo pipefail
cd "$(dirname "$0")/.."
fail() { printf '\033[1;31mcheck-deps:\033[0m %s\n' "$*" >&2; exit 1; }

# LibTorch: LIBTORCH=/path (official distribution) or Debian's libtorch-dev.
if [ -n "${LIBTORCH:-}" ]; then
  ver_h="$LIBTORCH/include/torch/csrc/api/include/torch/version.h"
  [ -f "$ver_h" ] || fail "LIBTORCH=$LIBTORCH has no include/torch/csrc/api/include/torch/version.h - point it at an unpacked LibTorch (the folder holding include/ and lib/)."
  [ -f "$LIBTORCH/lib/libtorch.so" ] || fail "LIBTORCH=$LIBTORCH has no lib/libtorch.so."
else
  ver_h=/usr/include/torch/csrc/api/include/torch/version.h
  [ -f "$ver_h" ] || fail "LibTorch not found. Run scripts/setup.sh (installs Debian's libtorch-dev) or set LIBTORCH=/path/to/libtorch."
fi
major=$(awk '/define TORCH_VERSION_MAJOR/ {print $3}' "$ver_h")
minor=$(awk '/define TORCH_VERSION_MINOR/ {print $3}' "$ver_h")
if [ "$major" -lt 1 ] || { [ "$major" -eq 1 ] && [ "$minor" -lt 13 ]; }; then
  fail "LibTorch $major.$minor found ($ver_h); OCRKit needs >= 1.13. Install libtorch-dev from Debian 12 or set LIBTORCH to a newer distribution."
fi

[ -f /usr/include/opencv4/opencv2/core.hpp ] || fail "OpenCV headers not found: run scripts/setup.sh (libopencv-dev)."
[ -f /usr/include/hdf5/serial/hdf5.h ] || fail "HDF5 headers not found: run scripts/setup.sh (libhdf5-dev)."
ort="${ORT_HOME:-.deps/onnxruntime}"
[ -f "$ort/include/onnxruntime_c_api.h" ] && [ -e "$ort/lib/libonnxruntime.so" ] \
  || fail "ONNX Runtime not found in $ort: run scripts/setup.sh, or set ORT_HOME to a release with include/ and lib/."
echo "check-deps: LibTorch $major.$minor, OpenCV, HDF5, ONNX Runtime ($ort) - ok"
