#!/usr/bin/env bash
# ONNX files' latency through OCRKit's ONNX Runtime shim, each model in its own process, the
# models alternating (3 processes each), medians of 5 rounds per process:
#   scripts/bench-onnx-files.sh "N C H W" MODEL.onnx...     THREADS=1|2 (default 2)
# e.g. FP32 against INT8 of an `ocr-export --int8` folder:
#   THREADS=1 scripts/bench-onnx-files.sh "1 3 640 640" export/model.onnx export/model.int8.onnx
# Why separate processes: on the 2-core VM, ONNX Runtime's 2-thread FP32 speed differed per
# process (21 or 32 ms for one DB model), which in-process comparisons mistake for INT8's gain.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 2 ] || { echo "usage: $0 \"N C H W\" MODEL.onnx..." >&2; exit 2; }
shape=$1; shift
bin=$(mktemp -d)/onnx_time
trap 'rm -rf "$(dirname "$bin")"' EXIT
cc -O2 -I Sources/COnnxRuntime/include -I .deps/onnxruntime/include scripts/onnx_time.c Sources/COnnxRuntime/connxruntime.c \
   -L .deps/onnxruntime/lib -lonnxruntime -Wl,-rpath,"$PWD/.deps/onnxruntime/lib" -o "$bin"
echo "threads ${THREADS:-2}, input $shape; load average $(cut -d' ' -f1-3 /proc/loadavg)"
for round in 1 2 3; do
  for model in "$@"; do "$bin" $shape 5 "$model"; done
done | awk '{ ms[$3] = ms[$3] " " $1 } END { for (m in ms) print m ":" ms[m] }' | sort
