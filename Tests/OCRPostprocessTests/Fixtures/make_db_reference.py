"""Reference boxes for DBPostProcessParityTests: PaddleOCR's DB post-processing
(ppocr/postprocess/db_postprocess.py, restated here) run on db_map.png with OpenCV, pyclipper
and shapely, written to db_reference.json.

Run (OpenCV pinned to Debian 12's 4.6, the one OCRKit links):
    python3 -m venv /tmp/dbref
    /tmp/dbref/bin/pip install "numpy<2" opencv-python-headless==4.6.0.66 pyclipper shapely
    /tmp/dbref/bin/python make_db_reference.py
"""
import json

import cv2
import numpy as np
import pyclipper
from shapely.geometry import Polygon

W, H = 320, 240


def make_map():
    """Soft blobs of several shapes and strengths, blurred, with noise; stored as 8-bit."""
    rng = np.random.default_rng(7)
    m = np.zeros((H, W), np.float32)

    def fill(points, value):
        cv2.fillPoly(m, [np.round(np.array(points)).astype(np.int32)], float(value))

    def rotated(cx, cy, w, h, deg):
        return cv2.boxPoints(((cx, cy), (w, h), deg))

    fill([[10, 10], [120, 10], [120, 30], [10, 30]], 0.95)            # a line
    fill(rotated(200, 40, 110, 18, 12), 0.9)                            # turned
    fill(rotated(80, 110, 130, 22, -28), 0.85)                          # turned the other way
    fill([[230, 90], [300, 90], [300, 100], [230, 100]], 0.55)          # weak
    fill([[150, 200], [153, 200], [153, 202], [150, 202]], 0.9)         # speck
    # A curved band (text on an arc).
    arc = [(190 + 60 * np.cos(a), 250 + 60 * np.sin(a)) for a in np.linspace(-2.3, -0.8, 24)]
    inner = [(190 + 44 * np.cos(a), 250 + 44 * np.sin(a)) for a in np.linspace(-0.8, -2.3, 24)]
    fill(arc + inner, 0.8)
    # A ring: an outer and an inner (hole) contour.
    cv2.circle(m, (270, 190), 26, 0.9, thickness=9)
    # Two boxes two pixels apart (blurred, they almost touch).
    fill([[10, 205], [50, 205], [50, 228], [10, 228]], 0.9)
    fill([[53, 205], [95, 205], [95, 228], [53, 228]], 0.9)
    m = cv2.GaussianBlur(m, (0, 0), 1.0)
    m = np.clip(m + rng.uniform(0, 0.05, m.shape).astype(np.float32), 0, 1)
    return np.round(m * 255).astype(np.uint8)


def mini_box(contour):
    rect = cv2.minAreaRect(contour)
    pts = sorted(list(cv2.boxPoints(rect)), key=lambda p: p[0])
    a, d = (0, 1) if pts[1][1] > pts[0][1] else (1, 0)
    b, c = (2, 3) if pts[3][1] > pts[2][1] else (3, 2)
    return [pts[a], pts[b], pts[c], pts[d]], min(rect[1])


def mean_under(pred, poly, truncate):
    h, w = pred.shape
    poly = np.array(poly).reshape(-1, 2).copy()
    if truncate:   # box_score_fast
        x0 = int(np.clip(np.floor(poly[:, 0].min()), 0, w - 1)); x1 = int(np.clip(np.ceil(poly[:, 0].max()), 0, w - 1))
        y0 = int(np.clip(np.floor(poly[:, 1].min()), 0, h - 1)); y1 = int(np.clip(np.ceil(poly[:, 1].max()), 0, h - 1))
    else:          # box_score_slow
        x0 = int(np.clip(poly[:, 0].min(), 0, w - 1)); x1 = int(np.clip(poly[:, 0].max(), 0, w - 1))
        y0 = int(np.clip(poly[:, 1].min(), 0, h - 1)); y1 = int(np.clip(poly[:, 1].max(), 0, h - 1))
    mask = np.zeros((y1 - y0 + 1, x1 - x0 + 1), np.uint8)
    poly[:, 0] = poly[:, 0] - x0
    poly[:, 1] = poly[:, 1] - y0
    cv2.fillPoly(mask, poly.reshape(1, -1, 2).astype(np.int32), 1)
    return cv2.mean(pred[y0:y1 + 1, x0:x1 + 1], mask)[0]


def unclip(points, ratio):
    poly = Polygon(points)
    off = pyclipper.PyclipperOffset()
    off.AddPath(points, pyclipper.JT_ROUND, pyclipper.ET_CLOSEDPOLYGON)
    return off.Execute(poly.area * ratio / poly.length)


def db(pred, o, src_w, src_h):
    bitmap = (pred > o["thresh"]).astype(np.uint8)
    if o["use_dilation"]:
        bitmap = cv2.dilate(bitmap, np.array([[1, 1], [1, 1]]))
    contours, _ = cv2.findContours(bitmap * 255, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
    h, w = bitmap.shape
    out = []
    for contour in contours[:o["max_candidates"]]:
        if o["box_type"] == "quad":
            points, sside = mini_box(contour)
            if sside < 3:
                continue
            points = np.array(points)
            score = mean_under(pred, points, True) if o["score_mode"] == "fast" else mean_under(pred, contour, False)
            if o["box_thresh"] > score:
                continue
            grown = unclip(points, o["unclip_ratio"])
            if len(grown) != 1:
                continue
            box, sside = mini_box(np.array(grown[0]).reshape(-1, 1, 2).astype(np.float32))
            if sside < 3 + 2:
                continue
            box = np.array(box)
        else:
            approx = cv2.approxPolyDP(contour, 0.002 * cv2.arcLength(contour, True), True).reshape(-1, 2)
            if approx.shape[0] < 4:
                continue
            score = mean_under(pred, approx, True)
            if o["box_thresh"] > score:
                continue
            grown = unclip(approx, o["unclip_ratio"])
            if len(grown) != 1:
                continue
            box = np.array(grown[0]).reshape(-1, 2).astype(np.float32)
            _, sside = mini_box(box.reshape(-1, 1, 2))
            if sside < 3 + 2:
                continue
        box[:, 0] = np.clip(np.round(box[:, 0] / w * src_w), 0, src_w)
        box[:, 1] = np.clip(np.round(box[:, 1] / h * src_h), 0, src_h)
        out.append({"points": box.astype(np.int32).tolist(), "score": float(score)})
    return out


def main():
    png = make_map()
    cv2.imwrite("db_map.png", png)
    pred = cv2.imread("db_map.png", cv2.IMREAD_GRAYSCALE).astype(np.float32) / np.float32(255)
    base = dict(thresh=0.3, box_thresh=0.6, max_candidates=1000, unclip_ratio=1.5, score_mode="fast",
                box_type="quad", use_dilation=False)
    cases = [
        ("quad fast", {}, (W, H)),
        ("quad slow, rescaled", dict(score_mode="slow", box_thresh=0.5), (1000, 700)),
        ("poly", dict(box_type="poly", unclip_ratio=2.0), (640, 480)),
        ("dilated, 6 candidates", dict(use_dilation=True, max_candidates=6), (W, H)),
    ]
    doc = {"map": "db_map.png", "cases": []}
    for name, changes, (sw, sh) in cases:
        o = dict(base, **changes)
        doc["cases"].append({"name": name, "options": o, "source_width": sw, "source_height": sh, "boxes": db(pred, o, sw, sh)})
        print(name, len(doc["cases"][-1]["boxes"]), "boxes")
    with open("db_reference.json", "w") as f:
        json.dump(doc, f, indent=1)


if __name__ == "__main__":
    main()
