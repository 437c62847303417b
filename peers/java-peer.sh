# Shared by the Java peers' run and build scripts (peers/README.md); sourced, not run.
# Usage: java_peer_build DIR   |   java_peer_run DIR ARGS...   (DIR = peers/<name>, artifactId peer-<name>)
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

java_peer_jar() { echo "$ROOT/peers/$1/target/peer-$1.jar"; }

# Idempotent and fast when built: Maven runs only when the jar is missing or older than the
# peer's sources or a pom (the parent pom pins the peer's library versions).
java_peer_build() {
  local jar; jar=$(java_peer_jar "$1")
  if [[ -f "$jar" && -z "$(find "$ROOT/peers/$1/src/main" "$ROOT/peers/$1/pom.xml" "$ROOT/pom.xml" \
        -newer "$jar" -print -quit)" ]]; then
    return 0
  fi
  echo "peers/$1: building peer-$1.jar" >&2
  "$ROOT/wsstudy" mvn -q -DskipTests install -pl "peers/$1" -am
}

# exec, so the pid the caller started is the server JVM's (the suite samples /proc/<pid>).
# WSSTUDY_JVM_FLAGS: the JVM flags, word-split; the suite passes its serverJvmFlags here, so a Java
# peer runs with exactly the flags our servers get. The JDK is the launcher's (./wsstudy java).
java_peer_run() {
  local name="$1" jar; shift
  jar=$(java_peer_jar "$name")
  if [[ ! -f "$jar" ]]; then
    echo "peers/$name: $jar missing; run peers/$name/build (or ./wsstudy build)" >&2
    exit 2
  fi
  # shellcheck disable=SC2086
  exec "$ROOT/wsstudy" java ${WSSTUDY_JVM_FLAGS:-} -jar "$jar" "$@"
}
