"""RapidOCR's page pipeline timed the way `ocr-bench pipeline` times OCRKit's, on the same page
files, then both side by side (scripts/bench-rapidocr.sh runs the two in one go).

- RapidOCR 1.4.4 (`rapidocr-onnxruntime`, PP-OCRv4 det + v2.0 cls + v4 rec) is set to PaddleOCR's
  inference defaults exactly as the parity test sets it (Tests/OCRInferenceTests/Python/
  rapidocr_pages.py, `make_engine`), so both pipelines read the same boxes and texts.
- `--rapidocr3`: RapidOCR 3.10.0 (`rapidocr`, its own default models: PP-OCRv6 small det + rec and
  its v2.0 cls), set as the PP-OCRv6 parity test sets it (rapidocr3_pages.py, `make_engine`).

Pages are decoded once up front (cv2, BGR): decoding is not timed, as `ocr-bench` times decoded
pages too. One untimed warm-up pass over the first 3 pages, then `rounds` passes one page at a
time (ms per page from the wall clock around each call; per stage from RapidOCR's own
elapse list: det, cls, rec), then `rounds` passes with 2 threads sharing the engine (pages/s).
Peak RSS is the process's (ru_maxrss).

usage: bench_rapidocr.py --pages DIR [--threads N] [--rounds R] [--ocrkit OCRKIT.json] [--rapidocr3]
prints RapidOCR's figures and, with --ocrkit (ocr-bench pipeline's results file), both side by
side with OCRKit / RapidOCR ratios; writes RapidOCR's figures as JSON to --out if given.
"""
import argparse
import json
import os
import resource
import sys
import threading
import time
from importlib.metadata import version

import cv2

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "Tests", "OCRInferenceTests", "Python"))

EXTENSIONS = (".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".webp", ".pbm", ".pgm", ".ppm")


def engine_v1(threads):
    from rapidocr_pages import make_engine  # the parity test's settings
    return make_engine(threads=threads), "rapidocr-onnxruntime " + version("rapidocr-onnxruntime")


def engine_v3(threads):
    from rapidocr3_pages import make_engine  # the PP-OCRv6 parity test's settings
    return make_engine(threads=threads), "rapidocr " + version("rapidocr")


def read_page(engine, image, v3):
    """(lines read, [det, cls, rec] seconds) for one page."""
    if v3:
        out = engine(image)
        return len(out.txts or ()), [v or 0.0 for v in out.elapse_list]
    result, elapse = engine(image)
    return len(result or ()), list(elapse or [0.0, 0.0, 0.0])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", required=True)
    ap.add_argument("--threads", type=int, default=0, help="ONNX Runtime intra-op threads (0: its default)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--ocrkit", help="ocr-bench pipeline's results JSON, for the side-by-side table")
    ap.add_argument("--out", help="write RapidOCR's figures here as JSON")
    ap.add_argument("--rapidocr3", action="store_true", help="RapidOCR 3.x (PP-OCRv6 small) instead of 1.4.4 (PP-OCRv4)")
    a = ap.parse_args()

    files = sorted(os.path.join(a.pages, f) for f in os.listdir(a.pages) if f.lower().endswith(EXTENSIONS))
    if not files:
        sys.exit(f"bench_rapidocr: no page images in {a.pages}")
    images = []
    for f in files:
        image = cv2.imread(f, cv2.IMREAD_COLOR)
        if image is None:
            sys.exit(f"bench_rapidocr: {f}: not an image cv2 can decode")
        images.append(image)
    threads = a.threads if a.threads > 0 else -1
    engine, name = engine_v3(threads) if a.rapidocr3 else engine_v1(threads)

    for image in images[:3]:
        read_page(engine, image, a.rapidocr3)

    stages, lines, n = [0.0, 0.0, 0.0], 0, len(images) * a.rounds
    t0 = time.perf_counter()
    for _ in range(a.rounds):
        for image in images:
            k, elapse = read_page(engine, image, a.rapidocr3)
            lines += k
            stages = [s + e for s, e in zip(stages, elapse)]
    serial = time.perf_counter() - t0

    # Two threads take pages in turn from one list, sharing the engine (ONNX Runtime sessions
    # allow concurrent runs; the Python between them holds the GIL).
    lock, state = threading.Lock(), {"next": 0, "seconds": 0.0}

    def worker():
        while True:
            with lock:
                i = state["next"]
                state["next"] += 1
            if i >= n:
                return
            t = time.perf_counter()
            read_page(engine, images[i % len(images)], a.rapidocr3)
            with lock:
                state["seconds"] += time.perf_counter() - t

    t0 = time.perf_counter()
    workers = [threading.Thread(target=worker) for _ in range(2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    concurrent = time.perf_counter() - t0

    figures = {
        "ms_per_page": serial * 1000 / n, "det_ms": stages[0] * 1000 / n, "cls_ms": stages[1] * 1000 / n,
        "rec_ms": stages[2] * 1000 / n, "pages_per_s_1": n / serial, "pages_per_s_2": n / concurrent,
        "ms_per_page_2": state["seconds"] * 1000 / n, "lines_per_page": lines / n,
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    if a.out:
        with open(a.out, "w") as f:
            json.dump({"version": name, **figures}, f, indent=1, sort_keys=True)

    print(f"\n{name} ({'default' if a.threads == 0 else a.threads} intra-op threads), {len(images)} pages x {a.rounds} rounds")
    rows = [("ms/page (1 at a time)", "ms_per_page", True), ("  det ms", "det_ms", True), ("  cls ms", "cls_ms", True),
            ("  rec ms", "rec_ms", True), ("pages/s, 1 concurrent", "pages_per_s_1", False),
            ("pages/s, 2 concurrent", "pages_per_s_2", False), ("ms/page, 2 concurrent", "ms_per_page_2", True),
            ("lines/page", "lines_per_page", None), ("peak RSS MiB", "peak_rss_mib", True)]
    ours = None
    if a.ocrkit:
        with open(a.ocrkit) as f:
            ours = json.load(f)
    print(f"{'':24} {'OCRKit':>10} {'RapidOCR':>10} {'OCRKit/RapidOCR':>16}" if ours else f"{'':24} {'RapidOCR':>10}")
    for label, key, lower_is_better in rows:
        theirs = figures[key]
        if ours is None:
            print(f"{label:24} {theirs:10.2f}")
            continue
        mine = ours.get(key)
        ratio = f"{mine / theirs:15.2f}x" if mine is not None and theirs else f"{'-':>16}"
        better = "" if lower_is_better is None or mine is None else (
            " (OCRKit faster)" if (mine < theirs) == lower_is_better and key != "peak_rss_mib" else "")
        print(f"{label:24} {mine if mine is not None else float('nan'):10.2f} {theirs:10.2f} {ratio}{better}")
    if ours:
        print("ratios: OCRKit's figure over RapidOCR's (below 1 is faster for ms, above 1 for pages/s); same pages, same run")


if __name__ == "__main__":
    main()
