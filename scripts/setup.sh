#!/usr/bin/env bash
# Installs what the tests and the study need, only where missing (Debian).
# Chromium (browser interop test), redis-server (cluster tests), Python notebook stack,
# tsung (the independent load client of scripts/crosscheck.sh and its end-to-end test),
# tcpdump (the cross-check's third observer, the kernel's packet timestamps, and WireLatencyTest),
# Node.js/npm and Go with gorilla/websocket (the reference peers in peers/, checked by PeerContractTest),
# python3-autobahn (the independent wire client of the conformance run, docs/conformance.md).
set -euo pipefail
pkgs=()
command -v chromium >/dev/null || pkgs+=(chromium)
command -v redis-server >/dev/null || pkgs+=(redis-server)
command -v tsung >/dev/null || pkgs+=(tsung)
command -v tcpdump >/dev/null || pkgs+=(tcpdump)
command -v node >/dev/null || pkgs+=(nodejs)
command -v npm >/dev/null || pkgs+=(npm)
command -v go >/dev/null || pkgs+=(golang-go)
[[ -f /usr/share/gocode/src/github.com/gorilla/websocket/conn.go ]] || pkgs+=(golang-github-gorilla-websocket-dev)
command -v jupyter-nbconvert >/dev/null || pkgs+=(jupyter-nbconvert)
/usr/bin/python3 -c 'import autobahn' 2>/dev/null || pkgs+=(python3-autobahn)
/usr/bin/python3 -c 'import pandas, matplotlib, nbformat, ipykernel, nbconvert' 2>/dev/null \
  || pkgs+=(python3-pandas python3-matplotlib python3-nbconvert python3-nbformat python3-ipykernel)
if ((${#pkgs[@]})); then
  if [[ $(id -u) -ne 0 ]] && ! command -v sudo >/dev/null; then
    echo "setup: missing Debian packages ${pkgs[*]}; install them as root" >&2; exit 1
  fi
  SUDO=(); [[ $(id -u) -ne 0 ]] && SUDO=(sudo)
  echo "setup: installing ${pkgs[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  "${SUDO[@]}" apt-get update -qq >/dev/null || true
  "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null
fi
