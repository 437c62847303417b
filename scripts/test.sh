#!/usr/bin/env bash
# Every test: the Maven build with all unit and behaviour tests, the independent conformance run
# against the three servers' jars (docs/conformance.md), then the notebooks headless.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
"$ROOT/scripts/launcher-selftest.sh"
./wsstudy mvn install "$@"
if [[ $# -eq 0 ]]; then
  "$ROOT/scripts/conformance.sh"
else
  echo "test: Maven arguments given ($*): skipping the conformance run (scripts/conformance.sh)" >&2
fi
if compgen -G "notebooks/*.ipynb" >/dev/null; then
  "$ROOT/scripts/notebooks.sh" --check
fi
