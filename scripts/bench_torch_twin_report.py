"""Figures and the table of scripts/bench-torch-twin.sh: OCRKit's training CRNN against its PyTorch twin.

Standard library only, so the figures of both sides come from one function (`figures`) whichever
Python runs it: scripts/torch_twin.py (in the torch venv) imports it for the twin's own summary.

    bench_torch_twin_report.py metrics METRICS_JSONL --batch B --warmup W --steps N [--log LOG]
        one OCRKit run, read back from `ocr-train`'s metrics.jsonl: prints its figures as one JSON
        line (step seconds = batch / samples_per_s of each step event after the warm-up; with
        Global.print_batch_step=1 every event covers one step, data loading included). --log: the
        run's output, for the "model: N parameters" line.
    bench_torch_twin_report.py summary RUN_JSON LABEL
        one line for a run's figures (either side).
    bench_torch_twin_report.py table DIR --rounds R [--results bench-results/torch-twin.json]
        DIR holds ocrkit-R.json, ocrkit-nproc1-R.json and twin-R.json per round (the lines above
        and torch_twin.py's --json): prints every run, the medians, OCRKit / twin and PASS/MISS
        against the issue's target (>= 1.5x the twin end to end, per-step p90/p10 <= 1.3), then
        writes the figures as one flat JSON object to --results after printing the change since the
        figures already there (as Sources/ocr-bench/Bench/BenchResults.swift does for the Swift
        benchmarks).
"""
import argparse
import json
import os
import re
import sys

# Issue 14's target: OCRKit end to end at least this many times the twin, and steady steps.
TARGET_RATIO = 1.5
TARGET_SPREAD = 1.3
SIDES = (("ocrkit", "OCRKit (default layout)"), ("ocrkit-nproc1", "OCRKit --nproc 1"), ("twin", "PyTorch twin"))


def fail(message):
    print(f"bench_torch_twin_report: {message}", file=sys.stderr)
    sys.exit(1)


def percentile(values, q):
    """Linear interpolation between the two nearest ranks (numpy's default), q in 0...100."""
    s = sorted(values)
    pos = (len(s) - 1) * q / 100
    lo = int(pos)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (pos - lo)


def figures(step_seconds, batch):
    """End-to-end samples/s (all samples over the summed wall time of the timed steps, data
    loading included) and the per-step spread, for one run."""
    if not step_seconds or min(step_seconds) <= 0:
        raise ValueError(f"need positive step times, got {step_seconds}")
    p10, p50, p90 = (percentile(step_seconds, q) for q in (10, 50, 90))
    return {"samples_per_s": batch * len(step_seconds) / sum(step_seconds), "steps": len(step_seconds), "batch": batch,
            "p10_s": p10, "p50_s": p50, "p90_s": p90, "p90_p10": p90 / p10,
            "step_seconds": [round(s, 4) for s in step_seconds]}


def ocrkit_figures(metrics_path, batch, warmup, steps, log_path=None):
    """One `ocr-train` run's figures from its metrics.jsonl (and parameter count from its log)."""
    seconds = []
    try:
        with open(metrics_path, encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                try:
                    event = json.loads(line)
                except json.JSONDecodeError as e:
                    fail(f"{metrics_path}:{number}: not JSON ({e})")
                if event.get("event") != "step" or event.get("step", 0) <= warmup:
                    continue
                rate = event.get("samples_per_s")
                if not isinstance(rate, (int, float)) or rate <= 0:
                    fail(f"{metrics_path}:{number}: step {event.get('step')} has no positive samples_per_s")
                seconds.append(batch / rate)
    except OSError as e:
        fail(f"cannot read {metrics_path}: {e}")
    if len(seconds) != steps:
        fail(f"{metrics_path}: {len(seconds)} step events after the {warmup} warm-up steps, expected {steps} "
             "(was Global.print_batch_step=1 set?)")
    out = figures(seconds, batch)
    if log_path:
        with open(log_path, encoding="utf-8", errors="replace") as f:
            found = re.search(r"model: (\d+) parameters", f.read())
        out["parameters"] = int(found.group(1)) if found else None
    return out


def load_run(folder, name):
    return read_json(os.path.join(folder, name + ".json"))


def read_json(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, json.JSONDecodeError) as e:
        fail(f"cannot read {path}: {e}")


def median(values):
    return percentile(values, 50)


def table(folder, rounds, results):
    runs = {key: [load_run(folder, f"{key}-{r}") for r in range(1, rounds + 1)] for key, _ in SIDES}
    print("\n| run | side | samples/s | p10 s | p50 s | p90 s | p90/p10 |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for r in range(rounds):
        for key, label in SIDES:
            f = runs[key][r]
            print(f"| {r + 1} | {label} | {f['samples_per_s']:.2f} | {f['p10_s']:.3f} | {f['p50_s']:.3f} | "
                  f"{f['p90_s']:.3f} | {f['p90_p10']:.2f} |")
    flat = {}
    medians = {}
    for key, label in SIDES:
        m = {k: median([f[k] for f in runs[key]]) for k in ("samples_per_s", "p10_s", "p50_s", "p90_s", "p90_p10")}
        medians[key] = m
        print(f"| median | {label} | {m['samples_per_s']:.2f} | {m['p10_s']:.3f} | {m['p50_s']:.3f} | "
              f"{m['p90_s']:.3f} | {m['p90_p10']:.2f} |")
        for k, v in m.items():
            flat[f"{key}.median.{k}"] = v
        for r, f in enumerate(runs[key], 1):
            flat[f"{key}.run{r}.samples_per_s"] = f["samples_per_s"]
            flat[f"{key}.run{r}.p90_p10"] = f["p90_p10"]

    twin = medians["twin"]["samples_per_s"]
    print(f"\ntarget: OCRKit >= {TARGET_RATIO}x the twin end to end (medians), per-step p90/p10 <= {TARGET_SPREAD} (median)")
    for key, label in SIDES[:2]:
        ratio = medians[key]["samples_per_s"] / twin
        spread = medians[key]["p90_p10"]
        worst = max(f["p90_p10"] for f in runs[key])
        verdict = "PASS" if ratio >= TARGET_RATIO and spread <= TARGET_SPREAD else "MISS"
        flat[f"{key}.ratio_to_twin"] = ratio
        print(f"  {label}: {ratio:.2f}x the twin, p90/p10 {spread:.2f} (worst run {worst:.2f}): {verdict}")

    params = {key: {f.get("parameters") for f in runs[key]} - {None} for key, _ in SIDES}
    ocrkit_params, twin_params = params["ocrkit"] | params["ocrkit-nproc1"], params["twin"]
    if ocrkit_params and twin_params:
        same = "the same" if ocrkit_params == twin_params else "DIFFERENT"
        print(f"parameters: OCRKit {sorted(ocrkit_params)}, twin {sorted(twin_params)}: {same}")
    compare_and_save(flat, results)


def compare_and_save(flat, path):
    """The change against the figures already in `path`, then `path` replaced (flat JSON, sorted keys)."""
    try:
        with open(path, encoding="utf-8") as f:
            last = json.load(f)
    except (OSError, json.JSONDecodeError):
        last = None
    if isinstance(last, dict):
        print(f"\nchange since the last run ({path}):")
        for key in sorted(flat):
            old = last.get(key)
            if isinstance(old, (int, float)):
                change = 0 if old == 0 else (flat[key] - old) / old * 100
                print(f"  {key:<40} {old:10.3f} -> {flat[key]:10.3f}  ({change:+.1f}%)")
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(flat, f, indent=2, sort_keys=True)
        f.write("\n")
    print(f"figures written to {path}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="command", required=True)
    m = sub.add_parser("metrics", help="one ocr-train run's figures, as one JSON line")
    m.add_argument("metrics_jsonl")
    m.add_argument("--batch", type=int, required=True)
    m.add_argument("--warmup", type=int, required=True)
    m.add_argument("--steps", type=int, required=True)
    m.add_argument("--log", help="the run's output (for the parameter count)")
    s = sub.add_parser("summary", help="one line for one run's figures")
    s.add_argument("run_json")
    s.add_argument("label")
    t = sub.add_parser("table", help="the side-by-side table of a benchmark's runs")
    t.add_argument("folder")
    t.add_argument("--rounds", type=int, required=True)
    t.add_argument("--results", default="bench-results/torch-twin.json")
    args = ap.parse_args()
    if args.command == "metrics":
        print(json.dumps(ocrkit_figures(args.metrics_jsonl, args.batch, args.warmup, args.steps, args.log)))
    elif args.command == "summary":
        f = read_json(args.run_json)
        print(f"  {args.label:<24} {f['samples_per_s']:7.2f} samples/s, step p10 {f['p10_s']:.3f} s, p50 {f['p50_s']:.3f} s, "
              f"p90 {f['p90_s']:.3f} s, p90/p10 {f['p90_p10']:.2f}")
    else:
        table(args.folder, args.rounds, args.results)


if __name__ == "__main__":
    main()
