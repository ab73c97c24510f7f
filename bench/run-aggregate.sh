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

# shellcheck source=bench/quiet.sh
source bench/quiet.sh
run_java_bench io.isotherm.bench.AggregateBench bench/target/run-aggregate-results.txt "$@"
