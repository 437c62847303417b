#!/usr/bin/env bash
# JMH microbenchmarks of the protocol's hot paths (microbench/) into a run folder
# results/<UTC yyyyMMdd'T'HHmmss'Z'>-jmh-<profile>/: jmh.json (JMH's JSON), jmh.txt (its console
# output), run.json (the suite's metadata: git, JDK, JVM flags, OS, CPU, command line, times) and
# summary.md (tables and the issue's targets, PASS/MISS).
#
# Usage: scripts/bench.sh short|full [JMH options and benchmark regexps]
#   short  1 fork, 2 x 1 s warm-up, 3 x 1 s measurement, fewer parameters: 35 runs, under 4 minutes
#   full   2 forks, 3 x 1 s warm-up, 5 x 1 s measurement, every parameter: 113 runs, about 40 minutes
# Extra arguments go to JMH and override the profile's option of the same name (-f, -wi, -w, -i, -r,
# and -p NAME=...), e.g. `scripts/bench.sh short MaskingBenchmark -p size=1048576 -f 2`.
# Environment: WSSTUDY_BENCH_JVM_FLAGS (default "-Xms1g -Xmx1g"), WSSTUDY_RESULTS_DIR (default results/).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
usage() { sed -n '2,13s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2; exit 2; }

profile="${1:-}"
[[ "$profile" == short || "$profile" == full ]] || usage
shift
command_line="bench.sh $profile${*:+ $*}"

# Options of each profile, in order; parameters (-p) by name.
keys=(-f -wi -w -i -r)
declare -A opt par
case "$profile" in
  short)
    opt=([-f]=1 [-wi]=2 [-w]=1s [-i]=3 [-r]=1s)
    # 125 B and 64 KiB payloads (the targets), 64 KiB split into reads, 4 KiB texts,
    # 125 B chat messages, batches of 16 frames
    par=([size]=125,65536 [frameSize]=125 [splitSize]=65536 [textBytes]=4096 [payloadBytes]=125 [frames]=16) ;;
  full)
    opt=([-f]=2 [-wi]=3 [-w]=1s [-i]=5 [-r]=1s) ;;
esac

# The user's arguments: a known option replaces the profile's, anything else is passed on as is.
rest=()
while (($#)); do
  case "$1" in
    -f|-wi|-w|-i|-r)
      (($# >= 2)) || { echo "bench.sh: $1 needs a value" >&2; exit 2; }
      opt[$1]="$2"; shift 2 ;;
    -p)
      (($# >= 2)) && [[ "$2" == *=* ]] || { echo "bench.sh: -p needs NAME=VALUES" >&2; exit 2; }
      par[${2%%=*}]="${2#*=}"; shift 2 ;;
    *) rest+=("$1"); shift ;;
  esac
done

jvm_flags="${WSSTUDY_BENCH_JVM_FLAGS:--Xms1g -Xmx1g}"
jmh_args=()
for k in "${keys[@]}"; do jmh_args+=("$k" "${opt[$k]}"); done
for p in $(printf '%s\n' "${!par[@]}" | sort); do jmh_args+=(-p "$p=${par[$p]}"); done
# -foe: a benchmark that throws fails the run instead of leaving a hole in the tables.
jmh_args+=(-foe true -jvmArgs "$jvm_flags" -rf json -rff jmh.json "${rest[@]}")

JAVA="$("$ROOT/wsstudy" jdk)/bin/java"
bench_jar="$ROOT/microbench/target/microbench.jar"
loadgen_jar="$ROOT/loadgen/target/loadgen.jar"
if [[ ! -f "$bench_jar" || ! -f "$loadgen_jar" ]]; then
  echo "bench.sh: building the benchmark jar (and loadgen, which writes run.json)" >&2
  "$ROOT/wsstudy" mvn -q -DskipTests install -pl microbench,loadgen -am
fi

results_dir="${WSSTUDY_RESULTS_DIR:-$ROOT/results}"
mkdir -p "$results_dir"
dir=$("$JAVA" -cp "$loadgen_jar" dev.wsstudy.suite.RunInfoMain start --name "jmh-$profile" --kind jmh \
  --field "profile=$profile" --results-dir "$results_dir" --command-line "$command_line" \
  --jvm-flags "$jvm_flags" -- "${jmh_args[@]}")
echo "bench.sh: writing $dir" >&2

set +e
(cd "$dir" && "$JAVA" -jar "$bench_jar" "${jmh_args[@]}") 2>&1 | tee "$dir/jmh.txt"
rc=${PIPESTATUS[0]}
set -e
# Keep this machine's paths out of stored results: the JDK home becomes ${JAVA_HOME}, the
# checkout becomes "." (JMH records the java binary; the JDK's warnings name the jar's path).
jdk_home="$(dirname "$(dirname "$JAVA")")"
sed -i -e "s#${jdk_home}#\${JAVA_HOME}#g" -e "s#${ROOT}/#./#g" "$dir/jmh.txt" "$dir/jmh.json" 2>/dev/null || true

"$JAVA" -cp "$loadgen_jar" dev.wsstudy.suite.RunInfoMain finish --dir "$dir" --exit-code "$rc"
python3 "$ROOT/scripts/bench_summary.py" "$dir"
echo "bench.sh: results in $dir (summary.md, jmh.json, jmh.txt, run.json)" >&2
exit "$rc"
