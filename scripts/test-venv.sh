#!/usr/bin/env bash
# A Python environment for tests only: OCRExport's tests check exported files with the reference
# ONNX checker and run them with Python's ONNX Runtime, independently of OCRKit's own code;
# OCRInferenceTests compare the page pipeline with RapidOCR's; OCRServeTests drive a browser.
# The product never uses Python. Idempotent: a second run finds the pinned versions and stops.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="$PWD/.deps/pyvenv"
# onnxruntime matches the library setup.sh takes from the same wheel; onnx supports opset 17 / IR 8.
# rapidocr-onnxruntime: the reference whole-page pipeline OCRInferenceTests' PageReader is checked
# against (the wheel setup.sh takes PaddleOCR's models from). opencv-python 4.x: its perspective
# crops are byte-identical to the system OpenCV 4.6 that Imaging links; 5.x interpolates
# differently (crops differ by up to 3 grey levels, enough to change low-confidence readings).
# Pillow and PyYAML: scripts/render-lines-pil.py, the realistic benchmark's second renderer (its
# lines change with Pillow's rasteriser, so the version is pinned; rapidocr needs both anyway).
# selenium: drives Debian's headless chromium (setup.sh) in OCRServeTests' test of `ocr serve`'s
# page; 4.50 is the newest whose dependencies all have wheels here (4.53 needs a certifi newer than the package index here holds).
PINS=(onnx==1.17.0 onnxruntime==1.21.1 "numpy<2.3" rapidocr-onnxruntime==1.4.4 opencv-python==4.12.0.88
      Pillow==13.0.0 PyYAML==6.0.4 selenium==4.50.0)
log() { printf '\033[1mtest-venv:\033[0m %s\n' "$*"; }

# --rapidocr3: a second venv, .deps/pyvenv-rapidocr3, with RapidOCR 3.10.0 (PP-OCRv6 small det +
# rec in its wheel) for `scripts/bench-rapidocr.sh --rapidocr3`. Kept apart because rapidocr 3.x
# requires opencv-python-headless, whose cv2 would overwrite the pinned opencv-python's in the
# test venv (5.x unless pinned; two distributions sharing one cv2/ folder break when either is
# removed). All wheels: nothing is built from source (checked with pip --dry-run --only-binary).
if [ "${1:-}" = "--rapidocr3" ]; then
  VENV="$PWD/.deps/pyvenv-rapidocr3"
  PINS=(rapidocr==3.10.0 onnxruntime==1.21.1 "numpy<2.3" opencv-python-headless==4.12.0.88)
  PIP_ONLY_BINARY=":all:"; export PIP_ONLY_BINARY
fi
# --rapidocr-api: a third venv, .deps/pyvenv-rapidocr-api, with RapidOCR's own HTTP service
# (rapidocr_api 0.1.5: FastAPI + uvicorn, POST /ocr multipart `image_file`) over the same
# rapidocr-onnxruntime 1.4.4 / PP-OCRv4 as the test venv, for `scripts/bench-serve.sh`'s side by
# side. 0.1.5 is the last release on rapidocr_onnxruntime (0.2.0 moved to rapidocr 3.x); it
# imports PIL without declaring it, hence pillow. Apart so its web stack stays out of the tests'.
if [ "${1:-}" = "--rapidocr-api" ]; then
  VENV="$PWD/.deps/pyvenv-rapidocr-api"
  PINS=(rapidocr_api==0.1.5 rapidocr-onnxruntime==1.4.4 onnxruntime==1.21.1 "numpy<2.3" opencv-python==4.12.0.88
        pillow==13.0.0 fastapi==0.165.0 "uvicorn[standard]==0.55.0" python-multipart==0.0.34)
  PIP_ONLY_BINARY=":all:"; export PIP_ONLY_BINARY
fi
# --torch: .deps/bench-torch-venv with PyTorch 2.15.0 from PyPI for `scripts/bench-torch-twin.sh`
# (scripts/torch_twin.py, the benchmark CRNN's twin in PyTorch eager); Pillow renders its lines
# (with scripts/render-lines-pil.py, hence the test venv's Pillow and PyYAML pins); onnx and
# onnxruntime (the test venv's) let `torch_twin.py --parity` check the twin against an OCRKit export.
# PyPI's wheel is a CUDA build: `import torch` loads the CUDA libraries even on a machine without a
# GPU, so its nvidia-* dependencies (several GB) come too - with --no-deps the import fails on
# libcublasLt. Never used by tests or CI. PIP_FIND_LINKS=DIR takes a downloaded wheel from DIR.
if [ "${1:-}" = "--torch" ]; then
  VENV="$PWD/.deps/bench-torch-venv"
  PINS=(torch==2.15.0 Pillow==13.0.0 PyYAML==6.0.4 "numpy<2.3" onnx==1.17.0 onnxruntime==1.21.1)
  PIP_ONLY_BINARY=":all:"; export PIP_ONLY_BINARY
fi
case "${1:-}" in
  --torch) IMPORTS="torch, PIL, yaml, numpy, onnx, onnxruntime" ;;
  --rapidocr3) IMPORTS="onnxruntime, numpy, rapidocr" ;;
  --rapidocr-api) IMPORTS="onnxruntime, numpy, rapidocr_onnxruntime, fastapi, uvicorn, PIL, multipart" ;;
  *) IMPORTS="onnxruntime, numpy, onnx, PIL, yaml, selenium" ;;
esac
STAMP="$VENV/.ocrkit-pins"

if [ -x "$VENV/bin/python" ] && [ "$(cat "$STAMP" 2>/dev/null)" = "${PINS[*]}" ]; then
  log "present in ${VENV#$PWD/}"
  exit 0
fi
log "creating ${VENV#$PWD/} (${PINS[*]})"
mkdir -p "$(dirname "$VENV")"
python3 -m venv "$VENV"
"$VENV/bin/python" -m pip install -q --disable-pip-version-check "${PINS[@]}"
"$VENV/bin/python" -c "import $IMPORTS"
echo "${PINS[*]}" > "$STAMP"
log "done"
