#!/usr/bin/env bash
# make test's export step: train a small CRNN for a few steps, export FP32 and INT8 (the parity
# check is part of every export and fails the step above 1e-4), evaluate both exported models
# with ocr-eval, and check that the INT8 accuracy gate refuses a model when the allowed drop is
# impossible to meet. Then the same pipeline for the angle classifier (configs/cls/cls_mv3.yml,
# 4 steps on 64 rendered lines, ~20 s): export FP32 + INT8, and a checkpoint exported with the
# other task's config is refused. Then a DB detector (3 steps of a small one, ~30 s): FP32 export
# with parity at three page sizes and on a real page, and a rec checkpoint refused with the det
# config (INT8 for det is DetectorExportJobTests'). No run leaves a staged *.partial file. Uses the debug binaries
# `make test` built.
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
no_partials() { ! compgen -G "$1/*.partial" > /dev/null || { echo "export-check: staged files left in $1:" >&2; ls "$1" >&2; exit 1; }; }
no_partials "$OUT/export"

step "evaluate the exported models"
"$BIN/ocr-eval" -c "$CONFIG" --checkpoint "$OUT/export/model.onnx" --out "$OUT/eval-fp32"
"$BIN/ocr-eval" -c "$CONFIG" --checkpoint "$OUT/export/model.int8.onnx" --out "$OUT/eval-int8"

step "the LibTorch-free ocr: render lines, evaluate the exported model, read the lines"
"$BIN/ocr" data render --fonts /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf --corpus /usr/share/dict/words \
  --count 32 --text-mode words --text-length 3,10 --seed 5 --out "$OUT/lines"
"$BIN/ocr" eval "$OUT/export/model.onnx" --data "$OUT/lines/labels.txt" --out "$OUT/eval-ocr" | tee "$OUT/ocr-eval.log"
grep -q "32 lines scored" "$OUT/ocr-eval.log" || { echo "export-check: ocr eval did not score the 32 lines" >&2; exit 1; }
"$BIN/ocr" predict --rec "$OUT/export/model.onnx" "$OUT"/lines/images/* --json > "$OUT/predict.json"
[ "$(wc -l < "$OUT/predict.json")" -eq 32 ] || { echo "export-check: ocr predict did not read the 32 lines" >&2; exit 1; }
if "$BIN/ocr" predict --rec "$OUT/export/model.onnx" "$OUT/lines" > /dev/null 2> "$OUT/predict-dir.log"; then
  echo "export-check: ocr predict on a folder without images succeeded" >&2; exit 1
fi
grep -q "no image files" "$OUT/predict-dir.log" || { echo "export-check: no clear error for a folder without images" >&2; exit 1; }

step "the accuracy gate refuses an INT8 model it cannot accept"
if "$BIN/ocr-export" -c "$CONFIG" --checkpoint "$OUT/run/latest.h5" --out "$OUT/gate" \
     --int8 --calib-count 32 --max-accuracy-drop=-1 --no-sensitivity > "$OUT/gate.log" 2>&1; then
  echo "export-check: ocr-export accepted an INT8 model with --max-accuracy-drop -1" >&2; exit 1
fi
[ -s "$OUT/gate/model.int8.rejected.onnx" ] && [ ! -e "$OUT/gate/model.int8.onnx" ] && grep -q REJECTED "$OUT/gate.log" \
  || { echo "export-check: the rejected INT8 model was not kept apart:" >&2; cat "$OUT/gate.log" >&2; exit 1; }
no_partials "$OUT/gate"

CLS=configs/cls/cls_mv3.yml
bash scripts/make-corpus.sh "$OUT/corpus" > /dev/null
CLS_DATA=(Train.dataset.count=64 Eval.dataset.count=32 Train.loader.batch_size_per_card=16 Eval.loader.batch_size_per_card=16
          "Train.dataset.corpus=$OUT/corpus/train.txt" "Eval.dataset.corpus=$OUT/corpus/eval.txt")
step "train $CLS (4 steps of 16 lines)"
"$BIN/ocr-train" -c "$CLS" -o "Global.save_model_dir=$OUT/cls-run" Global.epoch_num=1 "${CLS_DATA[@]}"

step "export the classifier: FP32 + INT8 (parity checked)"
"$BIN/ocr-export" -c "$CLS" -o "${CLS_DATA[@]}" --checkpoint "$OUT/cls-run/latest.h5" --out "$OUT/cls-export" \
  --int8 --calib-count 32 --max-accuracy-drop 100 --no-sensitivity
for f in model.onnx model.int8.onnx export-report.json export-report.md; do
  [ -s "$OUT/cls-export/$f" ] || { echo "export-check: cls $f was not written" >&2; exit 1; }
done
grep -q '"kind" : "cls"' "$OUT/cls-export/export-report.json" || { echo "export-check: the cls report is not a cls export" >&2; exit 1; }
no_partials "$OUT/cls-export"

step "evaluate the classifier's checkpoint and its ONNX file: the same lines, the same accuracy"
"$BIN/ocr-eval" -c "$CLS" -o "${CLS_DATA[@]}" --checkpoint "$OUT/cls-run/latest.h5" --out "$OUT/cls-eval-ckpt" | tee "$OUT/cls-ckpt.log"
"$BIN/ocr-eval" -c "$CLS" -o "${CLS_DATA[@]}" --checkpoint "$OUT/cls-export/model.onnx" --out "$OUT/cls-eval-onnx" | tee "$OUT/cls-onnx.log"
a=$(grep -m1 '^accuracy' "$OUT/cls-ckpt.log"); b=$(grep -m1 '^accuracy' "$OUT/cls-onnx.log")
[ -n "$a" ] && [ "$a" = "$b" ] || { echo "export-check: checkpoint '$a' and ONNX '$b' disagree" >&2; exit 1; }

step "a checkpoint is exported only with its own task's config"
if "$BIN/ocr-export" -c "$CONFIG" --checkpoint "$OUT/cls-run/latest.h5" --out "$OUT/mismatch" > "$OUT/mismatch.log" 2>&1; then
  echo "export-check: ocr-export exported a cls checkpoint with a rec config" >&2; exit 1
fi
grep -q "it is a cls checkpoint, but the config's Architecture.model_type is rec" "$OUT/mismatch.log" \
  || { echo "export-check: the task mismatch was not named:" >&2; cat "$OUT/mismatch.log" >&2; exit 1; }
DET=configs/det/det_mv3_db_synth.yml
DET_DATA=(Architecture.Backbone.model_name=small Architecture.Backbone.scale=0.35 Architecture.Neck.out_channels=16
          "Train.dataset.corpus=$OUT/corpus/train_cased.txt" "Eval.dataset.corpus=$OUT/corpus/eval.txt"
          Train.dataset.count=16 "Train.dataset.page_size=[320, 320]" Eval.dataset.count=3 "Eval.dataset.page_size=[320, 256]")
step "train a small DB detector ($DET, MobileNetV3 small x0.35 + RSEFPN 16, 3 steps)"
"$BIN/ocr-train" -c "$DET" -o "Global.save_model_dir=$OUT/det-run" Global.max_steps=3 "Global.eval_batch_step=[0, 100]" "${DET_DATA[@]}"

step "export the detector (parity checked at 320x320, 640x480, 960x640 and a real Eval page)"
"$BIN/ocr-export" -c "$DET" -o "${DET_DATA[@]}" --checkpoint "$OUT/det-run/latest.h5" --out "$OUT/det-export" | tee "$OUT/det-export.log"
for f in model.onnx export-report.json export-report.md; do
  [ -s "$OUT/det-export/$f" ] || { echo "export-check: det $f was not written" >&2; exit 1; }
done
grep -q '"kind" : "det"' "$OUT/det-export/export-report.json" || { echo "export-check: the det report is not a det export" >&2; exit 1; }
grep -q "real pages, batch 1, size 256 x 320" "$OUT/det-export.log" || { echo "export-check: no parity on a real Eval page" >&2; exit 1; }
no_partials "$OUT/det-export"
if "$BIN/ocr-export" -c "$DET" -o "${DET_DATA[@]}" --checkpoint "$OUT/run/latest.h5" --out "$OUT/det-mismatch" > "$OUT/det-mismatch.log" 2>&1; then
  echo "export-check: ocr-export exported a rec checkpoint with a det config" >&2; exit 1
fi
grep -q "it is a rec checkpoint, but the config's Architecture.model_type is det" "$OUT/det-mismatch.log" \
  || { echo "export-check: the task mismatch was not named:" >&2; cat "$OUT/det-mismatch.log" >&2; exit 1; }
step "passed"
