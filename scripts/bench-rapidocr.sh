#!/usr/bin/env bash
# OCRKit's page pipeline and RapidOCR's side by side, on the same pages in the same run: renders
# a fixed set of pages (`ocr data render-pages`, PNG, fixed seed) unless --pages names a folder,
# times them with `ocr-bench pipeline` (its table, and the change since its last run), then with
# RapidOCR (scripts/bench_rapidocr.py, in the test venv of scripts/test-venv.sh), and prints both
# with the ratio: ms per page and per stage, pages/s with 1 and 2 concurrent pages, peak RSS.
#
#   usage: scripts/bench-rapidocr.sh [--count 20] [--seed 1] [--page-size 800,800] [--threads 2]
#                                    [--rounds 3] [--pages DIR] [--rapidocr3] [-- ocr-bench pipeline options]
#
# Default: PP-OCRv4 det + v2.0 cls + v4 rec on both sides (RapidOCR 1.4.4, set to PaddleOCR's
# inference defaults as the parity test sets it). Options after `--` go to ocr-bench only (e.g.
# `-- --det export/det/model.int8.onnx --rec export/rec/model.int8.onnx` for OCRKit's own models
# against RapidOCR's PP-OCRv4). --rapidocr3 times RapidOCR 3.x with its own PP-OCRv6 small det +
# rec instead (needs `scripts/test-venv.sh --rapidocr3`, or RAPIDOCR3_PY naming a Python with rapidocr 3.x).
# Pages stay under 960 px a side so RapidOCR's size-dependent detector limit is PaddleOCR's 960.
# Speed figures mean something on a quiet machine only, and from release builds
# (BIN_DIR=.build/release, `swift build -c release`); the script says which it used.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN_DIR=${BIN_DIR:-.build/release}
PY=${PY:-.deps/pyvenv/bin/python}
count=20; seed=1; size=800,800; threads=2; rounds=3; pages=""; v3=0; extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --count) count=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --page-size) size=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --pages) pages=$2; shift 2 ;;
    --rapidocr3) v3=1; shift ;;
    --) shift; extra=("$@"); break ;;
    *) echo "bench-rapidocr: unknown option $1 (see the usage at the top of $0)" >&2; exit 2 ;;
  esac
done
if { [ ! -x "$BIN_DIR/ocr-bench" ] || [ ! -x "$BIN_DIR/ocr" ]; } && [ -x .build/debug/ocr-bench ] && [ -x .build/debug/ocr ]; then
  echo "bench-rapidocr: no $BIN_DIR/ocr and ocr-bench; using the debug build (its figures are not representative)" >&2
  BIN_DIR=.build/debug
fi
[ -x "$BIN_DIR/ocr-bench" ] && [ -x "$BIN_DIR/ocr" ] || { echo "bench-rapidocr: build first: swift build -c release" >&2; exit 1; }
[ -x "$PY" ] || { echo "bench-rapidocr: no test venv at $PY (scripts/test-venv.sh)" >&2; exit 1; }
if [ $v3 = 1 ]; then
  PY=${RAPIDOCR3_PY:-.deps/pyvenv-rapidocr3/bin/python}
  "$PY" -c 'import rapidocr' 2>/dev/null || { echo "bench-rapidocr: --rapidocr3 needs rapidocr 3.x in $PY: scripts/test-venv.sh --rapidocr3 (or set RAPIDOCR3_PY)" >&2; exit 1; }
  models=$("$PY" -c 'import os, rapidocr; print(os.path.join(os.path.dirname(rapidocr.__file__), "models"))')
  # The same PP-OCRv6 small files on OCRKit's side, unless options after -- name others.
  [ ${#extra[@]} -gt 0 ] || extra=(--det "$models/PP-OCRv6_det_small.onnx" --cls "$models/ch_ppocr_mobile_v2.0_cls_mobile.onnx"
                                   --rec "$models/PP-OCRv6_rec_small.onnx")
fi
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
if [ -z "$pages" ]; then
  "$BIN_DIR/ocr" data render-pages --fonts /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf /usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf \
    --corpus datasets/corpus.txt --count "$count" --seed "$seed" --page-size "$size" --jpeg-quality 0 --out "$tmp/pages" > /dev/null
  pages="$tmp/pages/images"
fi
# One results file per model pairing, so "change since the last run" compares like with like.
set_name=ppocrv4; [ $v3 = 1 ] && set_name=ppocrv6-small; [ $v3 = 0 ] && [ ${#extra[@]} -gt 0 ] && set_name=custom
results="bench-results/pipeline-vs-rapidocr-$set_name.json"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
"$BIN_DIR/ocr-bench" pipeline --pages "$pages" --threads "$threads" --rounds "$rounds" \
  --results "$results" "${extra[@]}"
v3flag=(); [ $v3 = 1 ] && v3flag=(--rapidocr3)
"$PY" scripts/bench_rapidocr.py --pages "$pages" --threads "$threads" --rounds "$rounds" \
  --ocrkit "$results" --out "bench-results/rapidocr-$set_name.json" "${v3flag[@]}"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
