#!/usr/bin/env bash
# Issue 14, "Faster than PyTorch, steadily": OCRKit's training benchmark CRNN
# (configs/bench/crnn_mv3_train.yml: MobileNetV3-large x0.5 + BiLSTM + CTC, 3x32x320, lines rendered
# on the fly) against the same model in PyTorch eager (scripts/torch_twin.py), on this machine, in
# one go. Target: OCRKit >= 1.5x the twin's samples/s end to end, per-step p90/p10 <= 1.3.
#
#   usage: scripts/bench-torch-twin.sh [--steps 24] [--warmup 3] [--rounds 3] [--batch 64]
#                                      [--threads 2] [--workers 0] [--results bench-results/torch-twin.json]
#
# Each round runs, one after the other (alternating, so a change in the machine's load hits every
# side alike):
#   1. ocrkit         ocr-train with its defaults (no layout flag: whatever layout ocr-train picks)
#   2. ocrkit-nproc1  ocr-train --nproc 1, Global.threads=--threads (one process: the old default)
#   3. twin           torch_twin.py --threads --workers (DataLoader num_workers; 0: one process)
# every one warm-up + timed steps at the same batch. The defaults take about 2-3 minutes per run
# on two quiet cores (about 25 minutes in all). Per run: samples/s end to end (all samples over the
# timed steps' wall time, data loading included) and per-step p10/p50/p90 and p90/p10; then the
# medians, OCRKit / twin and PASS/MISS, written to --results (the previous figures there are
# compared first). OCRKit's step times come from each run's metrics.jsonl (batch / samples_per_s of
# every step event, Global.print_batch_step=1), as `ocr-bench data-parallel` reads them.
#
# First the twin is checked against OCRKit's model: a 1-step ocr-train run exported to ONNX with
# its BatchNorm kept, loaded into the twin, logits compared (torch_twin.py --parity); a twin that
# computes another function stops the benchmark.
#
# Binaries: `swift build -c release` of ocr-train and ocr-export first, unless BIN_DIR names a
# folder holding both (then nothing is built). The twin's venv: .deps/bench-torch-venv
# (scripts/test-venv.sh --torch, made here when missing: PyTorch 2.15.0 from PyPI with its CUDA
# dependencies, several GB). Never run by tests or CI. Figures mean something on a quiet machine only.
set -euo pipefail
cd "$(dirname "$0")/.."
CONFIG=configs/bench/crnn_mv3_train.yml
VENV=.deps/bench-torch-venv
steps=24; warmup=3; rounds=3; batch=64; threads=2; workers=0; results=bench-results/torch-twin.json
while [ $# -gt 0 ]; do
  [ $# -ge 2 ] || { echo "bench-torch-twin: $1 needs a value (see the usage at the top of $0)" >&2; exit 2; }
  case "$1" in
    --steps) steps=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --batch) batch=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --workers) workers=$2; shift 2 ;;
    --results) results=$2; shift 2 ;;
    *) echo "bench-torch-twin: unknown option $1 (see the usage at the top of $0)" >&2; exit 2 ;;
  esac
done
for v in steps:$steps rounds:$rounds batch:$batch threads:$threads; do
  [[ ${v#*:} =~ ^[1-9][0-9]*$ ]] || { echo "bench-torch-twin: --${v%%:*} must be a positive integer, got '${v#*:}'" >&2; exit 2; }
done
for v in warmup:$warmup workers:$workers; do
  [[ ${v#*:} =~ ^[0-9]+$ ]] || { echo "bench-torch-twin: --${v%%:*} must be a whole number, got '${v#*:}'" >&2; exit 2; }
done
log() { printf '\033[1mbench-torch-twin:\033[0m %s\n' "$*" >&2; }

if [ -z "${BIN_DIR:-}" ]; then
  BIN_DIR=.build/release
  log "building the release ocr-train and ocr-export (swift build -c release)"
  swift build -c release --product ocr-train
  swift build -c release --product ocr-export
fi
for exe in ocr-train ocr-export; do [ -x "$BIN_DIR/$exe" ] || { log "no $BIN_DIR/$exe"; exit 1; }; done
[ "$BIN_DIR" = .build/release ] || log "using $BIN_DIR as given (nothing built): figures mean something for a release build only"
bash scripts/test-venv.sh --torch >&2

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
report() { python3 scripts/bench_torch_twin_report.py "$@"; }
failed() {  # NAME LOG: the end of a failed run's output, then stop
  log "$1 failed; the end of its output:"
  tail -20 "$2" >&2
  exit 1
}

ocrkit() {  # NAME ROUND [ocr-train options before -o]: one OCRKit run -> $tmp/NAME-ROUND.json
  local name=$1 round=$2; shift 2
  local run=$tmp/$name-$round
  "$BIN_DIR/ocr-train" -c "$CONFIG" "$@" -o Global.max_steps=$((warmup + steps)) Global.print_batch_step=1 \
    Global.save_model_dir="$run" Train.loader.batch_size_per_card="$batch" > "$run.log" 2>&1 || failed "$name" "$run.log"
  report metrics "$run/metrics.jsonl" --batch "$batch" --warmup "$warmup" --steps "$steps" --log "$run.log" > "$run.json"
  rm -rf "$run"                                             # the checkpoint is not needed
}

echo "OCRKit vs its PyTorch twin: $CONFIG, batch $batch, $warmup warm-up + $steps timed steps per run, $rounds rounds; twin:" \
     "$threads threads, DataLoader num_workers=$workers; binaries in $BIN_DIR"
echo "machine load at start:$(uptime)"
# The twin must compute OCRKit's function: one step of OCRKit's training, exported with its BatchNorm
# kept, loaded into the twin; logits compared (torch_twin.py --parity).
log "checking the twin against OCRKit's model (1 step, ocr-export --no-fold-bn, torch_twin.py --parity)"
"$BIN_DIR/ocr-train" -c "$CONFIG" --nproc 1 -o Global.max_steps=1 Train.loader.batch_size_per_card=4 \
  Global.save_model_dir="$tmp/parity" > "$tmp/parity.log" 2>&1 || failed "ocr-train (parity model)" "$tmp/parity.log"
"$BIN_DIR/ocr-export" -c "$CONFIG" --checkpoint "$tmp/parity/latest.h5" --out "$tmp/parity/export" --no-fold-bn \
  --eval-data datasets/rec/rec_gt.txt >> "$tmp/parity.log" 2>&1 || failed "ocr-export (parity model)" "$tmp/parity.log"
"$VENV/bin/python" scripts/torch_twin.py --config "$CONFIG" --parity "$tmp/parity/export/model.onnx"
rm -rf "$tmp/parity"
for round in $(seq "$rounds"); do
  log "round $round/$rounds: OCRKit, default layout"
  ocrkit ocrkit "$round"
  log "round $round/$rounds: OCRKit, --nproc 1 (one process, $threads threads)"
  ocrkit ocrkit-nproc1 "$round" --nproc 1 -o Global.threads="$threads"
  log "round $round/$rounds: PyTorch twin"
  "$VENV/bin/python" scripts/torch_twin.py --config "$CONFIG" --steps "$steps" --warmup "$warmup" --batch "$batch" \
    --threads "$threads" --workers "$workers" --json "$tmp/twin-$round.json" > "$tmp/twin-$round.log" 2>&1 \
    || failed twin "$tmp/twin-$round.log"
  for name in ocrkit ocrkit-nproc1 twin; do report summary "$tmp/$name-$round.json" "round $round $name"; done
done
echo "machine load at the end:$(uptime)"
report table "$tmp" --rounds "$rounds" --results "$results"
