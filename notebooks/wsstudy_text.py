"""Sentences computed from the numbers, for the notebooks' conclusions.

Nothing here knows a result in advance: every sentence names the cell, the servers, the medians
and their ratio, and says how far to trust it. The trust rule is the suite's compare rule: a lead
is clear only when the leader's and the runner-up's min-max ranges over trials do not overlap; one
trial per cell means the spread is unknown; a flagged cell (failed or loadgen-bottleneck trials)
is never a clear result.
"""
import math

from wsstudy_results import order_servers

# column -> (label, unit, higher is better)
METRICS = {
    "achievedRate": ("achieved rate", "msg/s", True),
    "throughputMBps": ("throughput", "MB/s", True),
    "latency.corrected.p50": ("corrected p50", "us", False),
    "latency.corrected.p99": ("corrected p99", "us", False),
    "latency.corrected.p999": ("corrected p99.9", "us", False),
    "latency.uncorrected.p99": ("uncorrected p99", "us", False),
    "server.cpuUsPerMessage": ("server CPU per message", "cpu-us", False),
    "loadgen.cpuUsPerMessage": ("loadgen CPU per message", "cpu-us", False),
    "server.rssKiBPerConnection": ("server memory per connection", "KiB", False),
    "server.peakRssKiB": ("server peak RSS", "KiB", False),
    "server.threadsMax": ("server threads (max)", "count", False),
    "connect.handshakesPerSec": ("handshakes per second", "/s", True),
    "delivery.within500msPct": ("broadcasts delivered within 500 ms", "%", True),
    "delivery.lost": ("lost deliveries", "count", False),
    "errors": ("errors", "count", False),
}


def num(v):
    """Three significant digits, thousands grouped, never an exponent: 0.0412, 4.12, 41.2, 4,120."""
    a = abs(v)
    if a >= 100:
        return f"{v:,.0f}"
    if a >= 10:
        return f"{v:.1f}"
    if a >= 1:
        return f"{v:.2f}"
    return f"{v:.3g}" if a else "0"


def fmt(v, unit):
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "n/a"
    if unit == "us":
        if v >= 1_000_000:
            return f"{num(v / 1e6)} s"
        return f"{num(v / 1000)} ms" if v >= 1000 else f"{num(v)} µs"
    if unit == "cpu-us":
        return f"{num(v)} CPU-µs"
    if unit == "KiB":
        return f"{num(v / 1024)} MiB" if v >= 10240 else f"{num(v)} KiB"
    if unit == "%":
        return f"{num(v)}%"
    if unit == "count":
        return num(v)
    return f"{num(v)} {unit}"


def ratio_text(a, b):
    if b == 0 or math.isnan(a) or math.isnan(b):
        return None
    r = a / b
    return f"{r:.2f}×" if r < 10 else f"{r:.0f}×"


def ranking(cell_rows, column):
    """The servers of one cell that have a number for column, best first."""
    label, unit, higher = METRICS.get(column, (column, "", True))
    have = cell_rows[cell_rows[column + ":n"] > 0] if column + ":n" in cell_rows else cell_rows.iloc[0:0]
    rows = have.to_dict("records")
    rows.sort(key=lambda r: r[column], reverse=higher)
    return rows


def trust(best, second, column):
    """How far the lead of best over second can be trusted (a short clause)."""
    _, _, higher = METRICS.get(column, (column, "", True))
    if best["flag"] or second["flag"]:
        flagged = [r["server"] for r in (best, second) if r["flag"]]
        return f"not conclusive: {' and '.join(flagged)} flagged ({', '.join(r['flag'] for r in (best, second) if r['flag'])})"
    if min(best[column + ":n"], second[column + ":n"]) < 2:
        return "one trial, spread unknown"
    overlap = (best[column + ":min"] <= second[column + ":max"]) if higher else (best[column + ":max"] >= second[column + ":min"])
    n = min(best[column + ":n"], second[column + ":n"])
    return (f"within the trial spread (min–max over {n}+ trials each overlap): too noisy to conclude" if overlap
            else f"clear: the min–max ranges over {n}+ trials each do not overlap")


def lead_sentence(scenario, cell, cell_rows, column):
    """'echo-rate rate=10000, corrected p99: eventloop best at 1.2 ms, 2.3× lower than threaded (2.8 ms)...'"""
    label, unit, higher = METRICS.get(column, (column, "", True))
    ranked = ranking(cell_rows, column)
    missing = [s for s in order_servers(cell_rows["server"].unique()) if s not in {r["server"] for r in ranked}]
    where = f"**{scenario}** `{cell}`, {label}"
    miss = f" (no numbers from {', '.join(missing)}: all trials failed)" if missing else ""
    if not ranked:
        return f"{where}: no server has numbers{miss}."
    if len(ranked) == 1:
        only = ranked[0]
        flag = f", flagged: {only['flag']}" if only["flag"] else ""
        return f"{where}: only {only['server']} has numbers, {fmt(only[column], unit)}{flag}{miss}."
    best = ranked[0]
    tied = [r["server"] for r in ranked if math.isclose(r[column], best[column], rel_tol=1e-9, abs_tol=1e-12)]
    if len(tied) > 1:
        rest = [r for r in ranked if r["server"] not in tied]
        others = "; ".join(f"{r['server']} {fmt(r[column], unit)}" for r in rest)
        flags = [f"{r['server']} {r['flag']}" for r in ranked if r["flag"]]
        return (f"{where}: {', '.join(tied)} tie at {fmt(best[column], unit)}"
                f"{'; ' + others if others else ''}{'; flagged: ' + ', '.join(flags) if flags else ''}{miss}.")
    parts = []
    for other in ranked[1:]:
        r = ratio_text(best[column], other[column]) if higher else ratio_text(other[column], best[column])
        word = "higher" if higher else "lower"
        parts.append(f"{r} {word} than {other['server']} ({fmt(other[column], unit)})" if r
                     else f"{other['server']} {fmt(other[column], unit)}")
    return (f"{where}: {best['server']} best at {fmt(best[column], unit)}, {'; '.join(parts)}; "
            f"{trust(best, ranked[1], column)}{miss}.")


def leads_by_scenario(cells, column):
    """({server: cells it leads}, {server: cells it leads clearly}) over one scenario's cells.

    'Clearly' = the trust rule says clear (no flag, several trials, ranges apart); ties go to the first listed.
    """
    leads, clear = {}, {}
    for _, g in cells.groupby("cell", sort=False):
        ranked = ranking(g, column)
        if len(ranked) >= 2 and not math.isclose(ranked[0][column], ranked[1][column], rel_tol=1e-9, abs_tol=1e-12):
            s = ranked[0]["server"]
            leads[s] = leads.get(s, 0) + 1
            if trust(ranked[0], ranked[1], column).startswith("clear"):
                clear[s] = clear.get(s, 0) + 1
    return leads, clear


def bullet_list(lines):
    return "\n".join(f"- {line}" for line in lines) if lines else "- (nothing to report)"
