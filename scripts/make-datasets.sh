#!/usr/bin/env bash
# Makes datasets/: a tiny sample of each data format OCRKit reads, in PaddleOCR's layout, rendered
# from fonts that scripts/setup.sh installs and datasets/corpus.txt with fixed seeds, so running it
# again with the same fonts and build gives the same files:
#   datasets/rec/  rec_gt.txt   images/000/NNNNNNN.png<TAB>text            (recognition lines)
#   datasets/cls/  cls_gt.txt   images/000/NNNNNNN.png<TAB>0 | 180          (angle classifier)
#   datasets/det/  det_gt.txt   images/NNNNNNN.jpg<TAB>[{"transcription", "points"}, ...] (detection)
# Usage: scripts/make-datasets.sh [OCR_BINARY]   (default: .build/release/ocr, else .build/debug/ocr)
set -euo pipefail
cd "$(dirname "$0")/.."
ocr=${1:-}
if [ -z "$ocr" ]; then
  for candidate in .build/release/ocr .build/debug/ocr; do
    [ -x "$candidate" ] && { ocr=$candidate; break; }
  done
fi
[ -n "$ocr" ] && [ -x "$ocr" ] || { echo "make-datasets: no ocr binary; run 'swift build --product ocr' first" >&2; exit 1; }
fonts=(
  /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
  /usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf
  /usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf
  /usr/share/fonts/truetype/liberation/LiberationMono-Regular.ttf
  /usr/share/fonts/truetype/fifthhorseman/dkg.ttf
)
for f in "${fonts[@]}"; do
  [ -f "$f" ] || { echo "make-datasets: font $f missing - run scripts/setup.sh" >&2; exit 1; }
done
corpus=datasets/corpus.txt
rm -rf datasets/rec datasets/cls datasets/det

# Recognition: 8 lines of 3-10 characters of corpus words.
"$ocr" data render --fonts "${fonts[@]}" --corpus "$corpus" --text-mode words --text-length 3,10 \
  --count 8 --seed 1 --threads 2 --out datasets/rec
mv datasets/rec/labels.txt datasets/rec/rec_gt.txt

# Angle classifier: 8 lines, about half turned by 180 degrees (RotatedLineDataset's labels).
"$ocr" data render --fonts "${fonts[@]}" --corpus "$corpus" --text-mode words --text-length 3,10 \
  --count 8 --seed 2 --threads 2 --rotate-180 0.5 --out datasets/cls
mv datasets/cls/labels.txt datasets/cls/cls_gt.txt

# Detection: 8 small pages (every layout has a chance), one polygon per line, JPEG quality 70.
"$ocr" data render-pages --fonts "${fonts[@]}" --corpus "$corpus" --count 8 --page-size 480,480 \
  --granularity line --seed 3 --threads 2 --jpeg-quality 70 --out datasets/det

du -sh datasets/rec datasets/cls datasets/det
