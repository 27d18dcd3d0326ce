#!/usr/bin/env python3
"""The PyTorch eager twin of OCRKit's training benchmark (configs/bench/crnn_mv3_train.yml).

Issue 14 asks OCRKit to train its benchmark CRNN at least 1.5x as fast as the same model in
PyTorch, as a new user would write it: eager mode, a one-process DataLoader rendering lines on the
fly. This script is that user's program, layer for layer the model of Sources/OCRModels
(scripts/torch_twin_model.py):

- MobileNetV3 large, scale 0.5, PaddleOCR's rec strides (MobileNetV3.swift): conv1 3x3/2 with BN and
  hardswish, the 15 inverted residuals (ResidualUnit.swift: 1x1 expand, kxk depthwise carrying the
  stride, SE with Paddle's hardsigmoid slope 0.2 (SEModule.swift), 1x1 linear; a shortcut only for
  scalar stride 1 and equal channels), conv2 1x1 to 480 with hardswish, 2x2 max pool.
  B x 3 x 32 x 320 -> B x 480 x 1 x 80.
- SequenceEncoder rnn (SequenceEncoder.swift): B x 480 x 1 x 80 -> B x 80 x 480, a 2-layer
  bidirectional LSTM of hidden 96, batch first.
- CTCHead (CTCHead.swift): one Linear 192 -> classes (the charset, space, blank 0).
- Training as Sources/OCRTrain: AdamW (weight decay, betas, eps from the config), the lr of every
  step from the cosine schedule with linear warm-up (LearningRateSchedule.swift), CTC loss per
  sample averaged over the batch (RecognitionTask.swift), loss.item() each step, gradient norm
  clipped, optimizer step.

Data: lines drawn on the fly with PIL by scripts/render-lines-pil.py's renderer (its `draw_line`
and `degrade`: jitter, margins, slight rotation, blur, rescaling, noise, JPEG - about as light as
SyntheticLines' defaults), from the config's fonts and corpus, texts of whole words in the config's
length range as SyntheticLines' words mode draws them, resized to the config's height and padded to
its width as PaddleOCR's RecResizeImg does, in a torch.utils.data.DataLoader (`--workers`, default
0: the one-process loader).

Prints each step's seconds (data loading included) and a final JSON line: samples/s end to end
over the timed steps and the p10/p50/p90 step time (scripts/bench_torch_twin_report.py's
`figures`, the same function the benchmark applies to OCRKit's runs). Runs in the benchmark venv
(scripts/test-venv.sh --torch), never in tests or CI:

    .deps/bench-torch-venv/bin/python scripts/torch_twin.py --steps 24 --warmup 3
"""
import argparse
import importlib.util
import io
import json
import math
import os
import random
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import yaml
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from bench_torch_twin_report import figures  # noqa: E402  (one definition of the figures for both sides)
from torch_twin_model import CRNN, onnx_state_dict  # noqa: E402


def load_renderer():
    """scripts/render-lines-pil.py as a module (its name has dashes): the project's PIL line renderer."""
    spec = importlib.util.spec_from_file_location("render_lines_pil", os.path.join(HERE, "render-lines-pil.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def fail(message):
    print(f"torch_twin: {message}", file=sys.stderr)
    sys.exit(1)


# ---------------------------------------------------------------------------------------- config

class Config:
    """The keys of an OCRKit rec config the twin uses; a missing or unsupported one fails naming it."""

    def __init__(self, path):
        self.path = path
        try:
            with open(path, encoding="utf-8") as f:
                self.tree = yaml.safe_load(f) or {}
        except (OSError, yaml.YAMLError) as e:
            fail(f"cannot read the config '{path}': {e}")

    def get(self, key, default=None, required=False):
        node = self.tree
        for part in key.split("."):
            if isinstance(node, dict) and part in node:
                node = node[part]
            elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            elif required:
                fail(f"{self.path}: {key} is missing")
            else:
                return default
        return node

    def expect(self, key, value, default=None):
        if self.get(key, default) != value:
            fail(f"{self.path}: {key} is {self.get(key, default)!r}; the twin only mirrors {value!r}")

    def file(self, key):
        """A file named by the config, relative to the config's folder as OCRKit resolves it."""
        p = self.get(key, required=True)
        full = self.resolve(p)
        if not os.path.isfile(full):
            fail(f"{self.path}: {key} names '{p}', which is not a file")
        return full

    def resolve(self, p):
        return p if os.path.isabs(p) else os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(self.path)), p))

    def image_shape(self):
        for i, op in enumerate(self.get("Train.dataset.transforms", []) or []):
            if isinstance(op, dict) and "RecResizeImg" in op:
                shape = (op["RecResizeImg"] or {}).get("image_shape")
                if not (isinstance(shape, list) and len(shape) == 3):
                    fail(f"{self.path}: Train.dataset.transforms.{i}.RecResizeImg.image_shape must be [c, h, w]")
                return shape
        fail(f"{self.path}: Train.dataset.transforms has no RecResizeImg")


# ----------------------------------------------------------------------------------------- model

def build_model(config, classes):
    config.expect("Architecture.algorithm", "CRNN")
    config.expect("Architecture.Backbone.name", "MobileNetV3")
    config.expect("Architecture.Backbone.model_name", "large", default="small")
    config.expect("Architecture.Neck.name", "SequenceEncoder")
    config.expect("Architecture.Neck.encoder_type", "rnn")
    config.expect("Architecture.Head.name", "CTCHead")
    config.expect("Architecture.Head.mid_channels", None)
    config.expect("Architecture.Backbone.disable_se", False, default=False)
    return CRNN(classes, config.get("Architecture.Backbone.scale", 0.5),
                config.get("Architecture.Backbone.large_stride", [1, 2, 2, 2]),
                config.get("Architecture.Neck.hidden_size", required=True))


def learning_rate(step, base, warmup, total, minimum):
    """LearningRateSchedule.cosine: linear warm-up from base/warmup, then cosine to `minimum` at `total`."""
    if step < warmup:
        return base * (step + 1) / warmup
    progress = min((step - warmup) / max(total - warmup, 1), 1)
    return minimum + (base - minimum) * 0.5 * (1 + math.cos(math.pi * progress))


def parity(model, path, shape):
    """Loads an OCRKit export's weights into the twin and compares their logits (eval mode) on
    random lines: the twin computes OCRKit's function, not only its parameter count.

    A model fresh from a few steps answers every input alike (its activations fade before the
    LSTM), which would make the comparison vacuous; so the BatchNorm statistics of both are set
    to the twin's batch statistics on the test input first, which normalises every layer's output.
    A twin that computed another function would normalise other activations, and the logits
    would part. The check also fails when the logits do not depend on the input."""
    import onnx
    import onnxruntime
    from onnx import numpy_helper
    missing, unexpected = model.load_state_dict(onnx_state_dict(path), strict=False)
    missing = [k for k in missing if not k.endswith("num_batches_tracked")]
    if missing or unexpected:
        fail(f"{path} does not fit the twin: missing {missing[:5]}, unexpected {unexpected[:5]} "
             "(export with ocr-export --no-fold-bn)")
    x = np.random.default_rng(0).uniform(-1, 1, (4, *shape)).astype(np.float32)
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.reset_running_stats()
            m.momentum = None                                              # cumulative: one batch's statistics
    model.train()
    with torch.no_grad():
        model(torch.from_numpy(x))
    model.eval()
    graph = onnx.load(path)
    state = model.state_dict()
    for init in graph.graph.initializer:
        key = init.name.replace("/", ".")
        if key.endswith(".running_mean") or key.endswith(".running_var"):
            init.CopyFrom(numpy_helper.from_array(state[key].numpy(), init.name))
    session = onnxruntime.InferenceSession(graph.SerializeToString(), providers=["CPUExecutionProvider"])
    expected = session.run(None, {session.get_inputs()[0].name: x})[0]
    with torch.no_grad():
        got = model(torch.from_numpy(x)).numpy()
    if got.shape != expected.shape:
        fail(f"the twin's logits are {list(got.shape)}, OCRKit's {list(expected.shape)}")
    diff = float(np.abs(got - expected).max())
    spread = float(np.abs(expected[0] - expected[1]).max())
    limit = 1e-4 * max(1.0, float(np.abs(expected).max()))
    print(f"parity with {path}: logits {list(got.shape)}, max |diff| = {diff:.2e} (limit {limit:.1e}); "
          f"the input moves OCRKit's logits by up to {spread:.2f} (at least 0.01 needed)")
    if spread < 0.01:
        fail("OCRKit's logits hardly depend on the input: the comparison would prove nothing")
    if not diff <= limit:
        fail("the twin does not compute OCRKit's model")


# ------------------------------------------------------------------------------------------ data

class SyntheticLines(torch.utils.data.Dataset):
    """Line `i` is a pure function of (seed, i): words of the corpus joined by spaces, min..max
    characters (CorpusSampler's words mode), drawn in one of the fonts by render-lines-pil.py,
    degraded, decoded, resized to h and padded to w, normalised to [-1, 1]."""

    def __init__(self, renderer, faces, words, lengths, shape, classes_of, seed, count):
        self.renderer, self.faces, self.words = renderer, faces, words
        self.lengths, self.shape, self.classes_of = lengths, shape, classes_of
        self.seed, self.count = seed, count

    def __len__(self):
        return self.count

    def text(self, rng):
        lo, hi = self.lengths
        target = rng.randint(lo, hi)
        text, misses, long_first = "", 0, 0
        while len(text) < target and misses < 8:
            word = self.words[rng.randrange(len(self.words))]
            if not text:
                if len(word) > hi and long_first < 16:
                    long_first += 1
                    continue
                text = word[:hi]
            elif len(text) + 1 + len(word) <= hi:
                text += " " + word
            else:
                misses += 1
        return text

    def __getitem__(self, i):
        rng = random.Random(f"{self.seed}/{i}")
        text = self.text(rng)
        face = self.faces[rng.randrange(len(self.faces))]
        image = self.renderer.draw_line(text, face, rng, False)
        data, _ = self.renderer.degrade(image, rng, np.random.default_rng([self.seed, i]))
        image = Image.open(io.BytesIO(data)).convert("RGB")
        return resize_norm(image, self.shape), [self.classes_of[c] for c in text]


def resize_norm(image, shape):
    """PaddleOCR's RecResizeImg: keep the aspect ratio up to w, pad with zeros on the right."""
    c, h, w = shape
    resized_w = min(w, int(math.ceil(h * image.width / image.height)))
    pixels = np.asarray(image.resize((resized_w, h), Image.BILINEAR), dtype=np.float32)   # h x rw x 3
    out = np.zeros((c, h, w), dtype=np.float32)
    out[:, :, :resized_w] = (pixels.transpose(2, 0, 1) / 255 - 0.5) / 0.5              # -> 3 x h x rw
    return out


def collate(samples):
    """Images stacked; targets concatenated with their lengths (the form F.ctc_loss takes)."""
    images = torch.from_numpy(np.stack([s[0] for s in samples]))
    labels = [s[1] for s in samples]
    targets = torch.tensor([c for label in labels for c in label], dtype=torch.long)
    return images, targets, torch.tensor([len(label) for label in labels], dtype=torch.long)


def class_indices(config):
    """Character -> class: the dictionary's lines in order from 1, then the space (0 is the CTC blank)."""
    with open(config.file("Global.character_dict_path"), encoding="utf-8") as f:
        chars = [line.rstrip("\r\n") for line in f if line.rstrip("\r\n")]
    if config.get("Global.use_space_char", False):
        chars.append(" ")
    return {c: i + 1 for i, c in enumerate(chars)}


def build_data(config, renderer, batch, workers):
    classes_of = class_indices(config)
    config.expect("Train.dataset.name", "SyntheticLines")
    config.expect("Train.dataset.text_mode", "words")
    faces = [renderer.Face(config.resolve(p)) for p in config.get("Train.dataset.fonts", required=True)]
    corpus = config.file("Train.dataset.corpus")
    try:
        with open(corpus, encoding="utf-8", errors="replace") as f:
            candidates = {w for line in f for w in line.split()}
    except OSError as e:
        fail(f"{config.path}: Train.dataset.corpus: cannot read '{corpus}': {e}")
    # As SyntheticLines: only words of the charset; here also only words every face draws.
    words = sorted(w for w in candidates if all(c in classes_of and all(face.draws(c) for face in faces) for c in w))
    if not words:
        fail(f"{corpus}: no word is made of the charset's characters ({config.get('Global.character_dict_path')})")
    lengths = config.get("Train.dataset.text_length", [5, 30])
    dataset = SyntheticLines(renderer, faces, words, lengths, config.image_shape(), classes_of,
                             config.get("Global.seed", 42), config.get("Train.dataset.count", 100000))
    generator = torch.Generator().manual_seed(config.get("Global.seed", 42))
    loader = torch.utils.data.DataLoader(dataset, batch_size=batch, shuffle=True, drop_last=True,
                                         num_workers=workers, collate_fn=collate, generator=generator)
    return loader, len(classes_of) + 1, len(words)


# -------------------------------------------------------------------------------------- training

def batches(loader):
    """The loader's batches, epoch after epoch."""
    while True:
        yield from loader


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--config", default="configs/bench/crnn_mv3_train.yml", help="OCRKit config to mirror")
    ap.add_argument("--steps", type=int, default=24, help="timed steps, after the warm-up")
    ap.add_argument("--warmup", type=int, default=3, help="untimed warm-up steps")
    ap.add_argument("--batch", type=int, help="batch size (default: the config's Train.loader.batch_size_per_card)")
    ap.add_argument("--threads", type=int, default=2, help="torch.set_num_threads")
    ap.add_argument("--workers", type=int, default=0, help="DataLoader num_workers (0: load in this process)")
    ap.add_argument("--json", help="also write the final figures to this file")
    ap.add_argument("--parity", metavar="MODEL_ONNX",
                    help="instead of training: load this OCRKit export (ocr-export --no-fold-bn) into the twin and "
                         "compare logits with ONNX Runtime's")
    args = ap.parse_args()
    if args.steps < 1 or args.warmup < 0 or args.threads < 1 or args.workers < 0:
        fail("--steps and --threads must be at least 1, --warmup and --workers at least 0")

    torch.set_num_threads(args.threads)
    config = Config(args.config)
    torch.manual_seed(config.get("Global.seed", 42))
    if args.parity:
        return parity(build_model(config, len(class_indices(config)) + 1), args.parity, config.image_shape())
    batch = args.batch or config.get("Train.loader.batch_size_per_card", required=True)
    loader, classes, word_count = build_data(config, load_renderer(), batch, args.workers)
    model = build_model(config, classes)
    model.train()
    parameters = sum(p.numel() for p in model.parameters())
    print(f"torch {torch.__version__}, {args.threads} threads, DataLoader num_workers={args.workers}; "
          f"model: {parameters} parameters, {classes} classes; {word_count} words; batch {batch}, "
          f"{args.warmup} warm-up + {args.steps} timed steps", flush=True)

    config.expect("Optimizer.name", "AdamW")
    config.expect("Optimizer.lr.name", "Cosine", default="Cosine")
    optimizer = torch.optim.AdamW(model.parameters(), lr=config.get("Optimizer.lr.learning_rate", 0.001),
                                  betas=(config.get("Optimizer.beta1", 0.9), config.get("Optimizer.beta2", 0.999)),
                                  eps=config.get("Optimizer.epsilon", 1e-8),
                                  weight_decay=config.get("Optimizer.weight_decay", 0.01))
    clip = config.get("Optimizer.clip_norm")
    schedule = dict(base=config.get("Optimizer.lr.learning_rate", 0.001), warmup=config.get("Optimizer.lr.warmup_steps", 0),
                    total=args.warmup + args.steps, minimum=config.get("Optimizer.lr.min_learning_rate", 0.0))

    timed = []
    stream = batches(loader)
    mark = time.perf_counter()
    for step in range(args.warmup + args.steps):
        images, targets, target_lengths = next(stream)
        lr = learning_rate(step, **schedule)
        for group in optimizer.param_groups:
            group["lr"] = lr
        logits = model(images)                                             # B x T x classes
        log_probs = logits.permute(1, 0, 2).log_softmax(2)                 # -> T x B x classes
        input_lengths = torch.full((log_probs.size(1),), log_probs.size(0), dtype=torch.long)
        loss = F.ctc_loss(log_probs, targets, input_lengths, target_lengths, blank=0, reduction="none",
                          zero_infinity=True).mean()
        optimizer.zero_grad()
        loss.backward()
        value = loss.item()                                                # host sync, as OCRKit's step
        if clip:
            nn.utils.clip_grad_norm_(model.parameters(), clip)
        optimizer.step()
        now = time.perf_counter()
        seconds, mark = now - mark, now
        if step >= args.warmup:
            timed.append(seconds)
        kind = "warm-up" if step < args.warmup else "timed"
        print(f"step {step + 1}/{args.warmup + args.steps} ({kind}): {seconds:.3f} s, {batch / seconds:.1f} samples/s, "
              f"loss {value:.3f}, lr {lr:.6f}", flush=True)

    result = figures(timed, batch)
    result.update(name="torch-twin", torch=torch.__version__, threads=args.threads, workers=args.workers,
                  parameters=parameters)
    print(f"torch twin: {result['samples_per_s']:.2f} samples/s end to end over {args.steps} steps; step p10 "
          f"{result['p10_s']:.3f} s, p50 {result['p50_s']:.3f} s, p90 {result['p90_s']:.3f} s (p90/p10 {result['p90_p10']:.2f})")
    line = json.dumps(result)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            f.write(line + "\n")
    print(line)


if __name__ == "__main__":
    main()
