#!/usr/bin/env python3
"""Reference values for TorchTests, computed with plain NumPy loops written from the operators'
definitions (not with PyTorch), so the shim is checked against an independent implementation.

Run once: python3 Tests/TorchTests/Fixtures/make_reference.py  -> reference.json (checked in).
Inputs are stored in the JSON next to the outputs; every case is small.
"""
import json
import math
import os

import numpy as np

rng = np.random.default_rng(1234)
cases = {}


def r(*shape, scale=1.0):
    return (rng.standard_normal(shape) * scale).astype(np.float64)


def add(name, **arrays):
    cases[name] = {k: {"shape": list(np.shape(v)), "data": np.asarray(v, dtype=np.float64).ravel().tolist()}
                   if isinstance(v, np.ndarray) else v for k, v in arrays.items()}


# ---- convolution -----------------------------------------------------------------------------------
def conv2d(x, w, b, stride, pad, dil, groups):
    n, c, h, wd = x.shape
    o, cg, kh, kw = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad[0], pad[0]), (pad[1], pad[1])))
    oh = (h + 2 * pad[0] - dil[0] * (kh - 1) - 1) // stride[0] + 1
    ow = (wd + 2 * pad[1] - dil[1] * (kw - 1) - 1) // stride[1] + 1
    out = np.zeros((n, o, oh, ow))
    og = o // groups
    for bi in range(n):
        for oc in range(o):
            g = oc // og
            for i in range(oh):
                for j in range(ow):
                    s = 0.0
                    for ci in range(cg):
                        for a in range(kh):
                            for bb in range(kw):
                                s += xp[bi, g * cg + ci, i * stride[0] + a * dil[0], j * stride[1] + bb * dil[1]] * w[oc, ci, a, bb]
                    out[bi, oc, i, j] = s + (b[oc] if b is not None else 0)
    return out


x = r(2, 4, 7, 6); w = r(6, 2, 3, 2); b = r(6)
add("conv2d", x=x, w=w, b=b, stride=[2, 1], padding=[1, 0], dilation=[1, 2], groups=2,
    out=conv2d(x, w, b, (2, 1), (1, 0), (1, 2), 2))


def conv_transpose2d(x, w, b, stride, pad, outpad, groups):
    n, c, h, wd = x.shape
    _, og, kh, kw = w.shape
    oh = (h - 1) * stride[0] - 2 * pad[0] + (kh - 1) + outpad[0] + 1
    ow = (wd - 1) * stride[1] - 2 * pad[1] + (kw - 1) + outpad[1] + 1
    full = np.zeros((n, og * groups, oh + 2 * pad[0], ow + 2 * pad[1]))
    cg = c // groups
    for bi in range(n):
        for ci in range(c):
            g = ci // cg
            for i in range(h):
                for j in range(wd):
                    for oc in range(og):
                        for a in range(kh):
                            for bb in range(kw):
                                full[bi, g * og + oc, i * stride[0] + a, j * stride[1] + bb] += x[bi, ci, i, j] * w[ci, oc, a, bb]
    out = full[:, :, pad[0]:pad[0] + oh, pad[1]:pad[1] + ow]
    return out + b.reshape(1, -1, 1, 1)


x = r(2, 4, 3, 4); w = r(4, 3, 3, 3); b = r(6)
add("conv_transpose2d", x=x, w=w, b=b, stride=[2, 2], padding=[1, 1], output_padding=[1, 0], groups=2,
    out=conv_transpose2d(x, w, b, (2, 2), (1, 1), (1, 0), 2))

# ---- normalisation -----------------------------------------------------------------------------------
x = r(3, 4, 2, 5); g = r(4); bt = r(4); rm = r(4); rv = np.abs(r(4)) + 0.5
mean = x.mean(axis=(0, 2, 3)); var = x.var(axis=(0, 2, 3)); n = x.size / 4
out_train = (x - mean.reshape(1, -1, 1, 1)) / np.sqrt(var.reshape(1, -1, 1, 1) + 1e-5) * g.reshape(1, -1, 1, 1) + bt.reshape(1, -1, 1, 1)
out_eval = (x - rm.reshape(1, -1, 1, 1)) / np.sqrt(rv.reshape(1, -1, 1, 1) + 1e-5) * g.reshape(1, -1, 1, 1) + bt.reshape(1, -1, 1, 1)
add("batch_norm", x=x, weight=g, bias=bt, running_mean=rm, running_var=rv, out_train=out_train, out_eval=out_eval,
    new_running_mean=0.9 * rm + 0.1 * mean, new_running_var=0.9 * rv + 0.1 * var * n / (n - 1))

x = r(2, 3, 8); g = r(8); bt = r(8)
mu = x.mean(-1, keepdims=True); va = x.var(-1, keepdims=True)
add("layer_norm", x=x, weight=g, bias=bt, out=(x - mu) / np.sqrt(va + 1e-5) * g + bt)

# ---- linear, matmul ------------------------------------------------------------------------------------
x = r(3, 5); w = r(4, 5); b = r(4)
add("linear", x=x, w=w, b=b, out=x @ w.T + b)

# ---- LSTM (2 layers, bidirectional, T x B x I) ------------------------------------------------------
def sigmoid(v):
    return 1 / (1 + np.exp(-v))


def lstm_dir(xs, wih, whh, bih, bhh):
    hsz = whh.shape[1]
    h = np.zeros((xs.shape[1], hsz)); c = np.zeros((xs.shape[1], hsz)); outs = []
    for t in range(xs.shape[0]):
        gates = xs[t] @ wih.T + bih + h @ whh.T + bhh
        i, f, gg, o = np.split(gates, 4, axis=1)
        c = sigmoid(f) * c + sigmoid(i) * np.tanh(gg)
        h = sigmoid(o) * np.tanh(c)
        outs.append(h)
    return np.stack(outs), h, c


T_, B_, I_, H_ = 5, 2, 3, 4
x = r(T_, B_, I_, scale=0.8)
params = []
inp = x
hs, cs = [], []
for layer in range(2):
    li = I_ if layer == 0 else 2 * H_
    dirs = []
    for d in range(2):
        p = [r(4 * H_, li, scale=0.5), r(4 * H_, H_, scale=0.5), r(4 * H_, scale=0.5), r(4 * H_, scale=0.5)]
        params += p
        seq = inp if d == 0 else inp[::-1]
        o, h, c = lstm_dir(seq, *p)
        dirs.append(o if d == 0 else o[::-1]); hs.append(h); cs.append(c)
    inp = np.concatenate(dirs, axis=2)
add("lstm", x=x, params=[{"shape": list(p.shape), "data": p.ravel().tolist()} for p in params],
    out=inp, h_n=np.stack(hs), c_n=np.stack(cs))

# ---- pooling, interpolation -----------------------------------------------------------------------------
x = r(1, 2, 5, 7)
xp = np.pad(x, ((0, 0), (0, 0), (1, 1), (0, 0)), constant_values=-np.inf)
mp = np.zeros((1, 2, 3, 3))
for i in range(3):
    for j in range(3):
        mp[:, :, i, j] = xp[:, :, i * 2:i * 2 + 3, j * 2:j * 2 + 3].max(axis=(2, 3))
ap = np.zeros((1, 2, 2, 3))
for i in range(2):
    for j in range(3):
        ap[:, :, i, j] = x[:, :, i * 2:i * 2 + 2, j * 2:j * 2 + 2].mean(axis=(2, 3))
aap = np.zeros((1, 2, 2, 3))
for i in range(2):
    for j in range(3):
        h0, h1 = (i * 5) // 2, math.ceil((i + 1) * 5 / 2)
        w0, w1 = (j * 7) // 3, math.ceil((j + 1) * 7 / 3)
        aap[:, :, i, j] = x[:, :, h0:h1, w0:w1].mean(axis=(2, 3))
add("pooling", x=x, max_pool_k3_s2_p10=mp, avg_pool_k2=ap, adaptive_avg_2x3=aap)

x = r(1, 1, 3, 4)
def bilinear(x, oh, ow):
    n, c, h, w = x.shape
    out = np.zeros((n, c, oh, ow))
    for i in range(oh):
        sy = max((i + 0.5) * h / oh - 0.5, 0); y0 = min(int(math.floor(sy)), h - 1); y1 = min(y0 + 1, h - 1); ly = sy - y0
        for j in range(ow):
            sx = max((j + 0.5) * w / ow - 0.5, 0); x0 = min(int(math.floor(sx)), w - 1); x1 = min(x0 + 1, w - 1); lx = sx - x0
            out[:, :, i, j] = (x[:, :, y0, x0] * (1 - ly) * (1 - lx) + x[:, :, y0, x1] * (1 - ly) * lx
                               + x[:, :, y1, x0] * ly * (1 - lx) + x[:, :, y1, x1] * ly * lx)
    return out
near = np.zeros((1, 1, 5, 6))
for i in range(5):
    for j in range(6):
        near[:, :, i, j] = x[:, :, min(int(math.floor(i * 3 / 5)), 2), min(int(math.floor(j * 4 / 6)), 3)]
add("interpolate", x=x, bilinear_5x6=bilinear(x, 5, 6), nearest_5x6=near)

# ---- activations, softmax, reductions --------------------------------------------------------------------
x = r(2, 6, scale=3)
relu6 = np.clip(x, 0, 6)
erf = np.vectorize(math.erf)
add("activations", x=x, relu=np.maximum(x, 0), relu6=relu6, hardswish=x * np.clip(x + 3, 0, 6) / 6,
    hardsigmoid=np.clip(x + 3, 0, 6) / 6, sigmoid=sigmoid(x), tanh=np.tanh(x), gelu=0.5 * x * (1 + erf(x / math.sqrt(2))),
    softmax1=np.exp(x) / np.exp(x).sum(1, keepdims=True),
    log_softmax1=x - np.log(np.exp(x).sum(1, keepdims=True)),
    logsumexp1=np.log(np.exp(x).sum(1)), sum0=x.sum(0), mean_all=np.array(x.mean()), max1=x.max(1), min0=x.min(0),
    argmax1=x.argmax(1).astype(np.float64), norm2_all=np.array(np.sqrt((x ** 2).sum())), norm1_1=np.abs(x).sum(1))

# ---- losses ------------------------------------------------------------------------------------------------
def ctc_nll(lp, target, T):
    ext = [0]
    for t in target:
        ext += [t, 0]
    S = len(ext)
    alpha = np.full(S, -np.inf)
    alpha[0] = lp[0, ext[0]]
    if S > 1:
        alpha[1] = lp[0, ext[1]]
    for t in range(1, T):
        new = np.full(S, -np.inf)
        for s in range(S):
            cands = [alpha[s]]
            if s >= 1:
                cands.append(alpha[s - 1])
            if s >= 2 and ext[s] != 0 and ext[s] != ext[s - 2]:
                cands.append(alpha[s - 2])
            m = max(cands)
            new[s] = (m + math.log(sum(math.exp(c - m) for c in cands)) if m > -np.inf else -np.inf) + lp[t, ext[s]]
        alpha = new
    end = [alpha[S - 1]] + ([alpha[S - 2]] if S > 1 else [])
    m = max(end)
    return -(m + math.log(sum(math.exp(e - m) for e in end)))


Tt, Bb, C = 6, 3, 5
logits = r(Tt, Bb, C)
lp = logits - np.log(np.exp(logits).sum(2, keepdims=True))
targets = np.array([[1, 2, 2, 0], [3, 1, 0, 0], [4, 4, 1, 2]])
tl = [3, 2, 4]; il = [6, 5, 6]
nll = [ctc_nll(lp[:, b, :], targets[b, :tl[b]].tolist(), il[b]) for b in range(Bb)]
add("ctc", log_probs=lp, targets=targets.astype(np.float64), input_lengths=il, target_lengths=tl,
    loss_none=np.array(nll), loss_mean=np.array(np.mean([n / t for n, t in zip(nll, tl)])), loss_sum=np.array(sum(nll)))

p = sigmoid(r(4, 3)); y = (rng.random((4, 3)) > 0.5).astype(np.float64); z = r(4, 3)
add("bce", p=p, y=y, z=z, bce=np.array(np.mean(-(y * np.log(p) + (1 - y) * np.log(1 - p)))),
    bce_logits=np.array(np.mean(np.maximum(z, 0) - z * y + np.log(1 + np.exp(-np.abs(z))))))
a = r(3, 4); bq = r(3, 4); d = a - bq
add("regression", a=a, b=bq, l1=np.array(np.abs(d).mean()),
    smooth_l1_beta05=np.array(np.where(np.abs(d) < 0.5, 0.5 * d ** 2 / 0.5, np.abs(d) - 0.25).mean()),
    mse=np.array((d ** 2).mean()))
lg = r(4, 5); tg = np.array([0, 3, 4, 1])
lsm = lg - np.log(np.exp(lg).sum(1, keepdims=True))
add("cross_entropy", logits=lg, target=tg.astype(np.float64), loss=np.array(-lsm[np.arange(4), tg].mean()))

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "reference.json"), "w") as f:
    json.dump(cases, f)
print("wrote", len(cases), "cases")
