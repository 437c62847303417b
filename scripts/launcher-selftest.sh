#!/usr/bin/env bash
# Checks the launcher's JDK discovery: with no JDK 21+ visible it must fail with one actionable line.
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
empty=$(mktemp -d); trap 'rm -rf "$empty"' EXIT
out=$(JAVA_HOME="$empty" WSSTUDY_JDK_DIRS="$empty/*" "$ROOT/wsstudy" jdk 2>&1); rc=$?
if [[ $rc -eq 0 ]]; then echo "launcher-selftest: expected failure without a JDK 21+, got: $out" >&2; exit 1; fi
if [[ $(printf '%s\n' "$out" | wc -l) -ne 1 || "$out" != *"no JDK 21+ found"*"install one"* ]]; then
  echo "launcher-selftest: unexpected message: $out" >&2; exit 1
fi
jdk=$("$ROOT/wsstudy" jdk) || { echo "launcher-selftest: no JDK 21+ found on this machine" >&2; exit 1; }
v=$("$jdk/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
if [[ -z "$v" || "$v" -lt 21 ]]; then echo "launcher-selftest: picked $jdk (version $v)" >&2; exit 1; fi
echo "launcher-selftest: ok (picked $jdk, Java $v; without one: '$out')"
