"""Finding and loading wsstudy run folders (docs/results-format.md) for the notebooks.

A run folder is ``results/<yyyyMMdd'T'HHmmss'Z'>-<suite>[-n]/``. Suite runs hold run.json,
summary.csv (one row per cell x trial), headline.json and one loadgen output folder per trial; JMH
runs hold jmh.json. Everything here tolerates missing pieces: a scenario the suite did not run, a
failed trial with no files, a run killed before summary.csv was written (the rows are then rebuilt
from the trials' summary.json files). Missing data comes back as None or an empty frame, and the
plots say so, rather than a notebook failing.
"""
import json
import os
import re
from pathlib import Path

import pandas as pd

import hdrlog
from wsstudy_cells import (FLAGGED, MIN_ACHIEVED_FRACTION, P99_LIMIT_US, SERVER_ORDER,  # noqa: F401 (re-exported)
                           cells, flagged, order_servers, parse_cell, saturation, sustained, swept_key)

LEADING = ["suite", "scenario", "scenarioType", "server", "cell", "trial", "status", "failureReason", "dir"]
_RUN_NAME = re.compile(r"^(\d{8}T\d{6}Z)-(.+)$")


def repo_root():
    return Path(__file__).resolve().parent.parent


def results_dir():
    """results/ of this checkout, or WSSTUDY_RESULTS_DIR (used by tests)."""
    return Path(os.environ.get("WSSTUDY_RESULTS_DIR") or repo_root() / "results")


def _suite_and_suffix(rest):
    """'quick' -> ('quick', 1); 'quick-2' -> ('quick', 2): a second run in the same second."""
    m = re.fullmatch(r"(.+)-(\d+)", rest)
    return (m.group(1), int(m.group(2))) if m else (rest, 1)


def run_kind(path):
    """'jmh' (scripts/bench.sh), 'crosscheck' (the tsung cross-check), 'suite' (the suite runner), or None."""
    path = Path(path)
    info = read_json(path / "run.json") or {}
    if (path / "jmh.json").is_file() or info.get("kind") == "jmh":
        return "jmh"
    if (path / "crosscheck.json").is_file() or "crosscheck" in info or info.get("kind"):
        return info.get("kind") or "crosscheck"
    if (path / "summary.csv").is_file() or (path / "run.json").is_file():
        return "suite"
    return None


def list_runs(suite=None, kind="suite"):
    """Run folders of that kind (and suite), oldest first."""
    found = []
    base = results_dir()
    if not base.is_dir():
        return []
    for d in base.iterdir():
        m = _RUN_NAME.match(d.name)
        if not m or not d.is_dir() or run_kind(d) != kind:
            continue
        name, suffix = _suite_and_suffix(m.group(2))
        if suite is None or name == suite or m.group(2) == suite:
            found.append(((m.group(1), suffix), d))
    return [d for _, d in sorted(found)]


def find_run(run=None, env="WSSTUDY_RUN", suite=None, kind="suite"):
    """The folder to read: ``run`` (a parameter cell), else ``$env``, else the newest of that suite.

    A relative name is looked up in the working directory, then in results/. Returns None when
    nothing is given and no run exists; raises when a given folder does not exist.
    """
    given = run or os.environ.get(env)
    if given:
        p = Path(given)
        for candidate in (p, results_dir() / p, results_dir() / p.name):
            if candidate.is_dir():
                return candidate.resolve()
        raise FileNotFoundError(f"run folder '{given}' not found (looked in . and {results_dir().name}/)")
    runs = list_runs(suite, kind)
    return runs[-1].resolve() if runs else None


def run_label(path):
    """How figures name a run folder: relative to the repository (results/<folder>), never absolute."""
    if path is None:
        return "(no run)"
    path = Path(path).resolve()
    try:
        return str(path.relative_to(repo_root()))
    except ValueError:
        return f"{path.parent.name}/{path.name}"


def read_json(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def flatten(obj, prefix=""):
    """summary.json to summary.csv's dotted columns (lists as JSON text, null as None)."""
    out = {}
    for k, v in obj.items():
        key = f"{prefix}.{k}" if prefix else k
        if isinstance(v, dict):
            out.update(flatten(v, key))
        elif isinstance(v, list):
            out[key] = json.dumps(v)
        else:
            out[key] = v
    return out


class Run:
    """One suite run folder: its conditions (run.json), its trials (summary.csv) and their files."""

    def __init__(self, path):
        self.path = Path(path) if path else None
        self.name = self.path.name if self.path else "(no run)"
        self.info = (read_json(self.path / "run.json") if self.path else None) or {}
        self.headline = (read_json(self.path / "headline.json") if self.path else None) or {}
        self.trials = self._load_trials()

    @property
    def label(self):
        return run_label(self.path)

    @property
    def suite(self):
        m = _RUN_NAME.match(self.name)
        return self.info.get("suite") or (_suite_and_suffix(m.group(2))[0] if m else None)

    def _load_trials(self):
        if self.path is None:
            return pd.DataFrame(columns=LEADING)
        csv = self.path / "summary.csv"
        if csv.is_file():
            df = pd.read_csv(csv, dtype={"cell": str, "status": str, "failureReason": str, "dir": str})
        else:
            df = self._trials_from_folders()
        for c in LEADING:
            if c not in df.columns:
                df[c] = None
        if df["scenarioType"].isna().any():
            # Rows rebuilt from failed trial folders: the suite definition knows each scenario's type.
            types = {s.get("name"): s.get("type") or s.get("scenario")
                     for s in (self.info.get("suiteDefinition") or {}).get("scenarios", [])}
            known = df.dropna(subset=["scenarioType"]).groupby("scenario")["scenarioType"].first().to_dict()
            df["scenarioType"] = df["scenarioType"].fillna(df["scenario"].map({**known, **types})).fillna(df["scenario"])
        df["status"] = df["status"].fillna("ok")
        df["failureReason"] = df["failureReason"].fillna("")
        df["cell"] = df["cell"].fillna("default")
        for c in df.columns:
            if c not in LEADING and df[c].dtype == object:
                converted = pd.to_numeric(df[c], errors="coerce")
                if converted.notna().sum() == df[c].notna().sum() and df[c].notna().any():
                    df[c] = converted
        return df

    def _trials_from_folders(self):
        """Rows rebuilt from <scenario>/<server>/<cell>/trial-<n>/ when summary.csv is missing."""
        rows = []
        for t in sorted(self.path.glob("*/*/*/trial-*")):
            scenario, server, cell = t.parts[-4:-1]
            row = {"suite": self.suite, "scenario": scenario, "server": server, "cell": cell,
                   "trial": int(t.name.split("-")[1]), "dir": str(t.relative_to(self.path))}
            summary = read_json(t / "summary.json")
            if summary is None:
                reason = ((t / "failure.txt").read_text().strip() if (t / "failure.txt").is_file()
                          else "no summary.json (see loadgen-console.log)")
                row.update(status="failed", failureReason=reason)
            else:
                flat = flatten(summary)
                row["scenarioType"] = flat.pop("scenario", scenario)
                row["status"] = flat.pop("status", None) or "ok"
                row["failureReason"] = flat.pop("failureReason", None) or ""
                row.update(flat)
            rows.append(row)
        return pd.DataFrame(rows)

    # ---- conditions ----
    def conditions(self):
        i = self.info
        jdk = i.get("jdk") or {}
        cpu = i.get("cpu") or {}
        suite_def = i.get("suiteDefinition") or {}
        trials = sorted(set(self.trials.groupby(["scenario", "server", "cell"]).size())) if len(self.trials) else []
        pin = i.get("pinning")
        return {
            "run": self.label, "suite": self.suite, "cores": cpu.get("cores"), "cpu": cpu.get("model"),
            "jdk": " ".join(str(x) for x in (jdk.get("vendor"), jdk.get("version")) if x) or None,
            "trials": trials or ([suite_def.get("trials")] if suite_def.get("trials") else []),
            "pinning": pin, "commit": (i.get("git") or {}).get("commit"), "dirty": (i.get("git") or {}).get("dirty"),
            "serverJvmFlags": i.get("serverJvmFlags"), "startedAt": i.get("startedAt"),
            "loadAverageAtStart": i.get("loadAverageAtStart"),
        }

    def conditions_text(self):
        c = self.conditions()
        t = c["trials"]
        trials = (f"{t[0]}" if len(t) == 1 else f"{min(t)}–{max(t)}") if t else "unknown"
        commit = (c["commit"] or "unknown")[:10] + (" (uncommitted changes)" if c["dirty"] else "")
        pin = c["pinning"]
        pin_text = "CPU pinning not recorded"
        if isinstance(pin, dict):
            pin_text = pin.get("description") or ("CPU pinning used" if pin.get("enabled") else "no CPU pinning")
        return (f"{c['run']}: suite `{c['suite']}`, {trials} trial(s) per cell, {c['cores'] or '?'} cores "
                f"({c['cpu'] or 'CPU model not recorded'}), JDK {c['jdk'] or 'not recorded'}, "
                f"server JVM flags {' '.join(c['serverJvmFlags'] or []) or 'not recorded'}, {pin_text}, "
                f"commit {commit}, started {c['startedAt'] or '?'}, load average at start "
                f"{c['loadAverageAtStart'] or '?'}.{self.busy_warning()}{self.jitter_text()}")

    def jitter_text(self):
        """A sentence on the machine-jitter baseline of run.json (runs since 2026-11-28 06:30 UTC), else ''."""
        mj = self.info.get("machineJitter")
        if not isinstance(mj, dict) or not mj.get("perCpu"):
            return ""
        parts = []
        for e in mj["perCpu"]:
            where = f"CPU {e['cpu']} ({e.get('role')})" if e.get("cpu") is not None else str(e.get("role"))
            if "error" in e:
                parts.append(f"{where} not measured ({e['error']})")
            else:
                parts.append(f"{where} p99 {e.get('p99Us')} µs, max {e.get('maxUs', 0) / 1000:.1f} ms, "
                             f"{e.get('stallsOver1ms')} stalls ≥ 1 ms")
        return (f" Machine jitter before the run (a 1 ms sleep loop, {mj.get('durationS')} s per CPU; the floor under"
                f" every p99): {'; '.join(parts)}.")

    def busy_warning(self):
        """A sentence when the 1-minute load average at the start exceeded half the cores, else ''."""
        try:
            load1 = float(str(self.info.get("loadAverageAtStart", "")).split()[0])
            cores = int((self.info.get("cpu") or {}).get("cores") or 0)
        except (ValueError, IndexError):
            return ""
        if cores and load1 > cores / 2:
            return (f" **The machine was busy** (1-minute load average {load1:g} on {cores} cores at the start):"
                    " other work shared the CPUs, so these numbers are noisier and lower than on a quiet machine.")
        return ""

    # ---- per-trial files ----
    def trial_dir(self, row):
        d = row.get("dir") if hasattr(row, "get") else None
        return self.path / d if isinstance(d, str) and d else None

    def percentiles(self, row, kind="corrected"):
        """DataFrame value_us, percentile (0..1), count of one trial, or None when absent or empty."""
        d = self.trial_dir(row)
        f = d / f"percentiles-{kind}.txt" if d else None
        if f is None or not f.is_file():
            return None
        rows, footer = hdrlog.read_percentiles(f)
        if not rows:
            return None
        return pd.DataFrame(rows, columns=["value_us", "percentile", "count"])

    def hlog(self, row, kind="corrected"):
        """The trial's interval histograms ([hdrlog.Histogram]) or None."""
        d = self.trial_dir(row)
        f = d / f"latency-{kind}.hlog" if d else None
        if f is None or not f.is_file():
            return None
        return hdrlog.read_hlog(f)[1]

    def timeline(self, row):
        d = self.trial_dir(row)
        f = d / "timeline.csv" if d else None
        return pd.read_csv(f) if f is not None and f.is_file() else None

    # ---- selections ----
    def scenarios(self, types=None, name_contains=None):
        """Scenario names (the suite's) in run order, filtered by loadgen scenario type."""
        df = self.trials
        if types is not None:
            df = df[df["scenarioType"].isin(types) | df["scenario"].isin(types)]
        names = list(dict.fromkeys(df["scenario"]))
        if name_contains:
            names = [n for n in names if name_contains in n]
        return names

    def of(self, scenario):
        return self.trials[self.trials["scenario"] == scenario]

    def servers(self, df=None):
        present = list(dict.fromkeys((self.trials if df is None else df)["server"]))
        return order_servers(present)
