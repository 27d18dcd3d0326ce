"""The table of scripts/bench-serve.sh, from the `ocr-bench serve --results` files it wrote.

usage: bench_serve_report.py DIR RSS_REQUESTS. DIR holds ocr-batching.json, ocr-no-batching.json,
rapidocr.json, reload.json, rss-1.json and rss-10.json, each `{"runs": [...], "reload": {...}}`
(runs: concurrency, requestsPerSecond, p50Ms, p99Ms, failures, serverRSSMiBAfter; reload, from
`--reloads`: reloads, switched, load, serverRSSMiBBefore/After, generationsAlive); a part whose
file is missing was skipped and is left out. Standard library only.
Prints the throughput/latency table with ocr serve / rapidocr_api ratios (target: >= 2x the
requests/s at <= 0.5x the p99), the reloads under load (RSS after them against after warm-up,
and the model generations still alive: must be 1), and the resident memory after N and 10N
requests (target: within 5%). Exits 1 when a request or reload failed or an old model generation
stayed alive (every part is still printed).
"""
import json
import os
import sys


def load(path):
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return json.load(f)


def runs(folder, name):
    """The runs of `ocr-bench serve --results` in DIR/NAME.json (None when that part was skipped)."""
    output = load(os.path.join(folder, name + ".json"))
    return output["runs"] if output else None


def main():
    folder, rss_requests = sys.argv[1], int(sys.argv[2])
    sides = [(name, runs(folder, f))
             for name, f in (("ocr serve, batching", "ocr-batching"), ("ocr serve, no batching", "ocr-no-batching"),
                             ("rapidocr_api", "rapidocr"))]
    sides = [(name, {r["concurrency"]: r for r in side}) for name, side in sides if side]
    failed = 0
    print("\n| concurrency | server | requests/s | p50 ms | p99 ms | failed | vs rapidocr_api: throughput | p99 |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|")
    reference = dict(sides).get("rapidocr_api", {})
    for c in sorted({c for _, side in sides for c in side}):
        for name, side in sides:
            r = side.get(c)
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

    reload = (load(os.path.join(folder, "reload.json")) or {}).get("reload")
    if reload:
        r = reload["load"]
        n_failed = sum(r["failures"].values())
        not_switched = reload["reloads"] - reload["switched"]
        failed += n_failed + not_switched
        before, after = reload["serverRSSMiBBefore"], reload["serverRSSMiBAfter"]
        alive = reload.get("generationsAlive")
        if alive is not None and alive > 1:
            print(f"\n{alive:.0f} model generations alive after the reloads: a replaced model set was not freed", file=sys.stderr)
            failed += 1
        print(f"\nreloads under load: {reload['reloads']} reloads ({reload['switched']} switched) while {r['requests']} requests ran "
              f"at concurrency {r['concurrency']}, {n_failed} failed (must be 0) {r['failures'] or ''}; server RSS "
              f"{before:.0f} MiB after warm-up, {after:.0f} MiB after the reloads ({(after - before) / before * 100:+.1f}%); "
              f"model generations alive: {'not reported' if alive is None else f'{alive:.0f} (must be 1)'}")

    first, tenth = runs(folder, "rss-1"), runs(folder, "rss-10")
    if first and tenth:
        a, b = first[0]["serverRSSMiBAfter"], tenth[0]["serverRSSMiBAfter"]
        failed += sum(first[0]["failures"].values()) + sum(tenth[0]["failures"].values())
        change = (b - a) / a * 100
        print(f"\nresident memory: {a:.1f} MiB after {rss_requests} requests, {b:.1f} MiB after {10 * rss_requests}: "
              f"{change:+.1f}% ({'within' if abs(change) <= 5 else 'beyond'} 5%)")
    if failed:
        print(f"\n{failed} requests or reloads failed, or old model generations stayed alive", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
