#!/usr/bin/env bash
# Every test: the Maven build with all unit and behaviour tests, then the notebooks headless.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
"$ROOT/scripts/launcher-selftest.sh"
./wsstudy mvn install "$@"
if compgen -G "notebooks/*.ipynb" >/dev/null; then
  "$ROOT/scripts/notebooks.sh" --check
fi
