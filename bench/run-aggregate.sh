#!/usr/bin/env bash
# End-to-end aggregation throughput on this machine (see docs/PERFORMANCE.md, "Aggregation").
#
# Builds nothing: run `mvn -B -q -DskipTests install` first, so that bench/target/isotherm-bench.jar and
# launcher/target/isotherm.jar (which carries the embedded PostgreSQL binaries) exist. Then:
#
#   bench/run-aggregate.sh [AggregateBench options, e.g. --events 10000000 --aggregators 1,2]
#
# It prints the machine, waits (up to QUIET_WAIT_SECONDS) until the machine is idle, and runs
# io.isotherm.bench.AggregateBench: a fresh embedded PostgreSQL in a temporary directory, a generated backlog of raw
# events (not timed), then the aggregators until nothing is pending, grids, statistics and stored views included.
# Every RESULT line is copied to bench/target/run-aggregate-results.txt.
#
# Knobs (environment): QUIET_WAIT_SECONDS=300  BENCH_JAVA_OPTS=""
set -euo pipefail
cd "$(dirname "$0")/.."

QUIET_WAIT_SECONDS="${QUIET_WAIT_SECONDS:-300}"
BENCH_JAVA_OPTS="${BENCH_JAVA_OPTS:-}"
CLASSPATH_JARS=bench/target/isotherm-bench.jar:launcher/target/isotherm.jar
RESULTS=bench/target/run-aggregate-results.txt

for jar in bench/target/isotherm-bench.jar launcher/target/isotherm.jar; do
  if [[ ! -f "$jar" ]]; then
    echo "missing $jar: run 'mvn -B -q -DskipTests install' first" >&2
    exit 2
  fi
done

# shellcheck source=bench/quiet.sh
source bench/quiet.sh
echo "== machine"
describe_machine
echo "load average before waiting: $(cut -d' ' -f1-3 /proc/loadavg)"
wait_quiet "$QUIET_WAIT_SECONDS"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo

OUT="$(mktemp /tmp/aggregate-bench.XXXXXX)"
trap 'rm -f "$OUT"' EXIT
set +e
# shellcheck disable=SC2086
java $BENCH_JAVA_OPTS -cp "$CLASSPATH_JARS" io.isotherm.bench.AggregateBench "$@" 2>&1 | grep --line-buffered -v ' DEBUG ' | tee "$OUT"
status="${PIPESTATUS[0]}"
set -e
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
grep -E '^RESULT' "$OUT" >"$RESULTS" || true
echo "(every RESULT line: $RESULTS)"
exit "$status"
