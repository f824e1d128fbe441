#!/bin/sh
# Runs Starling's JMH benchmark suites and writes bench/results/<suite>.json.
#   bench/run.sh --list            # the suites
#   bench/run.sh training          # one suite, default settings (1 fork, 3 warm-up + 5 x 1 s)
#   bench/run.sh --iterations 10   # all suites, longer measurement
# Builds starling-bench (without running tests) first; benchmarks never run in ./mvnw verify.
# STARLING_BENCH_JAVA_OPTS replaces the runner JVM's options (default -Xmx3g: the network suite
# runs in the runner's JVM; JMH suites fork their own).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/.mvn/find-jdk.sh"
echo "bench: building starling-bench..." >&2
if ! (cd "$root" && ./mvnw -q -B -DskipTests -pl starling-bench -am package >&2); then
  echo "bench: the build failed; run './mvnw -pl starling-bench -am package' to see why." >&2
  exit 2
fi
cd "$root"
exec "$JAVA_HOME/bin/java" ${STARLING_BENCH_JAVA_OPTS:--Xmx3g} --enable-native-access=ALL-UNNAMED \
  -cp "$root/starling-bench/target/starling-bench.jar:$root/starling-bench/target/lib/*" \
  io.starling.bench.BenchRunner --out-dir "$root/bench/results" "$@"
