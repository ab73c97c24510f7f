#!/usr/bin/env bash
# The tracker's main-thread cost in Chromium, on this machine (see docs/PERFORMANCE.md, "Tracker main-thread cost").
#
# Builds nothing: run `mvn -B -q -DskipTests install` (or package) first, so that bench/target/isotherm-bench.jar
# exists. Needs Chromium and its chromedriver (Debian: apt-get install chromium chromium-driver). Then:
#
#   bench/run-tracker-cost.sh [TrackerCost options, e.g. --rounds 7]
#
# It prints the machine, waits (up to QUIET_WAIT_SECONDS) until the machine is idle, since other work on a small
# machine skews the timings, and runs io.isotherm.bench.TrackerCost, which serves the benchmark page on 127.0.0.1,
# drives headless Chromium, prints a RESULT_TRACKER line per measurement and the summary tables. Every RESULT line is
# copied to bench/target/run-tracker-cost-results.txt.
#
# Knobs (environment): CHROMIUM=/usr/bin/chromium  CHROMEDRIVER=/usr/bin/chromedriver  QUIET_WAIT_SECONDS=300
#                      BENCH_JAVA_OPTS=""
set -euo pipefail
cd "$(dirname "$0")/.."

CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
QUIET_WAIT_SECONDS="${QUIET_WAIT_SECONDS:-300}"
BENCH_JAVA_OPTS="${BENCH_JAVA_OPTS:-}"
BENCH_JAR=bench/target/isotherm-bench.jar
RESULTS=bench/target/run-tracker-cost-results.txt

if [[ ! -f "$BENCH_JAR" ]]; then
  echo "missing $BENCH_JAR: run 'mvn -B -q -DskipTests install' first" >&2
  exit 2
fi
for binary in "$CHROMIUM" "$CHROMEDRIVER"; do
  if [[ ! -x "$binary" ]]; then
    echo "missing $binary (Debian: apt-get install chromium chromium-driver; or set CHROMIUM / CHROMEDRIVER)" >&2
    exit 2
  fi
done

# shellcheck source=bench/quiet.sh
source bench/quiet.sh

echo "== machine"
echo "nproc: $(nproc); $(lscpu | grep 'Model name' | sed 's/  */ /g'); memory: $(free -h | awk '/^Mem:/ { print $2 }'); kernel: $(uname -r)"
java -version 2>&1 | head -1
"$CHROMIUM" --version 2>/dev/null
"$CHROMEDRIVER" --version
echo "load average before waiting: $(cut -d' ' -f1-3 /proc/loadavg)"
wait_quiet "$QUIET_WAIT_SECONDS"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo

OUT="$(mktemp /tmp/tracker-cost.XXXXXX)"
trap 'rm -f "$OUT"' EXIT
set +e
# shellcheck disable=SC2086
java $BENCH_JAVA_OPTS -cp "$BENCH_JAR" io.isotherm.bench.TrackerCost --chromium "$CHROMIUM" --chromedriver "$CHROMEDRIVER" "$@" \
  2>&1 | tee "$OUT"
status="${PIPESTATUS[0]}"
set -e
echo
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
grep -E '^(DISTURBED )?RESULT' "$OUT" >"$RESULTS" || true
echo "(every RESULT line: $RESULTS)"
exit "$status"
