"""Plots shared by the notebooks: one colour per server everywhere, every figure titled with the
run folder it came from, and missing or flagged data drawn as such (never silently left out).

Markers: a filled marker is a clean cell; a hollow one a loadgen-bottleneck cell (its numbers
describe the generator as much as the server); an "x" on the bottom edge a cell whose trials all
failed (no numbers). Error bars span the min-max over trials; the line joins the medians.
"""
import math

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

from wsstudy_results import order_servers

# Okabe-Ito colours: distinguishable with the common colour-vision deficiencies.
COLOURS = {"eventloop": "#0072B2", "threaded": "#D55E00", "virtualthread": "#009E73", "external": "#7F7F7F"}
_EXTRA = ["#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"]


def colour(server):
    """The server's colour; a variant named after a server (e.g. 'eventloop-cluster') shares it."""
    if server in COLOURS:
        return COLOURS[server]
    for name, c in COLOURS.items():
        if str(server).startswith(name):
            return c
    return _EXTRA[sum(map(ord, str(server))) % len(_EXTRA)]


def setup():
    plt.rcParams.update({"figure.dpi": 80, "savefig.dpi": 80, "axes.grid": True, "grid.alpha": 0.3,
                         "axes.titlesize": 10, "axes.labelsize": 9, "legend.fontsize": 8,
                         "xtick.labelsize": 8, "ytick.labelsize": 8, "figure.titlesize": 11})


def figure(n, run_label, title, ncols=3, size=(4.6, 3.4)):
    """A figure of n panels titled '<title>' over '<run folder>'; returns (fig, [axes])."""
    n = max(n, 1)
    ncols = min(ncols, n)
    nrows = math.ceil(n / ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(size[0] * ncols, size[1] * nrows + 0.6), squeeze=False)
    fig.suptitle(f"{title}\n{run_label}")
    flat = list(axes.flat)
    for ax in flat[n:]:
        ax.set_visible(False)
    return fig, flat[:n]


def finish(fig):
    fig.tight_layout()
    plt.show()


def missing(ax, text):
    """An empty panel that says what is missing and why."""
    ax.text(0.5, 0.5, text, ha="center", va="center", wrap=True, color="#666666", fontsize=9,
            transform=ax.transAxes)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)


def nines_axis(ax, max_nines):
    """x = 1/(1-percentile) on a log scale, labelled 0%, 90%, 99%, 99.9%, ... (the HDR plot)."""
    ax.set_xscale("log")
    ticks = [10.0 ** k for k in range(0, max_nines + 1)]
    ax.xaxis.set_major_locator(FixedLocator(ticks))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: _nines_label(v)))
    ax.set_xlim(1, ticks[-1])
    ax.set_xlabel("percentile")


def _nines_label(v):
    if v <= 1:
        return "0%"
    k = round(math.log10(v))
    return f"{100 - 100 / 10 ** k:.{max(k - 2, 0)}f}%"


def nines_x(percentile, max_nines):
    """1/(1-p), clipped so p = 100% lands on the right edge instead of at infinity."""
    p = np.minimum(np.asarray(percentile, dtype=float), 1 - 10.0 ** -max_nines)
    return 1.0 / (1.0 - p)


def ms(us):
    return np.asarray(us, dtype=float) / 1000.0


def legend_servers(ax, servers, extra=()):
    handles = [Line2D([], [], color=colour(s), lw=2, label=s) for s in servers]
    handles += list(extra)
    ax.legend(handles=handles, loc="best")


STYLE_HANDLES = {
    "corrected": Line2D([], [], color="#444444", lw=1.6, label="corrected (intended send time)"),
    "uncorrected": Line2D([], [], color="#444444", lw=1.2, ls="--", label="uncorrected (actual send time)"),
    "bottleneck": Line2D([], [], color="#444444", marker="o", mfc="none", ls="", label="† loadgen-bottleneck"),
    "failed": Line2D([], [], color="#444444", marker="x", ls="", label="✗ all trials failed"),
    "failed bar": Line2D([], [], color="#444444", marker="$✗$", ls="", label="✗ all trials failed"),
    "hatched": Patch(facecolor="white", edgecolor="#444444", hatch="//", label="hatched: flagged cell"),
    "faint": Line2D([], [], color="#444444", lw=1.4, alpha=0.4, label="faint: loadgen-bottleneck trial"),
}


def sweep(ax, cells, x, y, servers=None, scale=1.0, logx=True, logy=False, label=None, ls="-"):
    """Median of column y vs x per server, min-max error bars, flagged cells marked.

    cells: the output of wsstudy_results.cells(). x is a column (usually a parsed cell-label key)
    present even for failed cells, so a failed cell still gets its "x" at the right place.
    Returns the set of markers used, for the legend.
    """
    used = set()
    ys, xs = [], []
    servers = servers or order_servers(cells["server"].unique())
    for s in servers:
        g = cells[(cells["server"] == s)]
        if x not in g.columns or y not in g.columns:
            continue
        g = g.sort_values(x)
        c = colour(s)
        have = g[g[y + ":n"] > 0]
        if len(have):
            med = have[y].to_numpy(float) * scale
            lo = med - have[y + ":min"].to_numpy(float) * scale
            hi = have[y + ":max"].to_numpy(float) * scale - med
            ys.extend(med)
            xs.extend(have[x])
            ax.errorbar(have[x], med, yerr=[lo, hi], color=c, ls=ls, lw=1.5, capsize=3,
                        label=label(s) if label else s)
            clean = have["flag"] == ""
            ax.plot(have[x][clean], med[clean.to_numpy()], "o", color=c, ms=5)
            dirty = ~clean
            if dirty.any():
                ax.plot(have[x][dirty], med[dirty.to_numpy()], "o", color=c, mfc="white", ms=7)
                used.add("bottleneck")
        for xv in g[g[y + ":n"] == 0][x]:
            xs.append(xv)
            # stacked per server so failed cells of several servers at one x stay visible
            ax.plot([xv], [0.04 + 0.06 * servers.index(s)], marker="x", color=c, ms=8, mew=2, transform=ax.get_xaxis_transform(),
                    clip_on=False)
            used.add("failed")
    log_scales(ax, logx and xs, logy and ys)
    ticks = sorted(set(v for v in xs if v == v))
    if ticks:
        ax.xaxis.set_major_locator(FixedLocator(ticks))
        ax.xaxis.set_minor_locator(NullLocator())
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: compact(v, binary="bytes" in x)))
    if not ys:
        ax.set_yticks([])
        ax.text(0.5, 0.5, "no numbers: every cell failed", ha="center", va="center", color="#666666",
                transform=ax.transAxes)
    return used


def compact(v, binary=False):
    """Axis label for a swept value: 500, 2k, 10k, 1.5M; sizes in bytes as 64Ki, 1Mi."""
    if binary and v >= 1024 and v % 1024 == 0:
        k = v / 1024
        return f"{k / 1024:g}Mi" if k % 1024 == 0 else f"{k:g}Ki"
    for factor, suffix in ((1e12, "T"), (1e9, "G"), (1e6, "M")):
        if v >= factor:
            return f"{v / factor:g}{suffix}"
    if v >= 1e3:
        return f"{v / 1e3:g}k"
    return f"{v:g}"


def log_scales(ax, xs, ys):
    """Log axes only where there are positive values (matplotlib refuses an empty log axis)."""
    if xs and any(v > 0 for v in xs if v == v):
        ax.set_xscale("log")
    if ys and any(v > 0 for v in ys if v == v):
        ax.set_yscale("log")
        plain_log_labels(ax.yaxis, [v for v in ys if v == v and v > 0])


def plain_log_labels(axis, values):
    """Numbers instead of 2×10^1 on a log axis; within two decades also the 2s and 5s between powers of ten."""
    axis.set_major_formatter(FuncFormatter(lambda v, _: plain(v)))
    narrow = max(values) / min(values) < 100
    axis.set_minor_formatter(FuncFormatter(
        lambda v, _: plain(v) if narrow and f"{v:.0e}"[0] in "25" else ""))


def plain(v):
    """Tick label: 0.01, 0.5, 20, 1k, 2.5M (no exponents)."""
    if v >= 1000:
        return compact(v) if v < 1e4 or v % 1000 == 0 else f"{v:,.0f}"
    return f"{v:g}"


def bars(ax, cells, y, servers=None, scale=1.0, fmt="{:.3g}"):
    """Grouped bars: one group per cell label, one bar per server, min-max whiskers, ✗ for failed."""
    servers = servers or order_servers(cells["server"].unique())
    labels = list(dict.fromkeys(cells["cell"]))
    width = 0.8 / max(len(servers), 1)
    values = []
    for i, s in enumerate(servers):
        for j, cell in enumerate(labels):
            row = cells[(cells["server"] == s) & (cells["cell"] == cell)]
            xpos = j - 0.4 + width * (i + 0.5)
            if row.empty:
                continue
            r = row.iloc[0]
            if y not in r or r.get(y + ":n", 0) == 0:
                ax.text(xpos, 0.02, "✗", color=colour(s), ha="center", va="bottom", fontsize=12,
                        transform=ax.get_xaxis_transform())
                continue
            v = r[y] * scale
            values.append(v)
            ax.bar(xpos, v, width * 0.9, color=colour(s), alpha=0.5 if r["flag"] else 0.9,
                   hatch="//" if r["flag"] else None, edgecolor=colour(s))
            if r[y + ":n"] > 1:
                ax.errorbar(xpos, v, yerr=[[v - r[y + ":min"] * scale], [r[y + ":max"] * scale - v]],
                            color="black", capsize=3, lw=1)
            ax.annotate(fmt.format(v), (xpos, v), ha="center", va="bottom", fontsize=7)
    ax.set_xticks(range(len(labels)))
    ax.set_xticklabels(labels, rotation=0)
    ax.set_xlim(-0.6, len(labels) - 0.4)
    if not values:
        ax.set_yticks([])
    return values


def max_nines(counts):
    """How many nines the data can support: about log10 of the sample count, between 2 and 6."""
    n = max([c for c in counts if c and not math.isnan(c)] or [100])
    return int(min(max(math.ceil(math.log10(n)), 2), 6))


def spectrum_panel(ax, run, rows, kinds=("corrected", "uncorrected"), ls=None, label_prefix="", nines=None):
    """HDR percentile spectrum of the given trials (one line per trial and kind), latency in ms.

    Reads each trial's percentiles-<kind>.txt. Returns the notes for trials that have no curve
    (failed, or no percentile file), so the caller can show them.
    """
    ls = ls or {"corrected": "-", "uncorrected": "--"}
    notes = []
    curves = []
    for _, row in rows.iterrows():
        for kind in kinds:
            p = run.percentiles(row, kind)
            if p is None:
                if kind == kinds[0]:
                    why = row["failureReason"] if row["status"] == "failed" else f"no percentiles-{kind}.txt"
                    why = why if len(why) <= 40 else why[:38] + "…"
                    notes.append(f"{label_prefix}{row['server']} trial {row['trial']}: ✗ {why}")
                continue
            curves.append((row, kind, p))
    if not curves:
        return notes, False
    nines = nines or max_nines([p["count"].max() for _, _, p in curves])
    for row, kind, p in curves:
        flagged = row["status"] != "ok"   # a loadgen-bottleneck trial: drawn faint
        ax.plot(nines_x(p["percentile"], nines), ms(p["value_us"]), color=colour(row["server"]),
                ls=ls[kind], lw=1.4 if kind == "corrected" else 1.0, alpha=0.5 if flagged else 0.9)
    nines_axis(ax, nines)
    ax.set_yscale("log")
    ax.set_ylabel("latency (ms)")
    return notes, True


def timeline_panel(ax, run, rows, warmup_s):
    """p99 and max of each 1 s interval (decoded from latency-corrected.hlog), warm-up shaded."""
    drawn = False
    for _, row in rows.iterrows():
        intervals = run.hlog(row, "corrected")
        if not intervals:
            continue
        t = [h.start_s for h in intervals if h.total]
        p99 = [h.value_at_percentile(99.0) for h in intervals if h.total]
        mx = [h.max_value() for h in intervals if h.total]
        c = colour(row["server"])
        ax.plot(t, ms(p99), color=c, lw=1.5, marker=".", alpha=0.9)
        ax.plot(t, ms(mx), color=c, lw=0.8, ls=":", alpha=0.9)
        drawn = True
    if drawn:
        ax.axvspan(0, warmup_s, color="#cccccc", alpha=0.4, lw=0)
        ax.set_yscale("log")
        ax.set_xlabel("seconds since start (grey: warm-up, excluded)")
        ax.set_ylabel("latency (ms)")
    return drawn


def sweep_or_bars(ax, cells, xkey, y, scale=1.0, ylabel=None, logx=True, logy=False, servers=None):
    """A line over the swept parameter when it takes several values, else grouped bars."""
    used = set()
    if cells.empty or y + ":n" not in cells.columns:
        missing(ax, "no data")
        return used
    if xkey and "cell:" + xkey in cells.columns and cells["cell:" + xkey].nunique() > 1:
        used = sweep(ax, cells, "cell:" + xkey, y, servers=servers, scale=scale, logx=logx, logy=logy)
        ax.set_xlabel(xkey)
    else:
        values = bars(ax, cells, y, servers=servers, scale=scale)
        if (cells[y + ":n"] == 0).any():
            used.add("failed bar")
        if ((cells[y + ":n"] > 0) & (cells["flag"] != "")).any():
            used.add("hatched")
        # bars start at zero: a linear axis (on a log one the bar lengths would mean nothing)
        ax.set_ylim(bottom=0, top=None if any(v > 0 for v in values) else 1)
        if not values:
            ax.text(0.5, 0.5, "no numbers: every cell failed", ha="center", va="center", color="#666666",
                    transform=ax.transAxes)
    ax.set_ylabel(ylabel or y)
    return used


def add_flag_legend(ax, servers, used, extra=()):
    legend_servers(ax, servers, [STYLE_HANDLES[u] for u in sorted(used)] + list(extra))
