#!/usr/bin/env bash
# End-to-end aggregation throughput on this machine, against the read ceiling of the same rows (see
# docs/PERFORMANCE.md, "Aggregation").
#
# Builds nothing: run `mvn -B -q -DskipTests install` first, so that bench/target/isotherm-bench.jar and
# launcher/target/isotherm.jar (which carries the embedded PostgreSQL binaries) exist. Then:
#
#   bench/run-aggregate.sh --quick    # under 3 minutes: 500,000 events, uniform, one and two aggregators (after an
#                                     # untimed warm-up round of 100,000)
#   bench/run-aggregate.sh            # the document's run: 10,000,000 events, uniform and clustered, one and two
#                                     # aggregators (about 25 minutes on 2 cores)
#   bench/run-aggregate.sh [AggregateBench options, e.g. --events 10000000 --aggregators 1,2 --spread clustered]
#
# It prints the machine, waits (up to QUIET_WAIT_SECONDS) until the machine is idle, and runs
# io.isotherm.bench.AggregateBench: a fresh embedded PostgreSQL in a temporary directory; per spread and aggregator
# count a generated backlog of raw events (not timed), VACUUM ANALYZE, the read ceiling of those rows (a COPY … TO
# STDOUT whose bytes are discarded, text and binary, twice, and a JDBC cursor), then the aggregators until nothing is
# pending, the COPYs once more, then their refresh. The ratio is taken against the median of the three COPYs.
# RESULT_READ_CEILING and RESULT_AGGREGATE (events/s, refresh time, ratio to the COPY ceiling, storage) lines are
# copied to bench/target/run-aggregate-results.txt.
#
# Knobs (environment): QUIET_WAIT_SECONDS=300 (30 with --quick)  BENCH_JAVA_OPTS=""
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ " $* " == *" --quick "* ]]; then
  QUIET_WAIT_SECONDS="${QUIET_WAIT_SECONDS:-30}"
fi
# shellcheck source=bench/quiet.sh
source bench/quiet.sh
run_java_bench io.isotherm.bench.AggregateBench bench/target/run-aggregate-results.txt "$@"
