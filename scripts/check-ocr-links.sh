#!/usr/bin/env bash
# make test: the deployment binary `ocr` must not need LibTorch (docs/DESIGN.md, "Inference does not
# need LibTorch"). Fails when its dynamic dependencies include a LibTorch library.
set -euo pipefail
BIN=${1:-.build/debug/ocr}
[ -x "$BIN" ] || { echo "check-ocr-links: $BIN not found (build it first)" >&2; exit 1; }
deps=$(ldd "$BIN")
if echo "$deps" | grep -Ei 'libtorch|libc10|libtorch_cpu' ; then
  echo "check-ocr-links: $BIN links LibTorch (above); the ocr executable must stay LibTorch-free" >&2
  exit 1
fi
echo "check-ocr-links: $BIN links no LibTorch library ($(echo "$deps" | wc -l) libraries)"
