#!/usr/bin/env bash
# Compares `ocr predict` on pages with RapidOCR 1.4.4 (the reference pipeline, set to PaddleOCR's
# inference defaults by Tests/OCRInferenceTests/Python/rapidocr_pages.py) on the same images:
# per page, the lines each found, box IoU (shapely) and whether the texts agree. Needs the test
# venv (scripts/test-venv.sh) and a built `ocr`. RapidOCR's detector limit equals PaddleOCR's 960
# only for pages whose longer side is under 960 px (then 1500, 2000: pass --det-limit-side-len to
# match), and it shrinks pages over 2000 px before everything (crops included), which PaddleOCR
# does not do; larger pages may differ for those reasons alone.
#   usage: scripts/compare-rapidocr.sh PAGE.png... [-- extra ocr predict options]
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${OCR_BIN:-.build/debug/ocr}
PY=.deps/pyvenv/bin/python
[ -x "$BIN" ] || { echo "compare-rapidocr: $BIN not found (swift build --product ocr)" >&2; exit 1; }
[ -x "$PY" ] || { echo "compare-rapidocr: no test venv (scripts/test-venv.sh)" >&2; exit 1; }
pages=(); extra=()
while [ $# -gt 0 ]; do
  if [ "$1" = "--" ]; then shift; extra=("$@"); break; fi
  pages+=("$1"); shift
done
[ ${#pages[@]} -gt 0 ] || { echo "usage: scripts/compare-rapidocr.sh PAGE.png... [-- ocr predict options]" >&2; exit 2; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
"$BIN" predict --json "${extra[@]}" "${pages[@]}" > "$tmp/ours.jsonl"
"$PY" Tests/OCRInferenceTests/Python/rapidocr_pages.py "${pages[@]}" > "$tmp/theirs.json"
"$PY" - "$tmp/ours.jsonl" "$tmp/theirs.json" <<'PY'
import json, sys
from shapely.geometry import Polygon
ours = {}
for line in open(sys.argv[1]):
    page = json.loads(line)
    ours[page["path"]] = page["results"]
ref = json.load(open(sys.argv[2]))
print(f"reference: {ref['version']}")
bad = 0
for path, theirs in ref["pages"].items():
    mine = ours.get(path, [])
    print(f"{path}: ocr {len(mine)} lines, RapidOCR {len(theirs)}")
    for i in range(max(len(mine), len(theirs))):
        a = mine[i] if i < len(mine) else None
        b = theirs[i] if i < len(theirs) else None
        if a and b:
            pa, pb = Polygon(a["text_region"]), Polygon(b["box"])
            iou = pa.intersection(pb).area / pa.union(pb).area if pa.is_valid and pb.is_valid else 0.0
            same = a["text"] == b["text"]
            bad += (iou < 0.95) or not same
            print(f"  {i}: IoU {iou:.3f}  {'same text' if same else 'DIFFERENT'}  {a['text']!r} {a['confidence']:.4f} | {b['text']!r} {b['score']:.4f}")
        else:
            bad += 1
            print(f"  {i}: only {'ocr' if a else 'RapidOCR'}: {(a or {}).get('text') or (b or {}).get('text')!r}")
print(f"{bad} line(s) differ (IoU < 0.95 or other text)")
sys.exit(1 if bad else 0)
PY
