"""RapidOCR 1.4.4 (the reference page pipeline, from the venv of scripts/test-venv.sh) on page
images, set to PaddleOCR's inference defaults as OCRKit's PageReader runs them:

- det: limit_side_len 960, limit_type max, ImageNet mean/std (RapidOCR's own defaults are 736/min
  and 0.5/0.5), thresh 0.3, box_thresh 0.6, unclip_ratio 1.5, no dilation, fast score;
- cls: v2.0 angle classifier, 3x48x192, threshold 0.9, batch 6; rec: PP-OCRv4, batch 6;
- text_score (drop_score) 0.5.

RapidOCR's size-dependent limit (960 / 1500 / 2000 for limit_type max) equals PaddleOCR's 960 for
pages whose longer side is under 960 px, so callers keep pages below that.

usage: rapidocr_pages.py PAGE.png... -> JSON on stdout: {"PAGE.png": [{"box": [[x, y] x 4],
"text": str, "score": float}, ...]} in RapidOCR's (sorted_boxes) order.
"""
import json
import sys

import rapidocr_onnxruntime
from rapidocr_onnxruntime import RapidOCR


def make_engine(threads=2):
    """RapidOCR 1.4.4 set as above (scripts/bench_rapidocr.py times the same engine)."""
    return RapidOCR(
        det_limit_side_len=960, det_limit_type="max",
        det_mean=[0.485, 0.456, 0.406], det_std=[0.229, 0.224, 0.225],
        det_thresh=0.3, det_box_thresh=0.6, det_unclip_ratio=1.5, det_use_dilation=False, det_score_mode="fast",
        text_score=0.5, intra_op_num_threads=threads, inter_op_num_threads=1,
    )


def main(paths):
    engine = make_engine()
    out = {}
    for path in paths:
        result, _ = engine(path)
        out[path] = [{"box": [[float(v) for v in p] for p in box], "text": text, "score": float(score)}
                     for box, text, score in (result or [])]
    json.dump({"version": rapidocr_onnxruntime.__name__ + " " + _version(), "pages": out}, sys.stdout)


def _version():
    from importlib.metadata import version
    return version("rapidocr-onnxruntime")


if __name__ == "__main__":
    main(sys.argv[1:])
