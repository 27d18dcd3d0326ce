#!/usr/bin/env bash
# Builds the demo/benchmark corpora from Debian's English word list (wamerican), split so that
# evaluation text is never seen in training: every 10th word goes to eval only. Numbers, prices,
# dates and codes (as on forms and labels) are mixed in, generated with a fixed seed.
#   scripts/make-corpus.sh OUT_DIR   -> OUT_DIR/train.txt, OUT_DIR/eval.txt (one token per line),
#                                       OUT_DIR/train_cased.txt (train.txt in mixed case)
set -euo pipefail
out=${1:?usage: make-corpus.sh OUT_DIR}
words=/usr/share/dict/words
[ -f "$words" ] || { echo "make-corpus: $words missing - run scripts/setup.sh (wamerican)" >&2; exit 1; }
mkdir -p "$out"
# ASCII only (the word list has a few accented words), no empty lines.
LC_ALL=C grep -E '^[[:print:]]+$' "$words" | LC_ALL=C grep -v '[^ -~]' > "$out/.words"
awk 'NR % 10 != 0' "$out/.words" > "$out/train.txt"
awk 'NR % 10 == 0' "$out/.words" > "$out/eval.txt"
# Numbers, prices, dates, codes, percentages, bracketed counts: `numbers SEED` prints 6000.
numbers() {
  awk -v seed="$1" 'BEGIN {
    srand(seed)
    for (i = 0; i < 6000; i++) {
      k = int(rand() * 6)
      if (k == 0) printf "%d\n", int(rand() * 100000)
      else if (k == 1) printf "$%d.%02d\n", int(rand() * 10000), int(rand() * 100)
      else if (k == 2) printf "%04d-%02d-%02d\n", 1950 + int(rand() * 80), 1 + int(rand() * 12), 1 + int(rand() * 28)
      else if (k == 3) printf "%c%c-%d\n", 65 + int(rand() * 26), 65 + int(rand() * 26), int(rand() * 9999)
      else if (k == 4) printf "%d.%d%%\n", int(rand() * 100), int(rand() * 10)
      else printf "(%d)\n", int(rand() * 1000)
    }
  }'
}
# the two files draw from different seeds, so they share few tokens
numbers 1 >> "$out/train.txt"
numbers 2 >> "$out/eval.txt"
rm -f "$out/.words"
# For the angle classifier: the training tokens in mixed case - a third UPPER CASE, a sixth Title
# Case (headings, forms and all-caps faces turn upside down differently from lower case) - and
# numbers as often as in eval.txt (a third of its tokens): a line of digits is the hardest to
# tell upside down.
awk 'BEGIN { srand(3) } { r = rand(); if (r < 0.33) print toupper($0); else if (r < 0.5) print toupper(substr($0, 1, 1)) substr($0, 2); else print }' \
  "$out/train.txt" > "$out/train_cased.txt"
for seed in 4 5 6 7 8; do numbers "$seed" >> "$out/train_cased.txt"; done
echo "make-corpus: $(wc -l < "$out/train.txt") train tokens, $(wc -l < "$out/eval.txt") eval tokens in $out"
