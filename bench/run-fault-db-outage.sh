#!/usr/bin/env bash
# Fault: the database stopped for 20 s under load, with the real tracker in Chromium retrying (issue 13).
#
# Builds nothing: run `mvn -B -q -DskipTests install` first, so that bench/target/isotherm-bench.jar and
# launcher/target/isotherm.jar (which carries the embedded PostgreSQL binaries) exist. Needs Debian's chromium and
# chromium-driver. Then:
#
#   bench/run-fault-db-outage.sh [--outage-seconds 20 --before-seconds 8 --after-seconds 8 --clients 4]
#   bench/run-fault-db-outage.sh --mode freeze     # every PostgreSQL process paused (SIGSTOP) instead of stopped
#
# Runs io.isotherm.bench.DatabaseOutageFault: a collector on a real port over an embedded PostgreSQL in a temporary
# directory; a headless Chromium clicks a page with the tracker about seven times a second while HTTP clients that
# resend every batch until it is answered 202 add load; PostgreSQL is stopped for the outage and started again on the
# same port; the tracker's own retries deliver what it held, and leaving the page sends the rest by beacon. Then the
# counts must be exact: every click stored once, every batch with all its events and no seq skipped, every batch
# answered 202 stored once, and some batches answered 503 (the outage was felt). Exits 1 on any mismatch
# (the MISMATCH lines say which). About 90 s. The RESULT line goes to bench/target/run-fault-db-outage-results.txt.
#
# Knobs (environment): QUIET_WAIT_SECONDS=300  BENCH_JAVA_OPTS=""
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=bench/quiet.sh
source bench/quiet.sh
run_java_bench io.isotherm.bench.DatabaseOutageFault bench/target/run-fault-db-outage-results.txt "$@"
