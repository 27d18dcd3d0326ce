"""The table of scripts/bench-serve.sh, from the `ocr-bench serve --results` files it wrote.

usage: bench_serve_report.py DIR RSS_REQUESTS. DIR holds ocr-batching.json, ocr-no-batching.json,
rapidocr.json (each a list of runs: concurrency, requestsPerSecond, p50Ms, p99Ms, failures,
serverRSSMiBAfter), reload.json with reload-N.json / reload-N.status, and rss-1.json /
rss-10.json; a part whose files are missing was skipped and is left out. Standard library only.
Prints the throughput/latency table with ocr serve / rapidocr_api ratios (target: >= 2x the
requests/s at <= 0.5x the p99), the reload under load, and the resident memory after N and 10N
requests (target: within 5%). Exits 1 when a run failed requests (every part is still printed).
"""
import json
import os
import sys


def load(path):
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return json.load(f)


def main():
    folder, rss_requests = sys.argv[1], int(sys.argv[2])
    sides = [(name, load(os.path.join(folder, f + ".json")))
             for name, f in (("ocr serve, batching", "ocr-batching"), ("ocr serve, no batching", "ocr-no-batching"),
                             ("rapidocr_api", "rapidocr"))]
    sides = [(name, {r["concurrency"]: r for r in runs}) for name, runs in sides if runs]
    failed = 0
    print("\n| concurrency | server | requests/s | p50 ms | p99 ms | failed | vs rapidocr_api: throughput | p99 |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|")
    reference = dict(sides).get("rapidocr_api", {})
    for c in sorted({c for _, runs in sides for c in runs}):
        for name, runs in sides:
            r = runs.get(c)
            if r is None:
                continue
            n_failed = sum(r["failures"].values())
            failed += n_failed
            ratio = ""
            ref = reference.get(c)
            if ref and name != "rapidocr_api" and ref["requestsPerSecond"] > 0 and ref["p99Ms"] > 0:
                throughput = r["requestsPerSecond"] / ref["requestsPerSecond"]
                p99 = r["p99Ms"] / ref["p99Ms"]
                ok = "ok" if throughput >= 2 and p99 <= 0.5 else "below target"
                ratio = f" {throughput:.2f}x (>= 2x) | {p99:.2f}x (<= 0.5x) {ok} |"
            else:
                ratio = " | |"
            print(f"| {c} | {name} | {r['requestsPerSecond']:.2f} | {r['p50Ms']:.1f} | {r['p99Ms']:.1f} | {n_failed} |{ratio}")

    reload_runs = load(os.path.join(folder, "reload.json"))
    if reload_runs:
        r = reload_runs[0]
        n_failed = sum(r["failures"].values())
        failed += n_failed
        answers = []
        for i in (1, 2, 3):
            status_file = os.path.join(folder, f"reload-{i}.status")
            if os.path.exists(status_file):
                body = load(os.path.join(folder, f"reload-{i}.json")) or {}
                answers.append(f"{open(status_file).read().strip()} switched={body.get('switched')}")
        print(f"\nreload under load: {r['requests']} requests at concurrency {r['concurrency']}, {n_failed} failed "
              f"(must be 0) {r['failures'] or ''}; reloads: {', '.join(answers) or 'none sent'}")

    first, tenth = load(os.path.join(folder, "rss-1.json")), load(os.path.join(folder, "rss-10.json"))
    if first and tenth:
        a, b = first[0]["serverRSSMiBAfter"], tenth[0]["serverRSSMiBAfter"]
        failed += sum(first[0]["failures"].values()) + sum(tenth[0]["failures"].values())
        change = (b - a) / a * 100
        print(f"\nresident memory: {a:.1f} MiB after {rss_requests} requests, {b:.1f} MiB after {10 * rss_requests}: "
              f"{change:+.1f}% ({'within' if abs(change) <= 5 else 'beyond'} 5%)")
    if failed:
        print(f"\n{failed} requests failed", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
