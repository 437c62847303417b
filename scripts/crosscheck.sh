#!/usr/bin/env bash
# Cross-checks the load generator against tsung, an independent WebSocket load client
# (docs/crosscheck.md): one server, closed-loop echo and a moderate constant rate, measured by both.
# Usage: scripts/crosscheck.sh [eventloop|threaded|virtual] [--duration-s 20 --rate 5000 ...]
#        scripts/crosscheck.sh --help
# Installs tsung and tcpdump (Debian packages) when missing; the launcher rebuilds missing or stale jars.
# Writes results/<UTC time>-crosscheck/; exit 0 when every criterion passes, 1 when one fails.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

need=()
command -v tsung >/dev/null || need+=(tsung)
command -v tcpdump >/dev/null || need+=(tcpdump)
if ((${#need[@]})); then
  if [[ $(id -u) -ne 0 ]] && ! command -v sudo >/dev/null; then
    echo "crosscheck: ${need[*]} missing; install the Debian package(s) ${need[*]} as root" >&2; exit 2
  fi
  SUDO=(); [[ $(id -u) -ne 0 ]] && SUDO=(sudo)
  echo "crosscheck: installing ${need[*]} (Debian packages)" >&2
  export DEBIAN_FRONTEND=noninteractive
  "${SUDO[@]}" apt-get update -qq >/dev/null || true
  "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# Tsung writes its log directory (this checkout's absolute path) into its own logs; a run folder meant
# for results/ must not carry machine paths, so new run folders under results/ get the checkout's
# path replaced by "." afterwards (only that text changes; nothing tsung measured).
before=$(ls -d "$ROOT"/results/*-crosscheck 2>/dev/null || true)
rc=0
"$ROOT/wsstudy" crosscheck "$@" || rc=$?
for dir in "$ROOT"/results/*-crosscheck; do
  [[ -d "$dir" ]] || continue
  grep -qxF "$dir" <<<"$before" && continue
  grep -rlZF "$ROOT/" "$dir" | xargs -0 -r sed -i "s#${ROOT}/#./#g"
done
exit "$rc"
