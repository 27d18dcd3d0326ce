#!/usr/bin/env bash
# Installs everything OCRKit needs on a fresh Debian 12 machine. Idempotent: a second run
# checks what is there and does nothing more. See docs/DESIGN.md "Dependencies and how they are found".
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
log() { printf '\033[1msetup:\033[0m %s\n' "$*"; }

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

# --- Debian packages --------------------------------------------------------------------------
APT_PACKAGES=(
  libtorch-dev            # LibTorch 1.13 (CPU); LIBTORCH=/path selects another
  libgloo-dev             # Gloo headers: LibTorch's c10d process groups (data-parallel training)
  libopenblas0-pthread    # fast BLAS for LibTorch
  libopencv-dev           # image decode/encode, warps, contours
  libhdf5-dev             # checkpoints, packed datasets
  libpolyclipping-dev     # Clipper: polygon offsetting for DB
  libfreetype-dev libharfbuzz-dev   # synthetic text rendering
  fonts-dejavu-core fonts-liberation fonts-freefont-ttf fonts-urw-base35   # synthetic-line fonts:
  fonts-dancingscript fonts-dkg-handwriting fonts-humor-sans fonts-comic-neue fonts-crosextra-carlito
  # the general base model's pool (configs/rec/crnn_mv3_general.yml): print, script, handwriting
  fonts-go fonts-cantarell fonts-lato fonts-linuxlibertine fonts-ebgaramond fonts-crosextra-caladea fonts-inconsolata
  fonts-breip fonts-ecolier-court fonts-femkeklaver fonts-kaushanscript fonts-kristi fonts-leckerli-one fonts-lobster
  fonts-rufscript fonts-cabinsketch fonts-klee fonts-isabella
  wamerican               # English word list: the demo and benchmark corpus
  pkg-config python3-venv
)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  log "Debian packages present"
fi

# --- ONNX Runtime (not in Debian 12) ----------------------------------------------------------
# Header: Debian 13's libonnxruntime-dev, downloaded and unpacked (never installed).
# Library: the onnxruntime PyPI wheel's libonnxruntime.so. ORT_HOME=/path selects a release instead.
ORT_VERSION="${ORT_PYPI_VERSION:-1.21.1}"   # matches the header's ORT_API_VERSION (21)
ORT_DIR="$ROOT/.deps/onnxruntime"
if [ -n "${ORT_HOME:-}" ]; then
  log "using ORT_HOME=$ORT_HOME"
elif [ -f "$ORT_DIR/include/onnxruntime_c_api.h" ] && [ "$(cat "$ORT_DIR/VERSION" 2>/dev/null)" = "$ORT_VERSION" ]; then
  log "ONNX Runtime present in .deps/onnxruntime"
else
  log "fetching ONNX Runtime into .deps/onnxruntime"
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  chmod 755 "$tmp"   # apt's download sandbox user must reach it
  mkdir -p "$ORT_DIR/include" "$ORT_DIR/lib"
  # Debian 13 (trixie) list for one package: same mirror as this machine, suite changed.
  mirror=$( (grep -rhoE 'https?://[^ ]+/debian/?$|https?://[^ ]+/debian/? ' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null || true) \
            | grep -v security | head -n1 | tr -d ' ')
  mirror=${mirror:-http://deb.debian.org/debian}
  mkdir -p "$tmp/lists/partial" "$tmp/cache/archives/partial"
  printf 'deb [trusted=yes] %s trixie main\n' "${mirror%/}" > "$tmp/trixie.list"
  aptopts=(-o Dir::Etc::SourceList="$tmp/trixie.list" -o Dir::Etc::SourceParts=/dev/null
           -o Dir::State::Lists="$tmp/lists" -o Dir::Cache="$tmp/cache" -o Debug::NoLocking=1 -o APT::Sandbox::User=root)
  apt-get "${aptopts[@]}" update -qq
  (cd "$tmp" && apt-get "${aptopts[@]}" download libonnxruntime-dev)
  dpkg-deb -x "$tmp"/libonnxruntime-dev_*.deb "$tmp/dev"
  hdr=$(find "$tmp/dev" -name onnxruntime_c_api.h | head -n1)
  [ -n "$hdr" ] || { echo "setup: onnxruntime_c_api.h not found in libonnxruntime-dev" >&2; exit 1; }
  cp "$(dirname "$hdr")"/*.h "$ORT_DIR/include/"
  python3 -m pip download -q --no-deps --only-binary=:all: -d "$tmp/whl" "onnxruntime==$ORT_VERSION"
  (cd "$tmp/whl" && python3 -m zipfile -e onnxruntime-*.whl x)
  so=$(find "$tmp/whl/x" -name 'libonnxruntime.so*' | head -n1)
  [ -n "$so" ] || so=$(find "$tmp/whl/x" -name 'onnxruntime_pybind11_state*.so' | head -n1)
  cp "$so" "$ORT_DIR/lib/libonnxruntime.so.1"        # the library's SONAME
  ln -sf libonnxruntime.so.1 "$ORT_DIR/lib/libonnxruntime.so"
  echo "$ORT_VERSION" > "$ORT_DIR/VERSION"
fi

# --- PP-OCRv4 recogniser (inference tests and benchmarks) -------------------------------------
# RapidOCR's wheel ships PaddleOCR's PP-OCRv4 recogniser as ONNX, its dictionary in the model's
# metadata (`character`). Only that file is taken from the wheel; the package is not installed.
RAPIDOCR_VERSION=1.4.4   # ships rapidocr_onnxruntime/models/ch_PP-OCRv4_rec_infer.onnx
REC_MODEL="$ROOT/.deps/models/ch_PP-OCRv4_rec_infer.onnx"
REC_MODEL_SHA256=48fc40f24f6d2a207a2b1091d3437eb3cc3eb6b676dc3ef9c37384005483683b
if [ -f "$REC_MODEL" ] && [ "$(sha256sum "$REC_MODEL" | cut -d' ' -f1)" = "$REC_MODEL_SHA256" ]; then
  log "PP-OCRv4 recogniser present in .deps/models"
else
  log "fetching the PP-OCRv4 recogniser (rapidocr-onnxruntime $RAPIDOCR_VERSION wheel) into .deps/models"
  mtmp=$(mktemp -d)
  trap 'rm -rf "${tmp:-}" "$mtmp"' EXIT
  python3 -m pip download -q --no-deps --only-binary=:all: -d "$mtmp" "rapidocr-onnxruntime==$RAPIDOCR_VERSION"
  mkdir -p "$(dirname "$REC_MODEL")"
  python3 - "$mtmp"/rapidocr_onnxruntime-*.whl "$REC_MODEL.part" <<'PY'
import shutil, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as whl, whl.open("rapidocr_onnxruntime/models/ch_PP-OCRv4_rec_infer.onnx") as src, \
        open(sys.argv[2], "wb") as dst:
    shutil.copyfileobj(src, dst)
PY
  got=$(sha256sum "$REC_MODEL.part" | cut -d' ' -f1)
  [ "$got" = "$REC_MODEL_SHA256" ] || { echo "setup: ch_PP-OCRv4_rec_infer.onnx has sha256 $got, expected $REC_MODEL_SHA256" >&2; exit 1; }
  mv "$REC_MODEL.part" "$REC_MODEL"
fi

# --- Test-only Python venv (.deps/pyvenv): onnx's checker and onnxruntime check exported models --
bash "$ROOT/scripts/test-venv.sh"

log "done"
