"""Reference counts for DetectionMetricsParityTests: PaddleOCR's DetectionIoUEvaluator
(ppocr/metrics/eval_det_iou.py, restated here) with shapely, on random pages written to
det_metric_reference.json - turned boxes, jittered, split and merged detections, don't-care
regions, false detections and a few self-intersecting polygons.

Run: /tmp/dbref/bin/python make_det_metric_reference.py   (the venv of make_db_reference.py)
"""
import json
import math
import random

from shapely.geometry import Polygon


def evaluate(gts, dets, iou_limit=0.5, area_limit=0.5):
    """One page as PaddleOCR scores it: (care gt, care det, matched, [(gt, det, iou)]), indices
    into the given lists."""
    gt_pols, gt_index, gt_dontcare = [], [], []
    for i, (points, ignore) in enumerate(gts):
        p = Polygon(points)
        if not p.is_valid or not p.is_simple:
            continue
        gt_pols.append(p)
        gt_index.append(i)
        if ignore:
            gt_dontcare.append(len(gt_pols) - 1)
    det_pols, det_index, det_dontcare = [], [], []
    for i, points in enumerate(dets):
        p = Polygon(points)
        if not p.is_valid or not p.is_simple:
            continue
        det_pols.append(p)
        det_index.append(i)
        for g in gt_dontcare:
            inter = gt_pols[g].intersection(p).area
            if (0 if p.area == 0 else inter / p.area) > area_limit:
                det_dontcare.append(len(det_pols) - 1)
                break
    pairs = []
    gt_used = [False] * len(gt_pols)
    det_used = [False] * len(det_pols)
    for g in range(len(gt_pols)):
        for d in range(len(det_pols)):
            if gt_used[g] or det_used[d] or g in gt_dontcare or d in det_dontcare:
                continue
            iou = gt_pols[g].intersection(det_pols[d]).area / gt_pols[g].union(det_pols[d]).area
            if iou > iou_limit:
                gt_used[g] = det_used[d] = True
                pairs.append([gt_index[g], det_index[d], iou])
    return len(gt_pols) - len(gt_dontcare), len(det_pols) - len(det_dontcare), len(pairs), pairs


def box(cx, cy, w, h, deg):
    a = math.radians(deg)
    c, s = math.cos(a), math.sin(a)
    return [[round(cx + x * c - y * s, 2), round(cy + x * s + y * c, 2)]
            for x, y in [(-w / 2, -h / 2), (w / 2, -h / 2), (w / 2, h / 2), (-w / 2, h / 2)]]


def page(rng):
    gts, dets = [], []
    for k in range(rng.randint(0, 7)):
        cx, cy = rng.uniform(40, 600), rng.uniform(20, 460)
        w, h, deg = rng.uniform(20, 160), rng.uniform(8, 40), rng.choice([0, 0, rng.uniform(-30, 30)])
        gts.append((box(cx, cy, w, h, deg), rng.random() < 0.15))
        kind = rng.random()
        if kind < 0.55:      # found, jittered
            dets.append(box(cx + rng.uniform(-6, 6), cy + rng.uniform(-4, 4), w * rng.uniform(0.7, 1.3),
                            h * rng.uniform(0.7, 1.3), deg + rng.uniform(-8, 8)))
        elif kind < 0.7:     # split in two
            dx, dy = math.cos(math.radians(deg)) * w / 4, math.sin(math.radians(deg)) * w / 4
            dets.append(box(cx - dx, cy - dy, w / 2 * rng.uniform(0.9, 1.1), h, deg))
            dets.append(box(cx + dx, cy + dy, w / 2 * rng.uniform(0.9, 1.1), h, deg))
        elif kind < 0.8:     # found twice
            dets.append(box(cx, cy, w, h, deg))
            dets.append(box(cx + 2, cy + 1, w, h, deg))
        # else missed
    if gts and rng.random() < 0.3:    # one detection over two regions
        (a, _), (b, _) = gts[0], gts[-1]
        xs = [p[0] for p in a + b]; ys = [p[1] for p in a + b]
        dets.append([[min(xs), min(ys)], [max(xs), min(ys)], [max(xs), max(ys)], [min(xs), max(ys)]])
    for _ in range(rng.randint(0, 2)):  # false detections
        dets.append(box(rng.uniform(40, 600), rng.uniform(20, 460), rng.uniform(20, 100), rng.uniform(8, 30), 0))
    if rng.random() < 0.15:             # self-intersecting (dropped)
        dets.append([[0, 0], [50, 30], [50, 0], [0, 30]])
    if rng.random() < 0.1:
        gts.append(([[300, 300], [360, 340], [360, 300], [300, 340]], False))
    rng.shuffle(dets)
    return gts, dets


def main():
    rng = random.Random(11)
    pages = []
    for n in range(40):
        gts, dets = page(rng)
        gc, dc, m, pairs = evaluate(gts, dets)
        pages.append({"ground_truth": [{"points": p, "transcription": "###" if ig else "text"} for p, ig in gts],
                      "predictions": dets, "gt_care": gc, "det_care": dc, "matched": m, "pairs": pairs})
    with open("det_metric_reference.json", "w") as f:
        json.dump({"pages": pages}, f)
    total = [sum(p[k] for p in pages) for k in ("gt_care", "det_care", "matched")]
    print("pages", len(pages), "gt care, det care, matched:", total)


if __name__ == "__main__":
    main()
