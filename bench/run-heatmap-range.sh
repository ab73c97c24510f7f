#!/usr/bin/env bash
# The heatmap of any date range on a heavy page and on one with a hundred times less traffic (see
# docs/PERFORMANCE.md).
#
# Builds nothing: run `mvn -B -q -DskipTests install` first, so that bench/target/isotherm-bench.jar and
# launcher/target/isotherm.jar (which carries the embedded PostgreSQL binaries) exist. Then:
#
#   bench/run-heatmap-range.sh --quick   # about 3 minutes: heavy page 500,000 + 100,000 events, 5 timed requests
#   bench/run-heatmap-range.sh           # the document's run: heavy page 10,000,000 events in the last 30 days and
#                                        # 2,000,000 in the 335 before, 15 timed requests of each kind
#   bench/run-heatmap-range.sh [HeatmapRangeBench options, e.g. --repeats 9 --device mobile]
#
# It prints the machine, waits (up to QUIET_WAIT_SECONDS) until the machine is idle, and runs
# io.isotherm.bench.HeatmapRangeBench: a fresh embedded PostgreSQL in a temporary directory, a year of raw events for
# both pages (not timed), the real aggregator over them (timed, printed), then HeatmapQuery in process for the last 1,
# 7, 30, 90 and 365 days and an arbitrary range, σ default, 16 and 48 px, clicks and moves, heavy and light side by
# side. One RESULT_HEATMAP_RANGE line per request (median and 90th percentile of each page, heavy ÷ light); all RESULT
# lines are copied to bench/target/run-heatmap-range-results.txt.
#
# Knobs (environment): QUIET_WAIT_SECONDS=300 (30 with --quick)  BENCH_JAVA_OPTS=""
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ " $* " == *" --quick "* ]]; then
  QUIET_WAIT_SECONDS="${QUIET_WAIT_SECONDS:-30}"
fi
# shellcheck source=bench/quiet.sh
source bench/quiet.sh
run_java_bench io.isotherm.bench.HeatmapRangeBench bench/target/run-heatmap-range-results.txt "$@"
