#!/usr/bin/env bash
# Soak: a steady ingest load for many minutes against a real server on loopback (issue 13; see docs/PERFORMANCE.md).
#
# Builds nothing: run `mvn -B -q -DskipTests install` first, so that launcher/target/isotherm.jar and
# bench/target/isotherm-bench.jar exist. Then:
#
#   bench/run-soak.sh                      # 10 minutes at 100,000 events/s
#   MINUTES=2 RATE=50000 bench/run-soak.sh
#
# It starts Isotherm (collector role) on a free port with a fresh data directory under /tmp, registers a site, waits
# for a quiet machine, and runs io.isotherm.bench.SoakLoad: tracker batches from the ingest benchmark's workload, sent
# on a fixed schedule (open loop) over CONNECTIONS keep-alive connections. Every minute it prints a MINUTE line:
# events/s answered 202, p50/p99/max latency, errors (any answer but 202, any failed request), the server's RSS and
# how far the senders fell behind their schedule. The server runs with a fixed, pre-touched heap, so its RSS measures
# what the heap does not: threads, buffers, native memory. At the end the RESULT line, and the exit status is 1 if
# there was any error, if raw_event does not hold exactly the events answered 202, or if the server's RSS grew by
# more than MAX_RSS_GROWTH_MB over the second half.
#
# RATE defaults to half the highest end-to-end rate measured in docs/PERFORMANCE.md (203,701 events/s, socket client).
# The load comes from one address (127.0.0.1): the collector's rate limits are off unless set in the environment.
# Every ISOTHERM_* variable in the environment reaches the server (see the README's configuration table).
# At 100,000 events/s PostgreSQL writes several GB per 10 minutes; the data directory is removed at the end
# (KEEP_DATA=1 keeps it, with the server log).
#
# Knobs (environment): MINUTES=10  RATE=100000  CONNECTIONS=32  MAX_RSS_GROWTH_MB=64  SEED=1  KEEP_DATA=0
#                      SERVER_JAVA_OPTS="-Xms512m -Xmx512m -XX:+AlwaysPreTouch"  BENCH_JAVA_OPTS=""
#                      QUIET_WAIT_SECONDS=120
set -euo pipefail
cd "$(dirname "$0")/.."

MINUTES="${MINUTES:-10}"
RATE="${RATE:-100000}"
CONNECTIONS="${CONNECTIONS:-32}"
MAX_RSS_GROWTH_MB="${MAX_RSS_GROWTH_MB:-64}"
SEED="${SEED:-1}"
KEEP_DATA="${KEEP_DATA:-0}"
SERVER_JAVA_OPTS="${SERVER_JAVA_OPTS:--Xms512m -Xmx512m -XX:+AlwaysPreTouch}"
BENCH_JAVA_OPTS="${BENCH_JAVA_OPTS:-}"
ORIGIN="http://bench.example"

SERVER_JAR=launcher/target/isotherm.jar
BENCH_JAR=bench/target/isotherm-bench.jar
for jar in "$SERVER_JAR" "$BENCH_JAR"; do
  if [[ ! -f "$jar" ]]; then
    echo "missing $jar: run 'mvn -B -q -DskipTests install' first" >&2
    exit 2
  fi
done

# shellcheck source=bench/quiet.sh
source bench/quiet.sh

DATA="$(mktemp -d /tmp/isotherm-soak.XXXXXX)"
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
describe_machine

echo "== starting Isotherm (collector role) with data in $DATA"
echo "server options: $SERVER_JAVA_OPTS; ISOTHERM_* set here: $(env | grep -o '^ISOTHERM_[A-Z0-9_]*' | tr '\n' ' ')"
rate_limits_off_unless_set
start_collector "$SERVER_JAR" "$DATA"
PG_PORT="$(sed -n 4p "$DATA/postgres/postmaster.pid")"
echo "server pid $SERVER_PID on http://127.0.0.1:$PORT; PostgreSQL on port $PG_PORT"

SITE_JSON="$(java -jar "$SERVER_JAR" site add --data-dir "$DATA" --name soak --origin "$ORIGIN" --json 2>>"$DATA/site.log")"
SITE="$(echo "$SITE_JSON" | sed -n 's/.*"key":"\([^"]*\)".*/\1/p')"
if [[ -z "$SITE" ]]; then
  echo "could not register the site: $SITE_JSON" >&2
  cat "$DATA/site.log" >&2
  exit 1
fi

wait_quiet "${QUIET_WAIT_SECONDS:-120}"
echo "== soak: $RATE events/s for $MINUTES min over $CONNECTIONS connections"
set +e
# shellcheck disable=SC2086
java $BENCH_JAVA_OPTS -cp "$BENCH_JAR" io.isotherm.bench.SoakLoad --url "http://127.0.0.1:$PORT/api/collect" --site "$SITE" \
  --origin "$ORIGIN" --server-pid "$SERVER_PID" --rate "$RATE" --minutes "$MINUTES" --connections "$CONNECTIONS" \
  --seed "$SEED" --max-rss-growth-mb "$MAX_RSS_GROWTH_MB" --verify-jdbc "jdbc:postgresql://localhost:$PG_PORT/postgres" \
  | tee "$DATA/soak.txt"
status="${PIPESTATUS[0]}"
set -e
grep -E '^(MINUTE|RESULT)' "$DATA/soak.txt" >bench/target/run-soak-results.txt || true
echo "(every MINUTE and RESULT line: bench/target/run-soak-results.txt)"
errors_in_log="$(grep -c ' ERROR ' "$DATA/server.log" || true)"
echo "server log: $errors_in_log ERROR lines"
if [[ "$errors_in_log" != 0 ]]; then
  grep ' ERROR ' "$DATA/server.log" | head -5
  status=1
fi
exit "$status"
