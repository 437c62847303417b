#!/usr/bin/env bash
# Executes the result notebooks (notebooks/*.ipynb) against stored runs.
#
# Usage:
#   scripts/notebooks.sh [RUN_DIR...]      execute against these runs (default: the newest suite run and the
#                                          newest JMH run in results/) and export HTML into RUN_DIR/notebooks/;
#                                          the committed notebooks are not modified
#   scripts/notebooks.sh --inplace [RUN_DIR...]
#                                          execute the committed notebooks in place, outputs kept, against these
#                                          runs (default: the newest of each kind): how the reference runs'
#                                          figures get into the repository
#   scripts/notebooks.sh --check           the parser unit tests, then every notebook headless against the
#                                          committed reference runs (or, while there are none, the small real
#                                          run in notebooks/testdata/); executes into a temporary folder and
#                                          fails if any cell fails (called by scripts/test.sh)
#
# A suite run (results/<time>-<suite>/) gets suite-report (that run) and compare (that run as B, the run of the
# same suite before it as A); a JMH run (results/<time>-jmh-<profile>/, from ./wsstudy bench) gets microbench.
# Notebooks run on Debian's Python through `jupyter nbconvert` (scripts/setup.sh installs it).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NB="$ROOT/notebooks"
export PYDEVD_DISABLE_FILE_VALIDATION=1
usage() { sed -n '2,20s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2; exit 2; }

command -v jupyter-nbconvert >/dev/null || { echo "notebooks: jupyter-nbconvert missing; run ./wsstudy setup" >&2; exit 1; }
# The Python that has pandas and matplotlib (Debian's; a pyenv python3 first on PATH may lack them).
PY=""
for p in /usr/bin/python3 python3; do
  if "$p" -c 'import pandas, matplotlib' 2>/dev/null; then PY="$p"; break; fi
done
[[ -n "$PY" ]] || { echo "notebooks: no python3 with pandas and matplotlib; run ./wsstudy setup" >&2; exit 1; }

kind_of() { # suite | jmh | crosscheck | ... | (nothing): the rule of run_kind in notebooks/wsstudy_results.py
  "$PY" - "$1" <<'EOF'
import json, os, sys
d = sys.argv[1]
try:
    info = json.load(open(os.path.join(d, "run.json")))
except (OSError, ValueError):
    info = {}
if os.path.isfile(os.path.join(d, "jmh.json")) or info.get("kind") == "jmh":
    print("jmh")
elif os.path.isfile(os.path.join(d, "crosscheck.json")) or "crosscheck" in info or info.get("kind"):
    print(info.get("kind") or "crosscheck")
elif os.path.isfile(os.path.join(d, "summary.csv")) or os.path.isfile(os.path.join(d, "run.json")):
    print("suite")
EOF
}
newest() { # newest run folder of a kind under $1 (run folders are named by UTC time, so names sort by age)
  local d; for d in $(ls -1d "$1"/[0-9]*T*Z-* 2>/dev/null | sort -r); do
    [[ "$(kind_of "$d")" == "$2" ]] && { echo "$d"; return; }
  done
}
abs() { (cd "$1" && pwd); }

# execute MODE NOTEBOOK RUN_DIR OUT_DIR: MODE html | notebook | inplace. The kernel runs in notebooks/.
execute() {
  local mode="$1" nb="$2" run="$3" out="$4" env=()
  case "$nb" in
    suite-report) env=(WSSTUDY_RUN="$run") ;;
    compare) env=(WSSTUDY_RUN_B="$run") ;;
    microbench) env=(WSSTUDY_JMH_RUN="$run") ;;
  esac
  local args=(--execute --ExecutePreprocessor.timeout=900 "$NB/$nb.ipynb")
  case "$mode" in
    html) args=(--to html "${args[@]}" --output-dir "$out") ;;
    notebook) args=(--to notebook "${args[@]}" --output-dir "$out") ;;
    inplace) args=(--to notebook "${args[@]}" --inplace) ;;
  esac
  echo "notebooks: $nb.ipynb against ${run#"$ROOT"/}" >&2
  env "${env[@]}" WSSTUDY_RESULTS_DIR="$(dirname "$run")" jupyter-nbconvert "${args[@]}" 2>"$out/$nb.log" \
    || { cat "$out/$nb.log" >&2; echo "notebooks: $nb.ipynb FAILED against $run" >&2; return 1; }
}

notebooks_for() { # the notebooks that read a run of this kind
  case "$(kind_of "$1")" in
    suite) echo "suite-report compare" ;;
    jmh) echo "microbench" ;;
    "") echo "notebooks: $1 is not a run folder (no run.json, summary.csv or jmh.json)" >&2; return 1 ;;
    *) echo "notebooks: $1 is neither a suite run nor a JMH run (no notebook reads it)" >&2; return 1 ;;
  esac
}

default_runs() { # the newest suite run and the newest JMH run under $1
  local s j; s=$(newest "$1" suite); j=$(newest "$1" jmh)
  [[ -n "$s$j" ]] || { echo "notebooks: no run folders in $1; run ./wsstudy suite quick first" >&2; return 1; }
  echo $s $j
}

mode=html
case "${1:-}" in
  --check) mode=check; shift ;;
  --inplace) mode=inplace; shift ;;
  -h|--help) usage ;;
esac

if [[ "$mode" == check ]]; then
  (cd "$NB" && "$PY" -m unittest discover -s tests -t . -v 2>&1 | tail -n 40) || { echo "notebooks: unit tests failed" >&2; exit 1; }
  # The committed reference runs: every suite run and the newest JMH run tracked by git (the suite runs
  # differ in shape: full, peers, ...); none of a kind -> the test run in notebooks/testdata.
  runs=()
  for kind in suite jmh; do
    found=()
    for d in $(git -C "$ROOT" ls-files 'results/*/run.json' 'results/*/jmh.json' 2>/dev/null | xargs -r -n1 dirname | sort -ru); do
      [[ "$(kind_of "$ROOT/$d")" == "$kind" ]] || continue
      found+=("$ROOT/$d")
      [[ "$kind" == jmh ]] && break
    done
    [[ ${#found[@]} -gt 0 ]] || { r=$(newest "$NB/testdata/results" "$kind"); [[ -n "$r" ]] && found=("$r"); }
    runs+=("${found[@]}")
  done
  tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
  for run in "${runs[@]}"; do
    for nb in $(notebooks_for "$run"); do execute notebook "$nb" "$run" "$tmp"; done
  done
  echo "notebooks: every notebook executed without error (${#runs[@]} runs)" >&2
  exit 0
fi

runs=("$@")
if [[ ${#runs[@]} -eq 0 ]]; then
  found=$(default_runs "$ROOT/results") || exit 1
  read -r -a runs <<<"$found"
fi
for i in "${!runs[@]}"; do
  [[ -d "${runs[$i]}" ]] || { echo "notebooks: ${runs[$i]}: no such folder" >&2; exit 2; }
  runs[$i]=$(abs "${runs[$i]}")
done
for run in "${runs[@]}"; do
  nbs=$(notebooks_for "$run")
  if [[ "$mode" == inplace ]]; then
    logs=$(mktemp -d)
    for nb in $nbs; do execute inplace "$nb" "$run" "$logs"; done
    rm -rf "$logs"
  else
    mkdir -p "$run/notebooks"
    for nb in $nbs; do execute html "$nb" "$run" "$run/notebooks"; rm -f "$run/notebooks/$nb.log"; done
    echo "notebooks: HTML in ${run#"$ROOT"/}/notebooks/" >&2
  fi
done
if [[ "$mode" == inplace ]] && grep -l "$ROOT" "$NB"/*.ipynb >/dev/null 2>&1; then
  echo "notebooks: warning: an output names an absolute path ($(grep -l "$ROOT" "$NB"/*.ipynb | xargs -n1 basename)); fix before committing" >&2
fi
