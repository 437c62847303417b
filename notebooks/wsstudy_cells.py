"""Trials reduced to cells, and the rules read off cells (flags, the echo headline criterion,
saturation points, which parameter a scenario sweeps). Shared by the notebooks through
wsstudy_results, which re-exports everything here.
"""
import pandas as pd

FLAGGED = ("failed", "loadgen-bottleneck")
SERVER_ORDER = ["eventloop", "threaded", "virtualthread", "external"]


def parse_cell(label):
    """'rooms=10,members=50' -> {'rooms': 10.0, 'members': 50.0}; 'default' -> {}."""
    out = {}
    if not isinstance(label, str) or label == "default":
        return out
    for part in label.split(","):
        k, _, v = part.partition("=")
        try:
            out[k] = float(v)
        except ValueError:
            out[k] = v
    return out


def order_servers(names):
    return sorted(names, key=lambda s: (SERVER_ORDER.index(s) if s in SERVER_ORDER else len(SERVER_ORDER), s))


def cells(df, columns):
    """Trials reduced to cells: per column the median, min and max over trials that have a number.

    The cell label's parameters become columns "cell:<key>" (e.g. "cell:rate"), present even for a
    failed cell, so plots can place it on the swept axis. Failed trials carry no numbers and are left out of the statistics; a loadgen-bottleneck trial
    is kept but flags its cell (its numbers describe the generator as much as the server), the
    same rule as the suite's report.md. One row per (scenario, server, cell), in run order.
    """
    out = []
    for (scenario, server, cell), g in df.groupby(["scenario", "server", "cell"], sort=False):
        row = {"scenario": scenario, "server": server, "cell": cell,
               "scenarioType": g["scenarioType"].iloc[0], "trials": len(g),
               "failed": int((g["status"] == "failed").sum()),
               "bottleneck": int((g["status"] == "loadgen-bottleneck").sum()),
               "reasons": "; ".join(sorted(set(r for r in g["failureReason"] if r)))}
        row["flag"] = ("failed" if row["failed"] == len(g) else
                       "some trials failed" if row["failed"] else
                       "loadgen-bottleneck" if row["bottleneck"] else "")
        row.update({"cell:" + k: v for k, v in parse_cell(cell).items()})
        ok = g[g["status"] != "failed"]
        for c in columns:
            vals = pd.to_numeric(ok[c], errors="coerce").dropna() if c in ok.columns else pd.Series(dtype=float)
            row[c] = vals.median() if len(vals) else float("nan")
            row[c + ":min"] = vals.min() if len(vals) else float("nan")
            row[c + ":max"] = vals.max() if len(vals) else float("nan")
            row[c + ":n"] = len(vals)
        out.append(row)
    return pd.DataFrame(out)


def flagged(df):
    """Trials that are failed or loadgen-bottleneck, for the 'flagged cells' table."""
    cols = ["scenario", "server", "cell", "trial", "status", "failureReason"]
    if df.empty:
        return pd.DataFrame(columns=cols)
    out = df[df["status"].isin(FLAGGED)].copy()
    if "loadgen.bottleneckReason" in out.columns:
        # The suite keeps the loadgen's own reason for a bottleneck in its summary, not in failureReason.
        reason = out["loadgen.bottleneckReason"].fillna("").astype(str)
        out["failureReason"] = out["failureReason"].where(out["failureReason"] != "", reason)
    return out[cols].reset_index(drop=True)


# Issue 4's echo headline criterion (the same as the suite's headline.json): a rate is sustained
# when its corrected p99 is at most 10 ms, no errors, at least 90% of the offered rate achieved,
# and no failed or loadgen-bottleneck trial.
P99_LIMIT_US = 10_000
MIN_ACHIEVED_FRACTION = 0.9


def sustained(row, xkey="rate"):
    """(True, '') when the cell meets the criterion at offered rate row[xkey], else (False, why)."""
    if row["flag"]:
        return False, row["flag"]
    p99, achieved, errors = row.get("latency.corrected.p99"), row.get("achievedRate"), row.get("errors")
    offered = row.get("offeredRate")
    offered = row[xkey] if offered is None or offered != offered else offered
    if p99 != p99 or p99 is None:
        return False, "no latency"
    if p99 > P99_LIMIT_US:
        return False, f"p99 {p99 / 1000:.3g} ms > {P99_LIMIT_US / 1000:.0f} ms"
    if errors == errors and errors and errors > 0:
        return False, f"{errors:.0f} errors"
    if achieved == achieved and achieved < MIN_ACHIEVED_FRACTION * offered:
        return False, f"achieved {achieved:,.0f} < {MIN_ACHIEVED_FRACTION:.0%} of {offered:,.0f}"
    return True, ""


def saturation(server_cells, xkey="rate"):
    """Walks a rate sweep upward: the highest rate sustained before the first one that is not.

    Returns {sustained: rate or None, saturated: first failing rate or None, why: reason}.
    """
    out = {"sustained": None, "saturated": None, "why": ""}
    for _, row in server_cells.sort_values(xkey).iterrows():
        ok, why = sustained(row, xkey)
        if not ok:
            out["saturated"], out["why"] = row[xkey], why
            break
        out["sustained"] = row[xkey]
    return out


def swept_key(cell_rows, prefer=()):
    """The cell-label parameter a scenario sweeps (several numeric values), preferring `prefer`; or None."""
    keys = [c[5:] for c in cell_rows.columns if c.startswith("cell:")
            and pd.to_numeric(cell_rows[c], errors="coerce").notna().all() and cell_rows[c].nunique() > 1]
    for k in prefer:
        if k in keys:
            return k
    return max(keys, key=lambda k: cell_rows["cell:" + k].nunique()) if keys else None
