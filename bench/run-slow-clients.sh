#!/usr/bin/env bash
# Slow-body clients against a real server (see docs/PERFORMANCE.md, "Slow clients").
#
# Builds nothing: run `mvn -B -q -DskipTests package` first, so that launcher/target/isotherm.jar and
# bench/target/isotherm-bench.jar exist. Then:
#
#   bench/run-slow-clients.sh
#
# It starts Isotherm (collector role, default HTTP limits) on a free port with a fresh data directory under /tmp,
# registers a site, and runs SlowClientsBench: a few steady clients send batches and ask /health, in rounds without
# and with SLOW slow connections (each sends its body one byte a second from one of ADDRESSES loopback addresses and
# reconnects when cut off). It prints every round and the medians side by side, then stops the server and removes
# the data directory (KEEP_DATA=1 keeps it, with the server log).
#
# Knobs (environment): SLOW=1000  ADDRESSES=10  CLIENTS=4  PHASE_SECONDS=20  ROUNDS=3  SERVER_JAVA_OPTS=""  BENCH_JAVA_OPTS=""
#                      KEEP_DATA=0  SERVER_JAR=launcher/target/isotherm.jar (another build to compare); ISOTHERM_HTTP_* and ISOTHERM_COLLECT_* variables reach the server (see README).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/quiet.sh
source bench/quiet.sh

SLOW="${SLOW:-1000}"
ADDRESSES="${ADDRESSES:-10}"
CLIENTS="${CLIENTS:-4}"
SECONDS_PER_PHASE="${PHASE_SECONDS:-20}"
ROUNDS="${ROUNDS:-3}"
SERVER_JAVA_OPTS="${SERVER_JAVA_OPTS:-}"
BENCH_JAVA_OPTS="${BENCH_JAVA_OPTS:-}"
KEEP_DATA="${KEEP_DATA:-0}"
ORIGIN="http://bench.example"

SERVER_JAR="${SERVER_JAR:-launcher/target/isotherm.jar}"
BENCH_JAR=bench/target/isotherm-bench.jar
for jar in "$SERVER_JAR" "$BENCH_JAR"; do
  if [[ ! -f "$jar" ]]; then
    echo "missing $jar: run 'mvn -B -q -DskipTests package' first" >&2
    exit 2
  fi
done
# The server and the clients each hold one end of every slow connection.
if (( $(ulimit -n) < SLOW + 1000 )); then
  ulimit -n $((SLOW + 1000)) 2>/dev/null || { echo "ulimit -n is $(ulimit -n): too low for $SLOW slow connections" >&2; exit 2; }
fi

DATA="$(mktemp -d /tmp/isotherm-slow.XXXXXX)"
SERVER_PID=""
cleanup() {
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID"
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  if [[ "$KEEP_DATA" == 1 ]]; then
    echo "data and server log kept in $DATA"
  else
    rm -rf "$DATA"
  fi
}
trap cleanup EXIT

echo "== machine"
echo "nproc: $(nproc); $(lscpu | grep 'Model name' | sed 's/  */ /g'); memory: $(free -h | awk '/^Mem:/ { print $2 }'); ulimit -n: $(ulimit -n)"
java -version 2>&1 | head -1

echo "== starting Isotherm (collector role) with data in $DATA"
start_collector "$SERVER_JAR" "$DATA"
echo "server pid $SERVER_PID on http://127.0.0.1:$PORT"

SITE_JSON="$(java -jar "$SERVER_JAR" site add --data-dir "$DATA" --name bench --origin "$ORIGIN" --json 2>>"$DATA/site.log")"
SITE="$(echo "$SITE_JSON" | sed -n 's/.*"key":"\([^"]*\)".*/\1/p')"
if [[ -z "$SITE" ]]; then
  echo "could not register the site: $SITE_JSON" >&2
  cat "$DATA/site.log" >&2
  exit 1
fi

echo "== slow clients"
# shellcheck disable=SC2086
java $BENCH_JAVA_OPTS -cp "$BENCH_JAR" io.isotherm.bench.SlowClientsBench --url "http://127.0.0.1:$PORT" --site "$SITE" \
  --origin "$ORIGIN" --slow "$SLOW" --addresses "$ADDRESSES" --clients "$CLIENTS" --seconds "$SECONDS_PER_PHASE" --rounds "$ROUNDS"

echo
echo "== server log: errors and stack traces"
grep -cE ' ERROR |^\s+at |Exception' "$DATA/server.log" || true
