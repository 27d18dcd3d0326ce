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
  chromium chromium-driver   # OCRServeTests' browser test of `ocr serve`'s page (headless, via Selenium)
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

# --- PaddleOCR models from RapidOCR's wheels (inference tests, benchmarks, import tests) -------
# RapidOCR's wheels ship PaddleOCR's models as ONNX: rapidocr-onnxruntime 1.4.4 the PP-OCRv4
# recogniser (its dictionary in the model's metadata, `character`), PP-OCRv4 detector and PP-OCR
# v2.0 angle classifier; rapidocr 3.10.0 PP-OCRv6 small (det and rec). Only those files are taken
# from the wheels (each wheel downloaded once, when one of its files is missing); the packages are
# not installed. Every file is sha256-checked.

# models_from_wheel PACKAGE VERSION FOLDER "NAME:SHA256 ...": FOLDER/NAME of the wheel -> .deps/models/NAME.
models_from_wheel() {
  local package=$1 version=$2 folder=$3 entries=$4 wtmp="" name sha dest got
  for entry in $entries; do
    name=${entry%%:*}; sha=${entry##*:}; dest="$ROOT/.deps/models/$name"
    if [ -f "$dest" ] && [ "$(sha256sum "$dest" | cut -d' ' -f1)" = "$sha" ]; then
      log "$name present in .deps/models"
      continue
    fi
    if [ -z "$wtmp" ]; then
      log "fetching PaddleOCR's models ($package $version wheel) into .deps/models"
      wtmp=$(mktemp -d)
      python3 -m pip download -q --no-deps --only-binary=:all: -d "$wtmp" "$package==$version"
    fi
    mkdir -p "$ROOT/.deps/models"
    python3 - "$wtmp"/"${package//-/_}"-*.whl "$folder/$name" "$dest.part" <<'PY'
import shutil, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as whl, whl.open(sys.argv[2]) as src, open(sys.argv[3], "wb") as dst:
    shutil.copyfileobj(src, dst)
PY
    got=$(sha256sum "$dest.part" | cut -d' ' -f1)
    [ "$got" = "$sha" ] || { rm -rf "$wtmp"; echo "setup: $name has sha256 $got, expected $sha" >&2; exit 1; }
    mv "$dest.part" "$dest"
  done
  [ -z "$wtmp" ] || rm -rf "$wtmp"
}

REC_MODEL="$ROOT/.deps/models/ch_PP-OCRv4_rec_infer.onnx"
models_from_wheel rapidocr-onnxruntime 1.4.4 rapidocr_onnxruntime/models \
  "ch_PP-OCRv4_rec_infer.onnx:48fc40f24f6d2a207a2b1091d3437eb3cc3eb6b676dc3ef9c37384005483683b
ch_ppocr_mobile_v2.0_cls_infer.onnx:e47acedf663230f8863ff1ab0e64dd2d82b838fceb5957146dab185a89d6215c
ch_PP-OCRv4_det_infer.onnx:d2a7720d45a54257208b1e13e36a8479894cb74155a5efe29462512d42f49da9"
# PP-OCRv6 small: PPLCNetV4 backbones (det: + RepLKFPN + DBHead; rec: + light SVTR neck + CTC over
# 18,710 classes), weights in initializers, opset 11.
V6_REC_MODEL="$ROOT/.deps/models/PP-OCRv6_rec_small.onnx"
models_from_wheel rapidocr 3.10.0 rapidocr/models \
  "PP-OCRv6_det_small.onnx:090f04abcd9d9a7498bc4ebf677e4cb9bdce1fe4197ddb7e529f1ef44e1ff94f
PP-OCRv6_rec_small.onnx:6f327246b50388f3c176ae304bd95767ea6dc0c9ae92153ef8cbe210b3c14884"

# dictionary_from_metadata MODEL DEST SHA256: a recogniser's dictionary, beside it. The wheels have
# no separate file, so it is taken from the model's `character` metadata (the importer reads the
# same entry), one character per line.
dictionary_from_metadata() {
  local model=$1 dest=$2 sha=$3 got
  if [ -f "$dest" ] && [ "$(sha256sum "$dest" | cut -d' ' -f1)" = "$sha" ]; then return; fi
  log "writing $(basename "$dest") from $(basename "$model")'s metadata into .deps/models"
  python3 - "$model" "$dest.part" <<'PY'
import sys
# ModelProto.metadata_props (field 14) holds StringStringEntryProto {key: 1, value: 2}.
def varint(b, i):
    r = s = 0
    while True:
        r |= (b[i] & 0x7F) << s; s += 7; i += 1
        if not b[i - 1] & 0x80: return r, i
def fields(b, i, end):
    while i < end:
        key, i = varint(b, i)
        f, wt = key >> 3, key & 7
        if wt == 0: v, i = varint(b, i)
        elif wt == 1: v, i = None, i + 8
        elif wt == 5: v, i = None, i + 4
        elif wt == 2:
            n, i = varint(b, i); v = (i, i + n); i += n
        else: raise SystemExit(f"setup: unexpected wire type {wt} in {sys.argv[1]}")
        yield f, wt, v
b = open(sys.argv[1], "rb").read()
for f, wt, v in fields(b, 0, len(b)):
    if f == 14 and wt == 2:
        entry = {k: b[r[0]:r[1]].decode() for k, kwt, r in fields(b, *v) if kwt == 2}
        if entry.get(1) == "character":
            open(sys.argv[2], "w", encoding="utf-8").write(entry[2] + "\n")
            raise SystemExit(0)
raise SystemExit(f"setup: no 'character' metadata in {sys.argv[1]}")
PY
  got=$(sha256sum "$dest.part" | cut -d' ' -f1)
  [ "$got" = "$sha" ] || { echo "setup: $(basename "$dest") has sha256 $got, expected $sha" >&2; exit 1; }
  mv "$dest.part" "$dest"
}
# ppocr_keys_v1.txt: 6,623 characters (configs/rec/ppocrv4_rec.yml describes the model).
dictionary_from_metadata "$REC_MODEL" "$ROOT/.deps/models/ppocr_keys_v1.txt" \
  a1c84d9bdb9ab29043c58896224d32941783eb821629618416dcb08f12886492
# PP-OCRv6 small's: 18,708 characters.
dictionary_from_metadata "$V6_REC_MODEL" "$ROOT/.deps/models/PP-OCRv6_rec_small_dict.txt" \
  b5f2bfe2bdd9448429e3e82b51c789775d9b42f2403d082b00662eb77e401c5d

# --- Test-only Python venv (.deps/pyvenv): onnx's checker and onnxruntime check exported models --
bash "$ROOT/scripts/test-venv.sh"

log "done"
