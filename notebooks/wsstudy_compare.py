"""Two runs side by side: which runs, which conditions differ, and which changes exceed the noise.

The verdict rule is the suite's `compare` rule (results/README.md): a change is **real** only when
the two runs' min-max ranges over trials do not overlap; with a single trial on either side the
noise is **unknown**; a cell flagged (failed or loadgen-bottleneck trials) in either run is
**flagged**, never real.
"""
import os

import pandas as pd

import wsstudy_results as wr

KEY = ["scenario", "server", "cell"]
# Parameters that name the machine or the moment rather than the workload.
_INCIDENTAL = {"url", "out", "serverPid", "statsUrl", "runId", "scenario"}


def find_pair(run_a=None, run_b=None, suite=None):
    """(A, B): given folders, else $WSSTUDY_RUN_A / $WSSTUDY_RUN_B, else the two newest runs of a suite.

    B defaults to the newest run (of `suite` if given), A to the run of B's suite just before B.
    Either may come back None when there is no such run.
    """
    b = wr.find_run(run_b, env="WSSTUDY_RUN_B", suite=suite)
    a = wr.find_run(run_a, env="WSSTUDY_RUN_A") if (run_a or os.environ.get("WSSTUDY_RUN_A")) else None
    if a is None and b is not None:
        same = [p.resolve() for p in wr.list_runs(wr.Run(b).suite)]
        earlier = [p for p in same if p.name < b.name]
        a = earlier[-1] if earlier else None
    return a, b


def conditions_diff(a, b):
    """Rows (condition, A, B) for every recorded condition that differs between the runs."""
    ca, cb = a.conditions(), b.conditions()
    ia, ib = a.info, b.info
    pairs = {
        "suite": (ca["suite"], cb["suite"]),
        "commit": (ca["commit"], cb["commit"]),
        "uncommitted changes": (ca["dirty"], cb["dirty"]),
        "JDK": (ca["jdk"], cb["jdk"]),
        "CPU": (ca["cpu"], cb["cpu"]),
        "cores": (ca["cores"], cb["cores"]),
        "server JVM flags": (" ".join(ca["serverJvmFlags"] or []), " ".join(cb["serverJvmFlags"] or [])),
        "loadgen JVM flags": (" ".join(ia.get("loadgenJvmFlags") or []), " ".join(ib.get("loadgenJvmFlags") or [])),
        "pinning": (str(ca["pinning"]), str(cb["pinning"])),
        "trials per cell": (ca["trials"], cb["trials"]),
        "kernel": ((ia.get("os") or {}).get("kernel"), (ib.get("os") or {}).get("kernel")),
    }
    return pd.DataFrame([{"condition": k, "A": va, "B": vb} for k, (va, vb) in pairs.items() if va != vb])


def params_of(run):
    """Per cell, the workload parameters of its first trial that has them (params.* columns)."""
    cols = [c for c in run.trials.columns if c.startswith("params.") and c[7:] not in _INCIDENTAL]
    out = {}
    for key, g in run.trials.groupby(KEY, sort=False):
        g = g[g["status"] != "failed"]
        if len(g):
            out[key] = {c[7:]: g.iloc[0][c] for c in cols if pd.notna(g.iloc[0][c])}
    return out


def matched(cells_a, cells_b, run_a, run_b):
    """Cells present in both runs (suffixes :A and :B), with any workload parameters that differ."""
    m = cells_a.merge(cells_b, on=KEY, suffixes=("@A", "@B"))
    pa, pb = params_of(run_a), params_of(run_b)
    diffs = []
    for _, r in m.iterrows():
        k = tuple(r[c] for c in KEY)
        a, b = pa.get(k), pb.get(k)
        # A cell whose trials all failed has no parameters to compare.
        d = [] if a is None or b is None else [f"{p} {a.get(p)}→{b.get(p)}" for p in sorted(set(a) | set(b))
                                               if str(a.get(p)) != str(b.get(p))]
        diffs.append(", ".join(d))
    m["params differ"] = diffs
    return m


def only_in_one(cells_a, cells_b):
    ka = set(map(tuple, cells_a[KEY].values)) if len(cells_a) else set()
    kb = set(map(tuple, cells_b[KEY].values)) if len(cells_b) else set()
    return sorted(ka - kb), sorted(kb - ka)


def verdict(row, col):
    """'real', 'within noise', 'noise unknown', 'flagged' or 'missing' for one metric of one matched cell."""
    na, nb = row.get(col + ":n@A", 0), row.get(col + ":n@B", 0)
    if not na or not nb:
        return "missing"
    if row["flag@A"] or row["flag@B"]:
        return "flagged"
    if na < 2 or nb < 2:
        return "noise unknown"
    overlap = row[col + ":min@A"] <= row[col + ":max@B"] and row[col + ":min@B"] <= row[col + ":max@A"]
    return "within noise" if overlap else "real"


def changes(m, columns):
    """Long table: one row per matched cell and metric with A, B, change % and verdict."""
    rows = []
    for _, r in m.iterrows():
        for col in columns:
            if col + "@A" not in r:
                continue
            a, b = r[col + "@A"], r[col + "@B"]
            pct = (b - a) / a * 100 if pd.notna(a) and pd.notna(b) and a != 0 else float("nan")
            rows.append({"scenario": r["scenario"], "server": r["server"], "cell": r["cell"], "metric": col,
                         "A": a, "B": b, "change %": pct, "verdict": verdict(r, col),
                         "params differ": r["params differ"]})
    return pd.DataFrame(rows)
