"""RapidOCR 3.10.0 (`rapidocr`, from .deps/pyvenv-rapidocr3: scripts/test-venv.sh --rapidocr3) on
page images with the models in its wheel - PP-OCRv6 small det and rec, and the v2.0 angle
classifier (ch_ppocr_mobile_v2.0_cls_mobile.onnx, byte for byte the
ch_ppocr_mobile_v2.0_cls_infer.onnx setup.sh takes from rapidocr-onnxruntime 1.4.4, so both
pipelines run the same classifier) - set to PaddleOCR's inference defaults as OCRKit's PageReader
runs them, the same as rapidocr_pages.py sets RapidOCR 1.4.4:

- det: limit_side_len 960, limit_type max, ImageNet mean/std (RapidOCR 3.x's own defaults are
  736/min, 0.5/0.5, box_thresh 0.5, unclip_ratio 1.6 and dilation), thresh 0.3, box_thresh 0.6,
  unclip_ratio 1.5, no dilation, fast score;
- cls: 3x48x192, threshold 0.9, batch 6; rec: 3x48x320, batch 6 (RapidOCR's defaults);
- text_score (drop_score) 0.5;
- RapidOCR 3.x's own page steps, which PaddleOCR's TextSystem does not have, off: the resize into
  30...2000 px (`use_preprocess_img`) and the white band added above and below short or very
  wide pages (`use_vertical_padding`);
- reading order: PaddleOCR's `sorted_boxes` (tools/infer/predict_system.py; RapidOCR 1.4.4's and
  PaddleOCR 3.x's - PaddleX's `SortQuadBoxes` - are the same) in place of RapidOCR 3.x's NumPy
  rewrite of it (`TextDetector.sorted_boxes`), which is not equivalent: it makes one row of every
  chain of boxes whose tops are each within 10 px of the next, so on pages with several columns or
  slanted blocks a row takes in boxes well over 10 px lower and may read them first (2 of the
  test's 7 pages: the same lines and texts, in another order). Everything else is RapidOCR
  3.10.0's own code.

usage: rapidocr3_pages.py PAGE.png... -> JSON on stdout, as rapidocr_pages.py: {"version": str,
"pages": {"PAGE.png": [{"box": [[x, y] x 4], "text": str, "score": float}, ...]}} in RapidOCR's
(PaddleOCR's sorted_boxes) order.
"""
import json
import sys
from importlib.metadata import version

import numpy as np
from rapidocr import RapidOCR
from rapidocr.ch_ppocr_det import TextDetector


def paddle_sorted_boxes(dt_boxes):
    """PaddleOCR's sorted_boxes: by the first corner's (y, x), then each box walked back past
    earlier ones whose first corner is less than 10 px higher and further right."""
    boxes = sorted(dt_boxes, key=lambda b: (b[0][1], b[0][0]))
    for i in range(len(boxes) - 1):
        for j in range(i, -1, -1):
            if abs(boxes[j + 1][0][1] - boxes[j][0][1]) < 10 and boxes[j + 1][0][0] < boxes[j][0][0]:
                boxes[j], boxes[j + 1] = boxes[j + 1], boxes[j]
            else:
                break
    return np.array(boxes)


def make_engine(threads=2):
    """RapidOCR 3.10.0 set as above (scripts/bench_rapidocr.py --rapidocr3 times the same engine)."""
    TextDetector.sorted_boxes = staticmethod(paddle_sorted_boxes)
    return RapidOCR(params={
        "Det.limit_side_len": 960, "Det.limit_type": "max",
        "Det.mean": [0.485, 0.456, 0.406], "Det.std": [0.229, 0.224, 0.225],
        "Det.thresh": 0.3, "Det.box_thresh": 0.6, "Det.unclip_ratio": 1.5, "Det.use_dilation": False,
        "Det.score_mode": "fast", "Global.text_score": 0.5, "Global.log_level": "error",
        "Global.use_preprocess_img": False, "Global.use_vertical_padding": False,
        "EngineConfig.onnxruntime.intra_op_num_threads": threads,
        "EngineConfig.onnxruntime.inter_op_num_threads": 1,
    })


def main(paths):
    engine = make_engine()
    out = {}
    for path in paths:
        result = engine(path)
        boxes = [] if result.boxes is None else result.boxes
        out[path] = [{"box": [[float(v) for v in p] for p in box], "text": text, "score": float(score)}
                     for box, text, score in zip(boxes, result.txts or (), result.scores or ())]
    json.dump({"version": "rapidocr " + version("rapidocr"), "pages": out}, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1:])
