"""JMH results (jmh.json as `./wsstudy bench` stores it) as a table, and the issue's targets.

JMH writes one object per benchmark x parameter combination: `benchmark` (class.method), `mode`,
`params`, and `primaryMetric` with `score`, `scoreError` (half-width of the 99.9% confidence
interval; the string "NaN" with a single iteration), `scoreConfidence` and `rawData` (per fork,
per iteration). Our benchmarks are throughput (ops/s); where an operation is a payload of
`size` / `textBytes` / `frameSize` bytes (the benchmark classes say so), bytes/s = score x that size.
"""
import json
import math
import re
from pathlib import Path

import pandas as pd

PKG = "dev.wsstudy.microbench."
# A parameter that is the size in bytes of what one operation handles: size, frameSize, textBytes, ...
SIZE_PARAM = re.compile(r"(?i)(size|bytes)$")


def _num(v):
    try:
        return float(v)
    except (TypeError, ValueError):
        return math.nan


def load(run_dir):
    """DataFrame of one JMH run (empty when jmh.json is missing or empty: JMH did not finish)."""
    f = Path(run_dir) / "jmh.json" if run_dir else None
    if f is None or not f.is_file() or f.stat().st_size == 0:
        return pd.DataFrame(columns=["class", "method", "score"])
    with open(f, encoding="utf-8") as fh:
        results = json.load(fh)
    rows = []
    for r in results:
        name = r["benchmark"][len(PKG):] if r["benchmark"].startswith(PKG) else r["benchmark"]
        cls, _, method = name.rpartition(".")
        pm = r["primaryMetric"]
        score, err = _num(pm.get("score")), _num(pm.get("scoreError"))
        conf = pm.get("scoreConfidence") or [math.nan, math.nan]
        samples = sum(len(fork) for fork in pm.get("rawData") or [])
        row = {"benchmark": r["benchmark"], "class": cls, "method": method, "mode": r.get("mode"),
               "unit": pm.get("scoreUnit"), "score": score, "error": err, "lo": _num(conf[0]), "hi": _num(conf[1]),
               "samples": samples, "forks": r.get("forks"), "iterations": r.get("measurementIterations"),
               "iterationTime": r.get("measurementTime"), "warmup": f"{r.get('warmupIterations')} x {r.get('warmupTime')}",
               "jdk": r.get("jdkVersion"), "jmh": r.get("jmhVersion"), "params": dict(r.get("params") or {})}
        for k, v in row["params"].items():
            row["param:" + k] = _num(v) if not math.isnan(_num(v)) else v
        size = next((_num(v) for k, v in row["params"].items() if SIZE_PARAM.search(k)), math.nan)
        row["bytesPerOp"] = size
        per_s = row["unit"] == "ops/s"
        row["bytesPerSec"] = score * size if per_s else math.nan
        row["bytesPerSecLo"] = row["lo"] * size if per_s else math.nan
        row["bytesPerSecHi"] = row["hi"] * size if per_s else math.nan
        rows.append(row)
    return pd.DataFrame(rows)


def find(df, cls, method, **params):
    """The one row of class.method with these parameter values, or None."""
    if df.empty:
        return None
    sel = (df["class"] == cls) & (df["method"] == method)
    for k, v in params.items():
        col = "param:" + k
        if col not in df.columns:
            return None
        sel &= df[col].astype(str).isin([str(v), str(float(v)) if isinstance(v, (int, float)) else str(v)])
    hit = df[sel]
    return hit.iloc[0] if len(hit) else None


def ratio(a, b):
    """a/b with the range that the two 99.9% confidence intervals allow (NaN when unknown).

    A confidence interval reaching below zero (error larger than the score) bounds nothing: the
    ratio's range then runs from 0 or to infinity.
    """
    r = a["score"] / b["score"]
    a_lo, b_lo = max(a["lo"], 0.0), max(b["lo"], 0.0)
    lo = a_lo / b["hi"] if b["hi"] > 0 else math.nan
    hi = a["hi"] / b_lo if b_lo > 0 else math.inf
    return r, lo, hi


def verdict(value, lo, hi, threshold):
    """PASS / MISS, or 'too close to call' when the confidence range straddles the threshold."""
    if math.isnan(value):
        return "not measured"
    if not (math.isnan(lo) or math.isnan(hi)) and lo < threshold <= hi:
        return "too close to call (threshold inside the error range)"
    return "PASS" if value >= threshold else "MISS"


def targets(df):
    """Issue 5's targets computed from the run: one row each, with the numbers behind the verdict."""
    rows = []
    words, loop = find(df, "MaskingBenchmark", "wordAtATime", size=65536), find(df, "MaskingBenchmark", "byteLoop", size=65536)
    if words is not None and loop is not None:
        r, lo, hi = ratio(words, loop)
        rows.append(("unmasking 64 KiB: word-at-a-time ÷ byte loop", r, lo, hi, 8.0, "×"))
    else:
        rows.append(("unmasking 64 KiB: word-at-a-time ÷ byte loop", math.nan, math.nan, math.nan, 8.0, "×"))
    sizes = sorted(df["param:textBytes"].dropna().unique()) if "param:textBytes" in df.columns else []
    for text in ("ascii", "mixed"):
        found = False
        for size in sizes:
            ours = find(df, "Utf8ValidatorBenchmark", "ours", textBytes=int(size), text=text)
            jdk = find(df, "Utf8ValidatorBenchmark", "jdkDecoder", textBytes=int(size), text=text)
            if ours is not None and jdk is not None:
                found = True
                r, lo, hi = ratio(ours, jdk)
                rows.append((f"UTF-8 {text}, {int(size)} B: ours ÷ JDK CharsetDecoder", r, lo, hi, 1.0, "×"))
        if not found:
            rows.append((f"UTF-8 {text}: ours ÷ JDK CharsetDecoder", math.nan, math.nan, math.nan, 1.0, "×"))
    stream = find(df, "FrameDecoderBenchmark", "streamOfSmallFrames", frameSize=125)
    if stream is not None:
        rows.append(("decoding a stream of 125-byte frames: payload GB/s", stream["bytesPerSec"] / 1e9,
                     max(stream["bytesPerSecLo"], 0.0) / 1e9, stream["bytesPerSecHi"] / 1e9, 1.0, "GB/s"))
    else:
        rows.append(("decoding a stream of 125-byte frames: payload GB/s", math.nan, math.nan, math.nan, 1.0, "GB/s"))
    out = pd.DataFrame(rows, columns=["target", "measured", "low", "high", "threshold", "unit"])
    out["verdict"] = [verdict(r.measured, r.low, r.high, r.threshold) for r in out.itertuples()]
    return out
