"""The page `ocr serve` serves at GET / in a real headless browser: Debian's chromium driven by
Selenium (the venv of scripts/test-venv.sh) through Debian's chromedriver.

For each case it loads the page, chooses the image in the file input (`#file`), waits until
`#status` reads `done: N lines` (or `error: ...`), and checks what a person would see:

- the texts listed in `#result` (spaces ignored, PP-OCRv4 drops some between Latin words): as many
  lines as `expected`, in the same order, and at least `min_exact` of them equal to it;
- the canvas (`#canvas`): the image's size, and the box of every line the server returned for
  the same bytes (POST /ocr) drawn over it: stroke-coloured pixels at each of its edges' midpoints.

usage: webpage_test.py URL CASES.json, CASES.json = [{"image": path, "expected": [text, ...],
"min_exact": n}, ...]. Prints one line per case; exits 1 naming what differed, 2 when chromium or
chromedriver is missing (run scripts/setup.sh). Run by OCRServeTests.WebPageBrowserTests.
"""
import base64
import json
import os
import sys
import urllib.request

import cv2
import numpy as np

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
# WebPage.swift's strokeStyle '#e0245e' (BGR once decoded by OpenCV), with room for antialiasing.
STROKE_BGR = np.array([0x5E, 0x24, 0xE0])


def fail(message):
    print(f"webpage_test: {message}", file=sys.stderr)
    sys.exit(1)


def browser():
    """Headless chromium; the driver path is given so Selenium Manager never downloads one."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,1000"):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)


def server_regions(url, image):
    """The boxes the server returns for the image's bytes (what the page should draw)."""
    with open(image, "rb") as f:
        request = urllib.request.Request(url.rstrip("/") + "/ocr", data=f.read(),
                                         headers={"Content-Type": "application/octet-stream"})
    with urllib.request.urlopen(request, timeout=120) as response:
        return [line["text_region"] for line in json.load(response)["results"]]


def outlined(mask, region):
    """True when stroke pixels lie within 3 px of the midpoint of each of the region's 4 edges."""
    h, w = mask.shape
    for k in range(4):
        (x0, y0), (x1, y1) = region[k], region[(k + 1) % 4]
        x, y = int(round((x0 + x1) / 2)), int(round((y0 + y1) / 2))
        if not mask[max(0, y - 3):min(h, y + 4), max(0, x - 3):min(w, x + 4)].any():
            return False
    return True


def check(driver, url, case):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    image = os.path.abspath(case["image"])
    expected = case["expected"]
    driver.get(url)
    driver.find_element(By.ID, "file").send_keys(image)
    status = WebDriverWait(driver, 120).until(
        lambda d: (s := d.find_element(By.ID, "status").text).startswith(("done:", "error:")) and s)
    if not status.startswith("done:"):
        fail(f"{image}: the page shows '{status}'")
    # Each li is the line's text then a span with its confidence.
    shown = driver.execute_script(
        "return Array.from(document.querySelectorAll('#result li')).map(li => li.firstChild.textContent)")
    if status != f"done: {len(shown)} lines":
        fail(f"{image}: status '{status}' but {len(shown)} lines listed")
    squash = lambda s: "".join(s.split())
    if len(shown) != len(expected):
        fail(f"{image}: {len(shown)} lines shown, {len(expected)} expected\n  shown:    {shown}\n  expected: {expected}")
    exact = sum(squash(a) == squash(b) for a, b in zip(shown, expected))
    if exact < case["min_exact"]:
        wrong = [(a, b) for a, b in zip(shown, expected) if squash(a) != squash(b)]
        fail(f"{image}: {exact} of {len(expected)} lines shown as expected (at least {case['min_exact']}); "
             f"shown vs expected: {wrong}")

    data_url = driver.execute_script("return document.getElementById('canvas').toDataURL('image/png')")
    canvas = cv2.imdecode(np.frombuffer(base64.b64decode(data_url.split(",", 1)[1]), np.uint8), cv2.IMREAD_COLOR)
    page = cv2.imread(image, cv2.IMREAD_COLOR)
    if canvas is None or canvas.shape != page.shape:
        fail(f"{image}: canvas {None if canvas is None else canvas.shape[:2]} is not the image's size {page.shape[:2]}")
    mask = (np.abs(canvas.astype(int) - STROKE_BGR).max(axis=2) < 60) & \
           (np.abs(page.astype(int) - STROKE_BGR).max(axis=2) >= 60)
    regions = server_regions(url, image)
    boxes = sum(outlined(mask, r) for r in regions)
    if len(regions) != len(shown) or boxes != len(regions):
        fail(f"{image}: {boxes} boxes drawn of the server's {len(regions)} regions, {len(shown)} lines listed")
    print(f"{os.path.basename(image)}: {len(shown)} lines shown, {exact} as expected (at least {case['min_exact']}), "
          f"{boxes} boxes drawn on a {page.shape[1]}x{page.shape[0]} canvas")


def main():
    if len(sys.argv) != 3:
        fail("usage: webpage_test.py URL CASES.json")
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not os.access(p, os.X_OK)]
    if missing:
        print(f"webpage_test: {' and '.join(missing)} missing: run scripts/setup.sh "
              "(it installs Debian's chromium and chromium-driver)", file=sys.stderr)
        sys.exit(2)
    url = sys.argv[1]
    with open(sys.argv[2]) as f:
        cases = json.load(f)
    driver = browser()
    try:
        for case in cases:
            check(driver, url, case)
    finally:
        driver.quit()


if __name__ == "__main__":
    main()
