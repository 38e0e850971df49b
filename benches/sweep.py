#!/usr/bin/env python3
"""End-to-end sweep benchmark: foiguard over a generated corpus against the floor of only
reading the files and inflating every zip member, in one run.

Usage:
    cargo build --release --bin foiguard --example floor
    python3 benches/gen_mix.py /tmp/mix --scale 1
    python3 benches/sweep.py /tmp/mix [--runs 3] [--json-out FILE]

Reports, each at -j1 and -j2: seconds, MB/s of input, MB/s inflated, files per second and
peak RSS; the floor's time and foiguard's time as a ratio to it; -j2's speed-up over -j1;
and per format (one sub-folder per format, as gen_mix.py writes them) seconds at -j1 and the
share of the total. Each figure is the median of --runs runs. Peak RSS is the largest
resident set of the process (wait4's ru_maxrss).
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TARGET = os.path.join(HERE, "..", "target", "release")


def run(cmd):
    """Runs cmd with its output discarded; returns (seconds, peak RSS in MB, stdout)."""
    started = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    out = p.stdout.read()
    _, status, usage = os.wait4(p.pid, 0)
    elapsed = time.perf_counter() - started
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode not in (0, 1):
        sys.exit(f"{' '.join(cmd)} failed with exit code {p.returncode}")
    return elapsed, usage.ru_maxrss / 1024.0, out


def median_run(cmd, runs):
    results = [run(cmd) for _ in range(runs)]
    secs = statistics.median(r[0] for r in results)
    rss = max(r[1] for r in results)
    return secs, rss, results[-1][2]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("--bin", default=os.path.join(TARGET, "foiguard"))
    ap.add_argument("--floor", default=os.path.join(TARGET, "examples", "floor"))
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--json-out", default="")
    args = ap.parse_args()

    floor_out = run([args.floor, "-j", "1", args.corpus])[2].decode()
    facts = dict(kv.split("=") for kv in floor_out.split())
    files, size, inflated = int(facts["files"]), int(facts["bytes"]), int(facts["inflated"])
    mb, imb = size / 1e6, (size + inflated) / 1e6
    print(f"corpus: {args.corpus}: {files} files, {mb:.1f} MB on disk, "
          f"{inflated / 1e6:.1f} MB inflated from zip members")
    print(f"machine: {os.cpu_count()} cores; median of {args.runs} runs\n")

    scan = [args.bin, "scan", "--format", "jsonl", "-o", os.devnull]
    result = {"files": files, "bytes": size, "inflated": inflated, "runs": args.runs}
    rows = []
    for jobs in (1, 2):
        f_secs, f_rss, _ = median_run([args.floor, "-j", str(jobs), args.corpus], args.runs)
        s_secs, s_rss, _ = median_run(scan + ["-j", str(jobs), args.corpus], args.runs)
        result[f"j{jobs}"] = {
            "seconds": s_secs, "floor_seconds": f_secs, "ratio_to_floor": s_secs / f_secs,
            "mb_per_s": mb / s_secs, "inflated_mb_per_s": imb / s_secs,
            "files_per_s": files / s_secs, "peak_rss_mb": s_rss, "floor_peak_rss_mb": f_rss,
        }
        rows.append((jobs, s_secs, f_secs, s_secs / f_secs, mb / s_secs, imb / s_secs,
                     files / s_secs, s_rss))
    print(f"{'jobs':>4} {'seconds':>8} {'floor s':>8} {'x floor':>8} {'MB/s in':>8} "
          f"{'MB/s infl':>9} {'files/s':>8} {'peak RSS':>9}")
    for jobs, s, f, ratio, mbs, imbs, fps, rss in rows:
        print(f"{jobs:>4} {s:8.2f} {f:8.2f} {ratio:8.2f} {mbs:8.1f} {imbs:9.1f} {fps:8.1f} "
              f"{rss:7.0f} MB")
    speedup = result["j1"]["seconds"] / result["j2"]["seconds"]
    result["speedup_j2"] = speedup
    print(f"\n-j2 is {speedup:.2f}x as fast as -j1")

    formats = sorted(d for d in os.listdir(args.corpus)
                     if os.path.isdir(os.path.join(args.corpus, d)))
    per = {}
    for fmt in formats:
        path = os.path.join(args.corpus, fmt)
        per[fmt] = median_run(scan + ["-j", "1", path], args.runs)[0]
    total = sum(per.values()) or 1.0
    if per:
        print(f"\n{'format':>8} {'seconds -j1':>12} {'share':>6}")
        for fmt, secs in sorted(per.items(), key=lambda kv: -kv[1]):
            print(f"{fmt:>8} {secs:12.2f} {100 * secs / total:5.1f}%")
    result["per_format_j1"] = {k: {"seconds": v, "share": v / total} for k, v in per.items()}
    if args.json_out:
        with open(args.json_out, "w") as f:
            json.dump(result, f, indent=1)


if __name__ == "__main__":
    main()
