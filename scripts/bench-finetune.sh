#!/usr/bin/env bash
# make bench-finetune: from scratch vs fine-tuned, on seven faces the base model never saw
# (configs/bench/finetune_fonts.yml), each trained for FT_MINUTES minutes (default 30) on 2 cores,
# then evaluated per font on lines rendered with another seed from words neither run saw.
#   FT_MINUTES=30  training budget per run        FT_BASE=runs/crnn_general/latest.h5 (make base-model)
#   FT_RUNS="scratch finetune"  which runs         FT_OUT=runs/finetune_bench
#   FT_THREADS=2   LibTorch threads per run (1 when two runs share the machine)
set -euo pipefail
cd "$(dirname "$0")/.."
MINUTES=${FT_MINUTES:-30}
BASE=${FT_BASE:-runs/crnn_general/latest.h5}
RUNS=${FT_RUNS:-scratch finetune}
OUT=${FT_OUT:-runs/finetune_bench}
CONFIG=configs/bench/finetune_fonts.yml
BIN=.build/release

[ -f runs/corpus/train.txt ] || bash scripts/make-corpus.sh runs/corpus
columns=$RUNS
if [[ " $RUNS " == *" finetune "* ]]; then
  if [ ! -f "$BASE" ]; then
    echo "bench-finetune: the base model $BASE is missing - run 'make base-model' first, or set FT_BASE=CHECKPOINT.h5" >&2
    exit 1
  fi
  # The starting point: the base model on the benchmark's lines, before any training.
  echo "== base: $BASE, no training"
  "$BIN/ocr-eval" -c "$CONFIG" -o Global.seed=2027 --checkpoint "$BASE" --out "$OUT/base/eval"
  columns="base $RUNS"
fi
for run in $RUNS; do
  args=(-o "Global.save_model_dir=$OUT/$run" "Global.train_minutes=$MINUTES" "Global.threads=${FT_THREADS:-2}")
  if [ "$run" = finetune ]; then
    # Every layer starts from the base; the output rows of shared characters are kept.
    args+=("Global.pretrained_model=$BASE" "Optimizer.lr.learning_rate=0.001" "Optimizer.lr.warmup_steps=50")
  fi
  echo "== $run: ${MINUTES} minutes of training"
  "$BIN/ocr-train" -c "$CONFIG" "${args[@]}"
  # The last weights (not best.h5, which was chosen on the in-training evaluation), on lines
  # rendered with another seed.
  "$BIN/ocr-eval" -c "$CONFIG" -o Global.seed=2027 --checkpoint "$OUT/$run/latest.h5" --out "$OUT/$run/eval"
done

echo
echo "== line accuracy per font after ${MINUTES} minutes (target >= 97%)"
python3 - "$OUT" $columns <<'PY'
import json, sys
out, runs = sys.argv[1], sys.argv[2:]
reports = {r: json.load(open(f"{out}/{r}/eval/report.json")) for r in runs}
names = sorted(set().union(*[r["groups"].keys() for r in reports.values()]))
print("font".ljust(32) + "".join(r.rjust(12) for r in runs))
for n in names + ["(all)"]:
    row = n.ljust(32)
    for r in runs:
        g = reports[r]["overall"] if n == "(all)" else reports[r]["groups"].get(n)
        row += f"{100 * g['acc']:11.2f}%" if g else "-".rjust(12)
    print(row)
PY
