#!/usr/bin/env bash
# Cross-checks the load generator against tsung, an independent WebSocket load client
# (docs/crosscheck.md): one server, closed-loop echo and a moderate constant rate, measured by both.
# Usage: scripts/crosscheck.sh [eventloop|threaded|virtual] [--duration-s 20 --rate 5000 ...]
#        scripts/crosscheck.sh --help
# Installs tsung (Debian package) when missing and builds the jars when missing.
# Writes results/<UTC time>-crosscheck/; exit 0 when every criterion passes, 1 when one fails.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

if ! command -v tsung >/dev/null; then
  if [[ $(id -u) -ne 0 ]] && ! command -v sudo >/dev/null; then
    echo "crosscheck: tsung is missing; install the Debian package tsung as root" >&2; exit 2
  fi
  SUDO=(); [[ $(id -u) -ne 0 ]] && SUDO=(sudo)
  echo "crosscheck: installing tsung (Debian package)" >&2
  export DEBIAN_FRONTEND=noninteractive
  "${SUDO[@]}" apt-get update -qq >/dev/null || true
  "${SUDO[@]}" apt-get install -y -qq --no-install-recommends tsung >/dev/null
fi

for m in eventloop-server threaded-server virtualthread-server loadgen; do
  if [[ ! -f "$ROOT/$m/target/$m.jar" ]]; then
    "$ROOT/wsstudy" mvn -q -DskipTests package -pl eventloop-server,threaded-server,virtualthread-server,loadgen -am
    break
  fi
done

exec "$ROOT/wsstudy" java -cp "$ROOT/loadgen/target/loadgen.jar" dev.wsstudy.suite.CrosscheckMain "$@"
