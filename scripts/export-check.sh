#!/usr/bin/env bash
# make test's export step: train a small CRNN for a few steps, export FP32 and INT8 (the parity
# check is part of every export and fails the step above 1e-4), evaluate both exported models
# with ocr-eval, and check that the INT8 accuracy gate refuses a model when the allowed drop is
# impossible to meet. Uses the debug binaries `make test` built.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.build/debug}
CONFIG=configs/ci/tiny_rec.yml
OUT=$(mktemp -d /tmp/ocrkit-export-check.XXXXXX)
trap 'rm -rf "$OUT"' EXIT
step() { printf '\n\033[1mexport-check:\033[0m %s\n' "$*"; }

step "train $CONFIG (40 steps)"
"$BIN/ocr-train" -c "$CONFIG" -o "Global.save_model_dir=$OUT/run"

step "export FP32 + INT8 (parity checked)"
"$BIN/ocr-export" -c "$CONFIG" --checkpoint "$OUT/run/latest.h5" --out "$OUT/export" \
  --int8 --calib-count 64 --max-accuracy-drop 100 --no-sensitivity
for f in model.onnx model.int8.onnx export-report.json export-report.md; do
  [ -s "$OUT/export/$f" ] || { echo "export-check: $f was not written" >&2; exit 1; }
done

step "evaluate the exported models"
"$BIN/ocr-eval" -c "$CONFIG" --checkpoint "$OUT/export/model.onnx" --out "$OUT/eval-fp32"
"$BIN/ocr-eval" -c "$CONFIG" --checkpoint "$OUT/export/model.int8.onnx" --out "$OUT/eval-int8"

step "the accuracy gate refuses an INT8 model it cannot accept"
if "$BIN/ocr-export" -c "$CONFIG" --checkpoint "$OUT/run/latest.h5" --out "$OUT/gate" \
     --int8 --calib-count 32 --max-accuracy-drop=-1 --no-sensitivity > "$OUT/gate.log" 2>&1; then
  echo "export-check: ocr-export accepted an INT8 model with --max-accuracy-drop -1" >&2; exit 1
fi
[ -s "$OUT/gate/model.int8.rejected.onnx" ] && [ ! -e "$OUT/gate/model.int8.onnx" ] && grep -q REJECTED "$OUT/gate.log" \
  || { echo "export-check: the rejected INT8 model was not kept apart:" >&2; cat "$OUT/gate.log" >&2; exit 1; }
step "passed"
