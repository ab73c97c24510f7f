#!/usr/bin/env bash
# The heatmap viewer in headless Chromium (see docs/PERFORMANCE.md, "Viewer"): time to the first heatmap of a busy
# page's 30-day view, with the stored view and computed on request, the redraw time of a palette change, and the
# heatmap's forms (JSON, heatmap.bin, heatmap.packed) side by side: bytes sent and on the wire, request to arrays.
#
# Builds nothing: run `mvn -B -q -DskipTests install` first, so that bench/target/isotherm-bench.jar and
# launcher/target/isotherm.jar (which carries the embedded PostgreSQL binaries) exist. Then:
#
#   bench/run-viewer.sh [ViewerBench options, e.g. --loads 7 --redraws 20 --height 10000 --network 20:40]
#
# It prints the machine, waits (up to QUIET_WAIT_SECONDS) until the machine is idle, and runs
# io.isotherm.bench.ViewerBench: a fresh embedded PostgreSQL in a temporary directory, 30 days of generated grids
# (not timed), a dashboard on a free port and Debian's Chromium. Every RESULT line is copied to
# bench/target/run-viewer-results.txt.
#
# PRODUCT_BUILD=DIR measures another built checkout's dashboard and viewer (its bench/target/isotherm-bench.jar and
# launcher/target/isotherm.jar, say an older commit's) with this checkout's bench classes (bench/target/classes), so two
# builds are compared by the same measurement, one run after the other; its RESULT lines go to
# bench/target/run-viewer-results-product.txt.
#
# Knobs (environment): QUIET_WAIT_SECONDS=300  BENCH_JAVA_OPTS=""  PRODUCT_BUILD=""
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=bench/quiet.sh
source bench/quiet.sh
if [[ -z "${PRODUCT_BUILD:-}" ]]; then
  run_java_bench io.isotherm.bench.ViewerBench bench/target/run-viewer-results.txt "$@"
  exit
fi

for jar in "$PRODUCT_BUILD/bench/target/isotherm-bench.jar" "$PRODUCT_BUILD/launcher/target/isotherm.jar" bench/target/classes; do
  [[ -e "$jar" ]] || { echo "missing $jar" >&2; exit 2; }
done
echo "== machine"
describe_machine
echo "product: $PRODUCT_BUILD; bench classes: $(pwd)/bench/target/classes"
wait_quiet "${QUIET_WAIT_SECONDS:-300}"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
out="$(mktemp /tmp/isotherm-bench.XXXXXX)"
set +e
# shellcheck disable=SC2086
java ${BENCH_JAVA_OPTS:-} -cp "bench/target/classes:$PRODUCT_BUILD/bench/target/isotherm-bench.jar:$PRODUCT_BUILD/launcher/target/isotherm.jar" \
  io.isotherm.bench.ViewerBench "$@" 2>&1 | grep --line-buffered -v ' DEBUG ' | tee "$out"
status="${PIPESTATUS[0]}"
set -e
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
grep -E '^RESULT' "$out" >bench/target/run-viewer-results-product.txt || true
rm -f "$out"
exit "$status"
