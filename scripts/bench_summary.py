#!/usr/bin/env python3
"""summary.md for a JMH run folder: one table per benchmark class, the issue's targets checked
against the measured numbers (PASS/MISS), and the conditions from run.json.

Usage: python3 scripts/bench_summary.py RUN_DIR   (writes RUN_DIR/summary.md and prints it)
Python 3 standard library only. Units: JMH's scores are operations per second (Mode.Throughput);
MB/s and GB/s are decimal (10^6 and 10^9 bytes per second) and count payload bytes only.
"""
import json
import math
import os
import sys

PKG = "dev.wsstudy.microbench."

# Per class: what one operation is, and the derived column (name, function(params) -> per-op amount).
CLASSES = {
    "MaskingBenchmark": ("unmasking one payload of `size` bytes", "MB/s", lambda p: int(p["size"]) / 1e6),
    "FrameDecoderBenchmark": ("decoding one masked client frame (payload `size`, `frameSize` or `splitSize` bytes)",
                              "MB/s payload",
                              lambda p: int(p.get("size") or p.get("frameSize") or p.get("splitSize")) / 1e6),
    "FrameEncoderBenchmark": ("encoding one frame with a `size`-byte payload", "MB/s payload",
                              lambda p: int(p["size"]) / 1e6),
    "Utf8ValidatorBenchmark": ("validating one text of `textBytes` bytes", "MB/s", lambda p: int(p["textBytes"]) / 1e6),
    "HandshakeBenchmark": ("one browser handshake step", "µs/op", None),
    "RoomBroadcastBenchmark": ("one broadcast to a room of `members`", "deliveries/s", lambda p: int(p["members"])),
    "WriteCoalescingBenchmark": ("writing a batch of `frames` frames of `payloadBytes` each to loopback TCP",
                                 "frames/s", lambda p: int(p["frames"])),
}


def number(v):
    """A score as JMH writes it ("NaN" with one iteration) → float."""
    try:
        return float(v)
    except (TypeError, ValueError):
        return math.nan


def fmt(v):
    if v is None or math.isnan(v):
        return "–"
    if abs(v) >= 100:
        return f"{v:,.0f}"
    return f"{v:.3g}"


def load(run_dir):
    path = os.path.join(run_dir, "jmh.json")
    if not os.path.isfile(path) or os.path.getsize(path) == 0:
        return None
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def split_name(benchmark):
    name = benchmark[len(PKG):] if benchmark.startswith(PKG) else benchmark
    cls, _, method = name.rpartition(".")
    return cls, method


def rows_by_class(results):
    by = {}
    for r in results:
        cls, method = split_name(r["benchmark"])
        pm = r["primaryMetric"]
        by.setdefault(cls, []).append({
            "method": method, "params": r.get("params", {}), "score": number(pm["score"]),
            "error": number(pm.get("scoreError")), "unit": pm["scoreUnit"],
        })
    return by


def table(cls, rows):
    op, derived_name, per_op = CLASSES.get(cls, ("one benchmark operation", None, None))
    params = []
    for r in rows:
        for k in r["params"]:
            if k not in params:
                params.append(k)
    unit = rows[0]["unit"]
    head = ["method"] + params + [f"score ({unit})", "± error (99.9%)"] + ([derived_name] if derived_name else [])
    out = [f"### {cls}", "", f"One operation = {op}.", "", "| " + " | ".join(head) + " |",
           "|" + "---|" * len(head)]
    for r in rows:
        cells = [r["method"]] + [r["params"].get(k, "") for k in params] + [fmt(r["score"]), fmt(r["error"])]
        if derived_name == "µs/op":
            cells.append(fmt(1e6 / r["score"]) if r["score"] else "–")
        elif derived_name:
            cells.append(fmt(r["score"] * per_op(r["params"])))
        out.append("| " + " | ".join(cells) + " |")
    return "\n".join(out) + "\n"


def find(rows, method, **params):
    for r in rows:
        if r["method"] == method and all(r["params"].get(k) == str(v) for k, v in params.items()):
            return r
    return None


def targets(by):
    """The issue's three targets. Returns markdown lines; every target says PASS, MISS or not measured."""
    lines = ["## Targets", "",
             "| target | measured | threshold | result |", "|---|---|---|---|"]
    masking = by.get("MaskingBenchmark", [])
    words, loop = find(masking, "wordAtATime", size=65536), find(masking, "byteLoop", size=65536)
    if words and loop:
        ratio = words["score"] / loop["score"]
        lines.append(f"| unmasking 64 KiB: word-at-a-time ÷ byte loop | {ratio:.2f}× "
                     f"({fmt(words['score'] * 65536 / 1e6)} vs {fmt(loop['score'] * 65536 / 1e6)} MB/s) "
                     f"| ≥ 8× | {'PASS' if ratio >= 8 else 'MISS'} |")
        direct = find(masking, "wordAtATimeDirect", size=65536)
        if direct:
            lines.append(f"| (info) unmasking 64 KiB, direct buffer ÷ byte loop | {direct['score'] / loop['score']:.2f}× "
                         f"| – | – |")
    else:
        lines.append("| unmasking 64 KiB ≥ 8× byte loop | not measured (needs size=65536) | ≥ 8× | – |")

    utf8 = by.get("Utf8ValidatorBenchmark", [])
    sizes = sorted({int(r["params"]["textBytes"]) for r in utf8})
    for kind in ("ascii", "mixed"):
        ratios = []
        for size in sizes:
            ours, jdk = find(utf8, "ours", textBytes=size, text=kind), find(utf8, "jdkDecoder", textBytes=size, text=kind)
            if ours and jdk:
                ratios.append((size, ours["score"] / jdk["score"]))
        if ratios:
            worst = min(r for _, r in ratios)
            shown = ", ".join(f"{s} B: {r:.2f}×" for s, r in ratios)
            lines.append(f"| UTF-8 {kind}: ours ÷ JDK CharsetDecoder (heap bytes) | {shown} | ≥ 1× at every size "
                         f"| {'PASS' if worst >= 1 else 'MISS'} |")
        else:
            lines.append(f"| UTF-8 {kind}: ours ≥ JDK decoder | not measured | ≥ 1× | – |")
    for kind in ("ascii", "mixed", "multibyte"):
        info = []
        for size in sizes:
            d, jdk = find(utf8, "oursDirect", textBytes=size, text=kind), find(utf8, "jdkDecoder", textBytes=size, text=kind)
            if d and jdk:
                info.append(f"{size} B: {d['score'] / jdk['score']:.2f}×")
        if info:
            lines.append(f"| (info) UTF-8 {kind}: ours on a direct buffer (the servers' path) ÷ JDK | "
                         f"{', '.join(info)} | – | – |")

    stream = find(by.get("FrameDecoderBenchmark", []), "streamOfSmallFrames", frameSize=125)
    if stream:
        gbps = stream["score"] * 125 / 1e9
        lines.append(f"| decoding a stream of 125-byte frames (payload) | {gbps:.2f} GB/s "
                     f"({fmt(stream['score'])} frames/s) | ≥ 1 GB/s | {'PASS' if gbps >= 1 else 'MISS'} |")
    else:
        lines.append("| decoding 125-byte frames ≥ 1 GB/s | not measured (needs frameSize=125) | ≥ 1 GB/s | – |")
    lines.append("")
    lines.append("PASS/MISS compares the mean scores; check the ± error columns above before trusting a "
                 "result close to its threshold.")
    return "\n".join(lines) + "\n"


def conditions(run, results):
    git = run.get("git", {})
    jdk = run.get("jdk", {})
    cpu = run.get("cpu", {})
    osi = run.get("os", {})
    lines = ["## Conditions", "",
             f"- profile `{run.get('profile', '?')}`, command `{run.get('commandLine', '?')}`, exit code "
             f"{run.get('exitCode', '?')}",
             f"- started {run.get('startedAt', '?')}, ended {run.get('endedAt', '?')}",
             f"- commit {git.get('commit', '?')}{' (tracked files modified)' if git.get('dirty') else ''}",
             f"- JDK {jdk.get('vendor', '?')} {jdk.get('version', '?')} ({jdk.get('vm', '?')}), "
             f"benchmark JVM flags `{' '.join(run.get('jvmFlags', []))}`",
             f"- {cpu.get('model', '?')}, {cpu.get('cores', '?')} cores, {cpu.get('memTotal', '?')}; "
             f"{osi.get('name', '?')}, kernel {osi.get('kernel', '?')}",
             f"- load average at start `{run.get('loadAverageAtStart', '?')}`, at end `{run.get('loadAverageAtEnd', '?')}`"]
    if results:
        r = results[0]
        lines.append(f"- JMH {r.get('jmhVersion', '?')}: {r.get('forks', '?')} fork(s), "
                     f"{r.get('warmupIterations', '?')} × {r.get('warmupTime', '?')} warm-up, "
                     f"{r.get('measurementIterations', '?')} × {r.get('measurementTime', '?')} measurement per benchmark")
    return "\n".join(lines) + "\n"


def read_run(run_dir):
    path = os.path.join(run_dir, "run.json")
    if not os.path.isfile(path):
        return {}
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def busy_warning(run):
    """The suite report's rule: a 1-minute load average above half the cores at the start."""
    try:
        one = float(str(run.get("loadAverageAtStart", "")).split()[0])
        cores = int(run.get("cpu", {}).get("cores", 0))
    except (ValueError, IndexError, TypeError):
        return ""
    if cores > 0 and one > cores / 2:
        return (f"**Busy machine:** the load average was {one:.1f} on {cores} cores when the run started; other "
                "processes competed for the CPUs, so treat these numbers as noisy.\n")
    return ""


def summarize(run_dir):
    results = load(run_dir)
    name = os.path.basename(os.path.normpath(run_dir))
    run = read_run(run_dir)
    parts = [f"# JMH microbenchmarks: {name}", ""]
    warning = busy_warning(run)
    if warning:
        parts.append(warning)
    if results is None:
        parts.append("No `jmh.json`: JMH did not finish (see `jmh.txt`).\n")
        parts.append(conditions(run, []))
        return "\n".join(parts)
    parts.append("Scores are JMH throughput (operations per second, higher is better), mean over all "
                 "measurement iterations of all forks. Raw numbers: `jmh.json`; JMH's own output: `jmh.txt`.\n")
    by = rows_by_class(results)
    parts.append(targets(by))
    parts.append("## Results\n")
    for cls in sorted(by):
        parts.append(table(cls, by[cls]))
    parts.append(conditions(run, results))
    return "\n".join(parts)


def main(argv):
    if len(argv) != 2 or not os.path.isdir(argv[1]):
        print("usage: bench_summary.py RUN_DIR", file=sys.stderr)
        return 2
    text = summarize(argv[1])
    with open(os.path.join(argv[1], "summary.md"), "w", encoding="utf-8") as f:
        f.write(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
