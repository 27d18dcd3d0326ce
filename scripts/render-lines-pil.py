#!/usr/bin/env python3
"""The realistic fine-tuning benchmark's evaluation lines, drawn by a second renderer.

OCRKit's SyntheticLines (FreeType + HarfBuzz, its own degradations) renders the training lines;
this script draws the evaluation lines with PIL, with its own habits - per-character baseline
jitter, per-face margins and letter spacing, a slight rotation, blur, scaling, Gaussian noise and
JPEG - so a model cannot pass the benchmark by learning one renderer's look.

Texts come from `ocr data lines` (LineTextGenerator, the same generator the training texts come
from, on the corpus's eval words). Each face draws its own slice of the texts: face k takes texts
k*N ..< (k+1)*N, skipping (and counting) texts with a character the face has no glyph for.

Output (PaddleOCR SimpleDataSet; evaluate with `group_by: first_folder` for per-face figures):
    OUT/labels.txt                   FACE/00000.png<TAB>text, faces in config order
    OUT/FACE/00000.png or .jpg       FACE = the font's file name, as SyntheticLines groups lines
Deterministic: the same texts, fonts, seed and Pillow version draw the same files.

    .deps/pyvenv/bin/python scripts/render-lines-pil.py --texts runs/corpus/lines_eval.txt \
        --config configs/bench/finetune_lines.yml --per-face 200 --seed 2027 --out runs/lines_eval_pil
Runs in the test venv (scripts/test-venv.sh pins Pillow, numpy and PyYAML); the product never
uses Python.
"""
import argparse
import io
import math
import os
import random
import sys

import numpy as np
import yaml
from PIL import Image, ImageDraw, ImageFilter, ImageFont


def fail(message):
    print(f"render-lines-pil: {message}", file=sys.stderr)
    sys.exit(1)


def fonts_of(config_path):
    """The Eval (else Train) dataset's font files of an OCRKit config, relative paths against the config."""
    try:
        with open(config_path, encoding="utf-8") as f:
            config = yaml.safe_load(f)
    except (OSError, yaml.YAMLError) as e:
        fail(f"cannot read the config '{config_path}': {e}")
    for section in ("Train", "Eval"):
        fonts = (((config or {}).get(section) or {}).get("dataset") or {}).get("fonts")
        if fonts:
            base = os.path.dirname(os.path.abspath(config_path))
            return [p if os.path.isabs(p) else os.path.normpath(os.path.join(base, p)) for p in fonts]
    fail(f"{config_path}: no Train.dataset.fonts or Eval.dataset.fonts list")


class Face:
    """One font file, with the characters it draws (a glyph that is not the .notdef box)."""

    def __init__(self, path):
        if not os.path.isfile(path):
            fail(f"font file '{path}' does not exist (install it, or change the config's fonts)")
        self.path = path
        self.name = os.path.basename(path)
        self.probe = ImageFont.truetype(path, 40)
        # U+FFFF is a noncharacter: every font draws its .notdef for it.
        self.notdef = self._mask("\uffff")
        self.known = {}
        self.caps_only = self._caps_only()

    def _caps_only(self):
        """Whether lowercase letters are drawn as small capitals (Humor Sans): the ascenders of
        b d h k l hardly rise above x - the test OCRKit's FontFile applies (ratio below 1.2)."""
        def height(ch):
            return -self.probe.getbbox(ch, anchor="ls")[1] if self.draws(ch) else None
        x = height("x")
        tall = sorted(h for h in map(height, "bdhkl") if h is not None)
        return bool(x and len(tall) >= 3 and tall[len(tall) // 2] / x < 1.2)

    def _mask(self, ch):
        mask = self.probe.getmask(ch)
        return (mask.size, bytes(mask))

    def draws(self, ch):
        if ch == " ":
            return True
        if ch not in self.known:
            m = self._mask(ch)
            self.known[ch] = m[0][0] > 0 and m != self.notdef
        return self.known[ch]


def draw_line(text, face, rng, handwriting):
    """One line image (RGB): text drawn character by character on a light background."""
    size = rng.randint(30, 44)
    font = ImageFont.truetype(face.path, size)
    # This renderer's habits: spacing between characters, per-character baseline jitter (more for
    # handwriting), margins of its own.
    spacing = rng.uniform(-0.02, 0.08) * size
    jitter = (0.06 if handwriting else 0.02) * size
    ascent, descent = font.getmetrics()
    advances = [font.getlength(c) for c in text]
    width = int(sum(advances) + spacing * max(len(text) - 1, 0)) + 1
    left, right = rng.randint(2, 14), rng.randint(2, 14)
    top, bottom = rng.randint(2, 8), rng.randint(2, 8)
    pad = int(math.ceil(3 * jitter))
    canvas_w = max(left + width + right, 8)
    canvas_h = top + pad + ascent + descent + pad + bottom

    paper = rng.randint(200, 255)
    tint = [min(255, paper + rng.randint(-12, 0)) for _ in range(3)]
    image = Image.new("RGB", (canvas_w, canvas_h), tuple(tint))
    if rng.random() < 0.3:
        # a soft left-to-right shade, as a page under a lamp
        shade = np.linspace(0, rng.uniform(-40, 25), canvas_w, dtype=np.float32)
        arr = np.asarray(image, dtype=np.float32) + shade[None, :, None]
        image = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
    ink_level = rng.randint(0, 90)
    ink = (ink_level, ink_level, ink_level) if rng.random() < 0.7 else (rng.randint(0, 60), rng.randint(0, 60), rng.randint(60, 140))
    draw = ImageDraw.Draw(image)
    ink_mask = Image.new("L", image.size, 0)
    mask_draw = ImageDraw.Draw(ink_mask)
    x = float(left)
    for c, advance in zip(text, advances):
        y = top + pad + rng.gauss(0, jitter)
        draw.text((x, y), c, font=font, fill=ink)
        mask_draw.text((x, y), c, font=font, fill=255)
        x += advance + spacing
    # Cropped as a text detector would: the ink's box plus this line's margins (not the font's
    # ascent/descent box, which leaves script faces half empty).
    box = ink_mask.getbbox()
    if box:
        image = image.crop((max(0, box[0] - left), max(0, box[1] - top), min(canvas_w, box[2] + right),
                            min(canvas_h, box[3] + bottom)))

    angle = rng.uniform(-1.5, 1.5)
    if abs(angle) > 0.2:
        image = image.rotate(angle, resample=Image.BICUBIC, expand=True, fillcolor=tuple(tint))
    if rng.random() < 0.5:
        image = image.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 1.2)))
    # Scanned or photographed at another resolution: the line ends up 32-64 px high.
    target_h = rng.randint(32, 64)
    scale = target_h / image.height
    image = image.resize((max(8, round(image.width * scale)), target_h),
                         resample=Image.BILINEAR if rng.random() < 0.5 else Image.LANCZOS)
    return image


def degrade(image, rng, nrng):
    """Gaussian noise, then JPEG for most lines. Returns (bytes, extension)."""
    if rng.random() < 0.6:
        sigma = rng.uniform(2, 10)
        arr = np.asarray(image, dtype=np.float32) + nrng.normal(0, sigma, (image.height, image.width, 1)).astype(np.float32)
        image = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
    out = io.BytesIO()
    if rng.random() < 0.7:
        image.save(out, format="JPEG", quality=rng.randint(35, 90))
        return out.getvalue(), "jpg"
    image.save(out, format="PNG")
    return out.getvalue(), "png"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--texts", required=True, help="one text per line (ocr data lines)")
    ap.add_argument("--config", required=True, help="OCRKit config whose dataset fonts are the faces")
    ap.add_argument("--per-face", type=int, default=200, help="lines per face")
    ap.add_argument("--seed", type=int, default=2027)
    ap.add_argument("--handwriting", default="dkg,Humor-Sans",
                    help="comma-separated parts of font file names drawn with handwriting jitter")
    ap.add_argument("--out", required=True, help="new output folder")
    args = ap.parse_args()
    if args.per_face < 1:
        fail("--per-face must be at least 1")
    if os.path.exists(os.path.join(args.out, "labels.txt")):
        fail(f"'{args.out}' already holds labels.txt; choose a new folder or delete it")
    try:
        with open(args.texts, encoding="utf-8") as f:
            texts = [t.strip() for t in f.read().split("\n") if t.strip()]
    except (OSError, UnicodeDecodeError) as e:
        fail(f"cannot read the texts '{args.texts}': {e}")
    faces = [Face(p) for p in fonts_of(args.config)]
    if len(texts) < args.per_face * len(faces):
        fail(f"{args.texts} holds {len(texts)} texts; {len(faces)} faces x {args.per_face} need more "
             f"(ocr data lines --count {args.per_face * len(faces) * 2})")
    handwriting = [h for h in args.handwriting.split(",") if h]

    labels, wide, drawn = [], 0, 0
    for k, face in enumerate(faces):
        os.makedirs(os.path.join(args.out, face.name), exist_ok=True)
        hand = any(h in face.name for h in handwriting)
        skipped, missing, n, i = 0, {}, 0, k * args.per_face
        while n < args.per_face:
            if i >= len(texts):
                fail(f"{face.name}: ran out of texts after {n} lines ({skipped} had characters the face lacks)")
            # A caps-only face draws lowercase as capitals: its lines are written (and labelled) in capitals.
            text = texts[i].upper() if face.caps_only else texts[i]
            lacking = [c for c in text if not face.draws(c)]
            i += 1
            if lacking:
                skipped += 1
                for c in lacking:
                    missing[c] = missing.get(c, 0) + 1
                continue
            # one stream per (seed, face, line), whatever came before
            rng = random.Random(f"{args.seed}/{face.name}/{n}")
            nrng = np.random.default_rng([args.seed, k, n])
            image = draw_line(text, face, rng, hand)
            data, ext = degrade(image, rng, nrng)
            rel = f"{face.name}/{n:05d}.{ext}"
            with open(os.path.join(args.out, rel), "wb") as f:
                f.write(data)
            labels.append(f"{rel}\t{text}")
            wide += image.width > 10 * image.height
            drawn += 1
            n += 1
        note = f"; skipped {skipped} texts for characters it lacks: " + " ".join(
            f"{c!r} x{m}" for c, m in sorted(missing.items(), key=lambda x: -x[1])[:10]) if skipped else ""
        kind = ", ".join(k for k, on in (("handwriting jitter", hand), ("caps-only: texts in capitals", face.caps_only)) if on)
        print(f"  {face.name}: {n} lines{f' ({kind})' if kind else ''}{note}")
    # written last, so it never names an image that is not there
    tmp = os.path.join(args.out, "labels.txt.partial")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write("\n".join(labels) + "\n")
    os.replace(tmp, os.path.join(args.out, "labels.txt"))
    print(f"render-lines-pil: {drawn} lines from {len(faces)} faces in {args.out}/labels.txt; "
          f"{100 * wide / max(drawn, 1):.1f}% wider than 10:1")


if __name__ == "__main__":
    main()
