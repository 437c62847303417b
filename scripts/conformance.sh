#!/usr/bin/env bash
# Independent RFC 6455 conformance run against the three servers (docs/conformance.md): the cases in
# conformance/ are driven through Autobahn|Python's client (Debian's python3-autobahn), not our code.
# Needs the server jars (./wsstudy build). Writes target/conformance/report.{json,md}; exits 1 on any failure.
# Usage: scripts/conformance.sh [--server eventloop|threaded|virtual]... [--case ID]... [--out DIR]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
# Debian's Python carries python3-autobahn; a python3 earlier on PATH (e.g. pyenv) may not.
PY="${WSSTUDY_PYTHON:-/usr/bin/python3}"
if ! "$PY" -c 'import autobahn' 2>/dev/null; then
  echo "conformance: $PY cannot import autobahn; run ./wsstudy setup (installs python3-autobahn)" >&2
  exit 2
fi
for m in eventloop-server threaded-server virtualthread-server; do
  if [[ ! -f "$ROOT/$m/target/$m.jar" ]]; then
    echo "conformance: $m/target/$m.jar missing; run ./wsstudy build first" >&2
    exit 2
  fi
done
JAVA="$("$ROOT/wsstudy" jdk)/bin/java"
exec "$PY" "$ROOT/conformance/run.py" --java "$JAVA" --root "$ROOT" "$@"
