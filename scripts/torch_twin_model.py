"""scripts/torch_twin.py's model: OCRKit's benchmark CRNN in PyTorch, layer for layer.

Each class names the Swift file it mirrors in Sources/OCRModels; module names follow OCRKit's
parameter paths (`backbone.blocks.3.mid_se.conv1.weight` is `backbone/blocks/3/mid_se/conv1/weight`),
so an OCRKit export loads by name (`onnx_state_dict`) and `torch_twin.py --parity` can check that the
twin computes OCRKit's function.
"""
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def make_divisible(v, divisor=8):
    """PaddleOCR's make_divisible, as MobileNetV3.makeDivisible."""
    n = max(divisor, int(v + divisor / 2) // divisor * divisor)
    return n + divisor if n < 0.9 * v else n


# MobileNetV3 large: (kernel, expansion, channels, SE, activation) per block, PaddleOCR's cfg.
LARGE = [(3, 16, 16, False, "relu"), (3, 64, 24, False, "relu"), (3, 72, 24, False, "relu"),
         (5, 72, 40, True, "relu"), (5, 120, 40, True, "relu"), (5, 120, 40, True, "relu"),
         (3, 240, 80, False, "hardswish"), (3, 200, 80, False, "hardswish"), (3, 184, 80, False, "hardswish"),
         (3, 184, 80, False, "hardswish"), (3, 480, 112, True, "hardswish"), (3, 672, 112, True, "hardswish"),
         (5, 672, 160, True, "hardswish"), (5, 960, 160, True, "hardswish"), (5, 960, 160, True, "hardswish")]
LARGE_SQUEEZE = 960


def activation(name):
    return {"relu": nn.ReLU(), "hardswish": nn.Hardswish(), None: nn.Identity()}[name]


class ConvBN(nn.Module):
    """Conv (no bias) -> BatchNorm -> optional activation (ConvBNLayer.swift)."""

    def __init__(self, cin, cout, kernel, stride=1, groups=1, act=None):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, kernel, stride, padding=(kernel - 1) // 2, groups=groups, bias=False)
        self.bn = nn.BatchNorm2d(cout)
        self.act = activation(act)

    def forward(self, x):
        return self.act(self.bn(self.conv(x)))


class SE(nn.Module):
    """Squeeze-and-excitation with Paddle's hardsigmoid gate, clamp(0.2 x + 0.5, 0, 1) (SEModule.swift)."""

    def __init__(self, channels, reduction=4):
        super().__init__()
        self.conv1 = nn.Conv2d(channels, channels // reduction, 1)
        self.conv2 = nn.Conv2d(channels // reduction, channels, 1)

    def forward(self, x):
        s = self.conv2(F.relu(self.conv1(F.adaptive_avg_pool2d(x, 1))))   # B x C x 1 x 1
        return x * (0.2 * s + 0.5).clamp(0, 1)


class ResidualUnit(nn.Module):
    def __init__(self, cin, mid, cout, kernel, stride, se, act, shortcut):
        super().__init__()
        self.expand_conv = ConvBN(cin, mid, 1, act=act)
        self.bottleneck_conv = ConvBN(mid, mid, kernel, stride, groups=mid, act=act)
        self.mid_se = SE(mid) if se else None
        self.linear_conv = ConvBN(mid, cout, 1)
        self.shortcut = shortcut and cin == cout

    def forward(self, x):
        y = self.bottleneck_conv(self.expand_conv(x))
        if self.mid_se is not None:
            y = self.mid_se(y)
        y = self.linear_conv(y)
        return x + y if self.shortcut else y


class MobileNetV3(nn.Module):
    """PaddleOCR's rec MobileNetV3 large: height shrinks 32x, width 4x."""

    def __init__(self, scale, large_stride, in_channels=3):
        super().__init__()
        # block index -> (height stride, from a (h, w) tuple in PaddleOCR: width kept, no shortcut)
        strides = {0: (large_stride[0], False), 1: (large_stride[1], True), 3: (large_stride[2], True),
                   12: (large_stride[3], True)}
        inplanes = make_divisible(16 * scale)
        self.conv1 = ConvBN(in_channels, inplanes, 3, 2, act="hardswish")
        blocks = []
        for i, (k, exp, c, se, act) in enumerate(LARGE):
            s, tuple_stride = strides.get(i, (1, False))
            out = make_divisible(scale * c)
            blocks.append(ResidualUnit(inplanes, make_divisible(scale * exp), out, k, (s, 1) if tuple_stride else (s, s),
                                       se, act, shortcut=not tuple_stride and s == 1))
            inplanes = out
        self.blocks = nn.Sequential(*blocks)
        self.out_channels = make_divisible(scale * LARGE_SQUEEZE)
        self.conv2 = ConvBN(inplanes, self.out_channels, 1, act="hardswish")
        self.pool = nn.MaxPool2d(2, 2)

    def forward(self, x):
        return self.pool(self.conv2(self.blocks(self.conv1(x))))          # B x C x H/32 x W/4


class SequenceEncoder(nn.Module):
    """Im2Seq, then EncoderWithRNN (SequenceEncoder.swift): a 2-layer bidirectional LSTM, batch first."""

    def __init__(self, in_channels, hidden):
        super().__init__()
        self.encoder = nn.Module()
        self.encoder.lstm = nn.LSTM(in_channels, hidden, num_layers=2, bidirectional=True, batch_first=True)

    def forward(self, x):
        seq = x.squeeze(2).transpose(1, 2)                                 # B x C x 1 x W -> B x W x C
        return self.encoder.lstm(seq)[0]                                   # B x W x 2*hidden


class CTCHead(nn.Module):
    """One Linear to the classes, logits out (CTCHead.swift)."""

    def __init__(self, in_channels, classes):
        super().__init__()
        self.fc = nn.Linear(in_channels, classes)

    def forward(self, x):
        return self.fc(x)


class CRNN(nn.Module):
    """Backbone -> neck -> head (RecognitionModel.swift): B x 3 x 32 x W -> logits B x W/4 x classes."""

    def __init__(self, classes, scale, large_stride, hidden):
        super().__init__()
        self.backbone = MobileNetV3(scale, large_stride)
        self.neck = SequenceEncoder(self.backbone.out_channels, hidden)
        self.head = CTCHead(2 * hidden, classes)

    def forward(self, x):
        return self.head(self.neck(self.backbone(x)))


def onnx_state_dict(path):
    """The twin's state dict from an OCRKit ONNX export (`ocr-export --no-fold-bn`), whose
    initializers carry OCRKit's parameter paths: `backbone/...` and `head/fc/...` map by name
    (`/` -> `.`), the LSTM from ONNX's per-layer W, R, B (directions stacked, gates i, o, f, c) to PyTorch's
    weight_ih_l<k>, weight_hh_l<k>, bias_ih_l<k>, bias_hh_l<k> (+ `_reverse`, gates i, f, c, o)."""
    import onnx
    from onnx import numpy_helper
    arrays = {i.name: numpy_helper.to_array(i) for i in onnx.load(path).graph.initializer}
    state = {}
    for name, array in arrays.items():
        if name.startswith("backbone/") or name.startswith("head/fc/"):
            state[name.replace("/", ".")] = torch.from_numpy(array.copy())
    layer = 0
    while f"neck/encoder/lstm/l{layer}/W" in arrays:
        w, r, b = (arrays[f"neck/encoder/lstm/l{layer}/{k}"] for k in "WRB")
        hidden = r.shape[2]

        def gates(m):                                                  # i, o, f, c -> i, f, c, o
            i, o, f, c = np.split(m, 4, axis=0)
            return torch.from_numpy(np.concatenate([i, f, c, o], axis=0).copy())
        for d, suffix in enumerate(("", "_reverse")):
            state[f"neck.encoder.lstm.weight_ih_l{layer}{suffix}"] = gates(w[d])
            state[f"neck.encoder.lstm.weight_hh_l{layer}{suffix}"] = gates(r[d])
            state[f"neck.encoder.lstm.bias_ih_l{layer}{suffix}"] = gates(b[d][:4 * hidden])
            state[f"neck.encoder.lstm.bias_hh_l{layer}{suffix}"] = gates(b[d][4 * hidden:])
        layer += 1
    return state
