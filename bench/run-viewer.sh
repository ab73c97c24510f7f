#!/usr/bin/env bash
# The heatmap viewer in headless Chromium (see docs/PERFORMANCE.md, "Viewer"): time to the first heatmap of a busy
# page's 30-day view, with the stored view and computed on request, and the redraw time of a palette change.
#
# Builds nothing: run `mvn -B -q -DskipTests install` first, so that bench/target/isotherm-bench.jar and
# launcher/target/isotherm.jar (which carries the embedded PostgreSQL binaries) exist. Then:
#
#   bench/run-viewer.sh [ViewerBench options, e.g. --loads 7 --redraws 20 --height 10000]
#
# It prints the machine, waits (up to QUIET_WAIT_SECONDS) until the machine is idle, and runs
# io.isotherm.bench.ViewerBench: a fresh embedded PostgreSQL in a temporary directory, 30 days of generated grids
# (not timed), a dashboard on a free port and Debian's Chromium. Every RESULT line is copied to
# bench/target/run-viewer-results.txt.
#
# Knobs (environment): QUIET_WAIT_SECONDS=300  BENCH_JAVA_OPTS=""
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=bench/quiet.sh
source bench/quiet.sh
run_java_bench io.isotherm.bench.ViewerBench bench/target/run-viewer-results.txt "$@"
