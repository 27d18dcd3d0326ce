#!/usr/bin/env bash
# make bench-finetune-lines: the realistic fine-tuning benchmark (docs/BENCHMARKS.md). Full lines
# of 5-50 characters (words, prices, dates, codes, brackets; `ocr data lines`) in the seven faces of
# configs/bench/finetune_fonts.yml; training renders them with OCRKit's SyntheticLines, evaluation
# reads lines of other words drawn by PIL (scripts/render-lines-pil.py). Columns, each trained for
# FT_MINUTES and evaluated on the same PIL lines:
#   zeroshot  PP-OCRv4's recogniser imported, no training (its own 6,625-class charset)
#   scratch   the demo's CRNN from nothing        (configs/bench/finetune_lines_crnn.yml)
#   base      the CRNN fine-tuned from OCRKit's general base (FT_BASE; left out when missing)
#   ppocrv4   PP-OCRv4 fine-tuned from PaddleOCR's file (configs/bench/finetune_lines.yml)
#   zeroshot6 PP-OCRv6 small's recogniser imported, no training (when .deps/models has it)
#   ppocrv6   PP-OCRv6 small fine-tuned (configs/bench/finetune_lines_v6.yml; not in the default FT_RUNS)
# Prints line accuracy per face, then character recall per class (letters, digits,
# punctuation/symbols), each per column.
#   FT_MINUTES=30   training budget per run         FT_RUNS="scratch base ppocrv4"
#   FT_OUT=runs/finetune_lines                      FT_BASE=runs/crnn_general/latest.h5
#   FT_EVAL_DIR=runs/lines_eval_pil                 FT_EVAL_PER_FACE=200 (lines per face)
#   FT_TRAIN_LINES=100000 (texts in runs/corpus/lines_train.txt)
#   FT_THREADS=2    LibTorch threads per run        FT_BIN=.build/release
#   FT_WIDTH=640    PP-OCRv4's maximum input width (train and eval; 320 is PaddleOCR's, squeezing)
#   FT_BUCKETS=     Train.loader.length_bucket_window for the trained runs (e.g. 16; empty: off)
set -euo pipefail
cd "$(dirname "$0")/.."
MINUTES=${FT_MINUTES:-30}
RUNS=${FT_RUNS:-scratch base ppocrv4}
OUT=${FT_OUT:-runs/finetune_lines}
BASE=${FT_BASE:-runs/crnn_general/latest.h5}
EVAL=${FT_EVAL_DIR:-runs/lines_eval_pil}
PER_FACE=${FT_EVAL_PER_FACE:-200}
TRAIN_LINES=${FT_TRAIN_LINES:-100000}
BIN=${FT_BIN:-.build/release}
PPOCR=configs/bench/finetune_lines.yml
CRNN=configs/bench/finetune_lines_crnn.yml
ONNX=.deps/models/ch_PP-OCRv4_rec_infer.onnx
PPOCR6=configs/bench/finetune_lines_v6.yml
ONNX6=.deps/models/PP-OCRv6_rec_small.onnx
log() { printf '\033[1mbench-finetune-lines:\033[0m %s\n' "$*"; }
# Overrides name absolute paths: relative ones would be taken from the config's folder.
absolute() { case $1 in /*) echo "$1" ;; *) echo "$PWD/$1" ;; esac; }

# The texts: one generator, two word lists (the corpus's train and eval splits), two seeds.
[ -f runs/corpus/train.txt ] || bash scripts/make-corpus.sh runs/corpus
lines=runs/corpus/lines_train.txt
if [ ! -f "$lines" ] || [ "$(wc -l < "$lines")" -ne "$TRAIN_LINES" ]; then
  "$BIN/ocr" data lines --words runs/corpus/train.txt --count "$TRAIN_LINES" --seed 1 --out "$lines"
fi
# Twice the texts the faces need: a face skips texts with characters it has no glyph for.
eval_texts=runs/corpus/lines_eval.txt
if [ ! -f "$eval_texts" ] || [ "$(wc -l < "$eval_texts")" -lt $((PER_FACE * 14)) ]; then
  "$BIN/ocr" data lines --words runs/corpus/eval.txt --count $((PER_FACE * 14)) --seed 2027 --out "$eval_texts"
fi
if [ ! -f "$EVAL/labels.txt" ]; then
  bash scripts/test-venv.sh
  .deps/pyvenv/bin/python scripts/render-lines-pil.py --texts "$eval_texts" --config "$PPOCR" \
    --per-face "$PER_FACE" --seed 2027 --out "$EVAL"
fi
eval_data=(-o "Eval.dataset.data_dir=$(absolute "$EVAL")" "Eval.dataset.label_file_list=[$(absolute "$EVAL")/labels.txt]")
# PP-OCRv4's and v6's width, for the zeroshot and fine-tuned columns alike.
ppocr_width=("Train.dataset.transforms.0.RecResizeImg.image_shape=[3,48,${FT_WIDTH:-640}]"
             "Eval.dataset.transforms.1.RecResizeImg.image_shape=[3,48,${FT_WIDTH:-640}]")
train_data=("Train.dataset.corpus=$(absolute "$lines")")

# PaddleOCR's recognisers a column can start from: their files and configs.
declare -A PADDLE_ONNX=([ppocrv4]=$ONNX [ppocrv6]=$ONNX6) PADDLE_CONFIG=([ppocrv4]=$PPOCR [ppocrv6]=$PPOCR6)
# zeroshot COLUMN START: START's file as it is, imported (the checkpoint keeps the file's charset).
zeroshot() {
  local column=$1 onnx=${PADDLE_ONNX[$2]} config=${PADDLE_CONFIG[$2]}
  log "$column: $onnx, no training"
  mkdir -p "$OUT/$column"
  "$BIN/ocr-train" import "$onnx" -c "$config" --out "$OUT/$column/$2.h5"
  "$BIN/ocr-eval" -c "$config" "${eval_data[@]}" "${ppocr_width[@]}" --checkpoint "$OUT/$column/$2.h5" --out "$OUT/$column/eval"
  columns="$columns $column"
}
columns=""
if [ ! -f "$ONNX" ]; then
  log "$ONNX is missing - run scripts/setup.sh; the zeroshot and ppocrv4 columns are left out"
  RUNS=${RUNS//ppocrv4/}
else
  zeroshot zeroshot ppocrv4
fi
# PP-OCRv6 small, the strongest start on offer.
[ ! -f "$ONNX6" ] || zeroshot zeroshot6 ppocrv6

for run in $RUNS; do
  args=("Global.save_model_dir=$OUT/$run" "Global.train_minutes=$MINUTES" "Global.threads=${FT_THREADS:-2}" "${train_data[@]}")
  [ -z "${FT_BUCKETS:-}" ] || args+=("Train.loader.length_bucket_window=$FT_BUCKETS")
  eval_width=()
  case $run in
    scratch) config=$CRNN ;;
    base)
      if [ ! -f "$BASE" ]; then
        log "base: $BASE is missing ('make base-model', or FT_BASE=CHECKPOINT.h5) - column left out"
        continue
      fi
      # Every layer starts from the base; the output rows of shared characters are kept.
      config=$CRNN
      args+=("Global.pretrained_model=$BASE" "Optimizer.lr.learning_rate=0.001" "Optimizer.lr.warmup_steps=50") ;;
    ppocrv4|ppocrv6)
      # Every layer starts from PaddleOCR's file; the head keeps the rows of en_ascii's characters.
      config=${PADDLE_CONFIG[$run]}
      args+=("Global.pretrained_model=$(absolute "${PADDLE_ONNX[$run]}")" "${ppocr_width[@]}")
      eval_width=("${ppocr_width[1]}") ;;
    *) echo "bench-finetune-lines: unknown run '$run' in FT_RUNS (scratch, base, ppocrv4, ppocrv6)" >&2; exit 1 ;;
  esac
  log "$run: ${MINUTES} minutes of training ($config)"
  "$BIN/ocr-train" -c "$config" -o "${args[@]}" "${eval_data[@]:1}"
  # The last weights (best.h5 was chosen on these same evaluation lines).
  "$BIN/ocr-eval" -c "$config" "${eval_data[@]}" "${eval_width[@]}" --checkpoint "$OUT/$run/latest.h5" --out "$OUT/$run/eval"
  columns="$columns $run"
done

echo
log "$MINUTES minutes per run; evaluation: $EVAL/labels.txt (PIL, $PER_FACE lines per face)"
python3 - "$OUT" $columns <<'PY'
import json, sys
out, runs = sys.argv[1], sys.argv[2:]
reports = {r: json.load(open(f"{out}/{r}/eval/report.json")) for r in runs}
faces = sorted(set().union(*[r["groups"].keys() for r in reports.values()]))

def table(title, rows, cell):
    print(f"\n{title}")
    print("".ljust(42) + "".join(r.rjust(11) for r in runs))
    for name, key in rows:
        line = name.ljust(42)
        for r in runs:
            v = cell(reports[r], key)
            line += (f"{100 * v:10.2f}%" if v is not None else "-".rjust(11))
        print(line)

def summary(report, face):
    return report["overall"] if face is None else report["groups"].get(face)

rows = [(f, f) for f in faces] + [("(all)", None)]
table("line accuracy per face (target >= 98%, handwriting >= 95%)", rows,
      lambda rep, f: (summary(rep, f) or {}).get("acc"))
table("character accuracy per face", rows, lambda rep, f: (summary(rep, f) or {}).get("char_acc"))
classes = [("letters", "letter"), ("digits", "digit"), ("punct./symbols", "symbol"), ("space", "space")]
def recall(rep, face, c):
    return ((summary(rep, face) or {}).get("char_classes") or {}).get(c, {}).get("recall")
# space only when some report scored spaces (Metric.ignore_space: false)
classes = [(n, c) for n, c in classes if any(recall(rep, None, c) is not None for rep in reports.values())]
table("character recall per class (ground-truth characters read right)",
      [(f"{f or '(all)'}: {n}", (f, c)) for f in faces + [None] for n, c in classes],
      lambda rep, key: recall(rep, *key))
PY
