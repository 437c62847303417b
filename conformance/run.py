"""Conformance driver: starts each server from its jar (as users do), runs every case against it with
Autobahn|Python as the wire-level client, writes report.json and report.md, exits 1 if any case failed.

Usage (scripts/conformance.sh passes the JDK and paths):
  /usr/bin/python3 conformance/run.py --java JAVA --root REPO [--out DIR] [--server KIND ...] [--case PREFIX ...]
"""
import argparse
import asyncio
import json
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import cases_chat
import cases_frames
import cases_text
from controls import run_controls
from model import run_case
from report import write_reports

SERVERS = {"eventloop": "eventloop-server", "threaded": "threaded-server", "virtual": "virtualthread-server"}
LISTENING = re.compile(r"listening on (\S+):(\d+)")


class Server:
    """One of our servers started as `java -jar <module>/target/<module>.jar --port 0` with default
    limits, or a reference peer (peers/NAME/run, for calibrating the cases; it has no /stats)."""

    def __init__(self, java, root, kind, log_dir):
        if kind in SERVERS:
            module = SERVERS[kind]
            command = [java, "-jar", str(root / module / "target" / f"{module}.jar"), "--port", "0"]
        else:
            command = [str(root / "peers" / kind / "run"), "--host", "127.0.0.1", "--port", "0"]
        self.kind, self.has_stats = kind, kind in SERVERS
        self.log = log_dir / f"{kind}.log"
        with open(self.log, "wb") as out:
            self.proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            m = LISTENING.search(self.log.read_text(errors="replace"))
            if m:
                self.host, self.port = m.group(1), int(m.group(2))
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"{kind} server did not start; log:\n{self.log.read_text(errors='replace')}")

    def open_connections(self):
        with urllib.request.urlopen(f"http://{self.host}:{self.port}/stats", timeout=10) as r:
            return json.load(r)["connectionsOpen"]

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


async def run_server(server, cases, all_cases):
    blind = await run_controls(all_cases, server.host, server.port)
    for b in blind:
        print(f"  CONTROL {server.kind}: {b}: the driver cannot see this difference", file=sys.stderr)
    results = []
    for case in cases:
        passed, observed, problems, ms = await run_case(case, server.host, server.port)
        results.append({"id": case.id, "passed": passed, "observed": observed, "problems": problems, "ms": ms})
        if not passed:
            print(f"  FAIL {server.kind} {case.id} {case.title}: {'; '.join(problems)}", file=sys.stderr)
    return results, blind


def leak_check(server, baseline):
    """Every case's connection must be gone afterwards (§7.1.1: the server closes TCP)."""
    if not server.has_stats:
        return 0
    deadline = time.monotonic() + 20
    while (n := server.open_connections()) > baseline and time.monotonic() < deadline:
        time.sleep(0.1)
    return n - baseline


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--java", required=True)
    ap.add_argument("--root", required=True, type=Path)
    ap.add_argument("--out", type=Path)
    ap.add_argument("--server", action="append", choices=list(SERVERS))
    ap.add_argument("--case", action="append", help="run only cases whose id starts with this")
    ap.add_argument("--peer", action="append", default=[],
                    help="also run a reference peer (peers/NAME, built): calibrates the cases, not part of CI")
    args = ap.parse_args()
    out = args.out or args.root / "target" / "conformance"
    (out / "logs").mkdir(parents=True, exist_ok=True)
    all_cases = cases_frames.all_cases() + cases_text.all_cases()
    all_cases += cases_chat.family11(all_cases)
    # Reference peers serve only /echo: a run that includes one runs only the /echo cases.
    cases = [c for c in all_cases if c.path == '/echo'] if args.peer else all_cases
    if args.case:
        cases = [c for c in cases if any(c.id == p or c.id.startswith(p + ".") for p in args.case)]
    runs = {}
    for kind in (args.server or ([] if args.peer else list(SERVERS))) + args.peer:
        server = Server(args.java, args.root, kind, out / "logs")
        try:
            baseline = server.open_connections() if server.has_stats else 0
            start = time.monotonic()
            results, blind = asyncio.run(run_server(server, cases, all_cases))
            leaked = leak_check(server, baseline)
            runs[kind] = {"results": results, "seconds": round(time.monotonic() - start, 1), "leaked": leaked,
                          "blindControls": blind}
        finally:
            server.stop()
        failed = sum(not r["passed"] for r in results)
        print(f"conformance {kind}: {len(results) - failed} passed, {failed} failed, "
              f"{leaked} connections left open, {runs[kind]['seconds']} s", file=sys.stderr)
    ok = write_reports(out, cases, runs)
    total = sum(len(r["results"]) for r in runs.values())
    failed = sum(not x["passed"] for r in runs.values() for x in r["results"]) \
        + sum(r["leaked"] != 0 for r in runs.values()) + sum(len(r["blindControls"]) for r in runs.values())
    print(f"conformance: {total - failed} passed, {failed} failed")
    print(f"conformance: report in {out / 'report.md'}", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
