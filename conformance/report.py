"""report.json (every case, every server, what was expected and observed) and report.md (the same as
tables: a summary per family, the failures, then every case)."""
import json
import platform
import subprocess
from collections import OrderedDict
from datetime import datetime, timezone

import autobahn


def write_reports(out, cases, runs):
    kinds = list(runs)
    by_id = {k: {r["id"]: r for r in runs[k]["results"]} for k in kinds}
    ok = all(r["passed"] for k in kinds for r in runs[k]["results"]) and all(runs[k]["leaked"] == 0 and not runs[k]["blindControls"] for k in kinds)
    doc = {
        "tool": "wsstudy conformance driver (cases written from RFC 6455; wire client Autobahn|Python)",
        "client": f"autobahn {autobahn.__version__} (Python {platform.python_version()})",
        "commit": _commit(out),
        "finished": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "passed": ok,
        "servers": {k: {"seconds": runs[k]["seconds"], "connectionsLeftOpen": runs[k]["leaked"],
                        "negativeControlsThatPassed": runs[k]["blindControls"],
                        "passed": sum(r["passed"] for r in runs[k]["results"]),
                        "failed": sum(not r["passed"] for r in runs[k]["results"])} for k in kinds},
        "cases": [{"id": c.id, "family": c.family, "title": c.title, "rfc": c.rfc, "expected": c.expected_text(),
                   "results": {k: by_id[k][c.id] for k in kinds}} for c in cases],
    }
    (out / "report.json").write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n")

    families = OrderedDict()
    for c in cases:
        families.setdefault(c.family, []).append(c)
    md = ["# Conformance report", "",
          f"{doc['tool']}. Client: {doc['client']}. Commit {doc['commit']}, finished {doc['finished']}.",
          "See docs/conformance.md for what this driver is and is not.", "",
          "| family | cases | " + " | ".join(kinds) + " |", "|---|---:|" + "---|" * len(kinds)]
    for fam, cs in families.items():
        cells = [f"{sum(by_id[k][c.id]['passed'] for c in cs)}/{len(cs)}" for k in kinds]
        md.append(f"| {fam} | {len(cs)} | " + " | ".join(cells) + " |")
    md.append(f"| **all** | {len(cases)} | " + " | ".join(
        f"**{doc['servers'][k]['passed']}/{len(cases)}**" for k in kinds) + " |")
    md += ["", "Connections left open after the run (from `/stats`): "
           + ", ".join(f"{k} {runs[k]['leaked']}" for k in kinds) + ".",
           "Negative controls (deliberately wrong expectations, conformance/controls.py) that wrongly passed: "
           + ", ".join(f"{k} {len(runs[k]['blindControls'])}" for k in kinds) + " (must be 0).",
           "Seconds per server: " + ", ".join(f"{k} {runs[k]['seconds']}" for k in kinds) + ".", ""]
    failures = [(k, c, by_id[k][c.id]) for c in cases for k in kinds if not by_id[k][c.id]["passed"]]
    md += ["## Failures", ""] + ([f"- **{k} {c.id}** {c.title}: expected {c.expected_text()}; observed "
                                  f"{r['observed']}; {'; '.join(r['problems'])}" for k, c, r in failures] or ["None."])
    md += ["", "## Every case", "", "| id | case | RFC 6455 | expected | " + " | ".join(kinds) + " |",
           "|---|---|---|---|" + "---|" * len(kinds)]
    for c in cases:
        cells = ["pass" if by_id[k][c.id]["passed"] else "**FAIL**" for k in kinds]
        md.append(f"| {c.id} | {c.title} | {c.rfc} | {c.expected_text()} | " + " | ".join(cells) + " |")
    (out / "report.md").write_text("\n".join(md) + "\n")
    return ok


def _commit(out):
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=out, capture_output=True,
                              text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
