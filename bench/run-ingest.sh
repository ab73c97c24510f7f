#!/usr/bin/env bash
# HTTP ingest benchmark and its COPY ceiling, on this machine (see docs/PERFORMANCE.md).
#
# Builds nothing: run `mvn -B -q -DskipTests package` (or install) first, so that launcher/target/isotherm.jar and
# bench/target/isotherm-bench.jar exist. Then:
#
#   bench/run-ingest.sh
#
# It starts Isotherm (collector role only) on a free port with a fresh data directory under /tmp, registers a site,
# warms the server's JIT with an unrecorded run, then for each repetition runs IngestLoad for every client and
# connection count and CopyCeiling for every thread count and transaction size. Every run starts from empty
# raw_event/ingest_batch tables and a checkpoint, and waits (up to 120 s) for the machine to be idle, since other
# work on a 2-core machine would skew it. At the end it prints medians and the ratio end-to-end / ceiling, stops the
# server and removes the data directory (KEEP_DATA=1 keeps it, with the server log and every run's output).
#
# Knobs (environment): CONNECTIONS="4 16 64"  CLIENTS="jdk socket"  RUN_SECONDS=20  WARMUP=5  REPEATS=3  JIT_WARMUP_SECONDS=30
#                      COPY_THREADS="1 2"  COPY_BATCHES="25 50"  SEED=1  SERVER_JAVA_OPTS=""  BENCH_JAVA_OPTS=""
#                      KEEP_DATA=0  MAX_OTHER_CORES=0.25; ISOTHERM_COLLECT_* variables reach the server (see README).
set -euo pipefail
cd "$(dirname "$0")/.."

CONNECTIONS="${CONNECTIONS:-4 16 64}"
CLIENTS="${CLIENTS:-jdk socket}"
RUN_SECONDS="${RUN_SECONDS:-20}"
WARMUP="${WARMUP:-5}"
JIT_WARMUP_SECONDS="${JIT_WARMUP_SECONDS:-30}"
REPEATS="${REPEATS:-3}"
COPY_THREADS="${COPY_THREADS:-1 2}"
COPY_BATCHES="${COPY_BATCHES:-25 50}"
SEED="${SEED:-1}"
SERVER_JAVA_OPTS="${SERVER_JAVA_OPTS:-}"
BENCH_JAVA_OPTS="${BENCH_JAVA_OPTS:-}"
KEEP_DATA="${KEEP_DATA:-0}"
MAX_OTHER_CORES="${MAX_OTHER_CORES:-0.25}"
ORIGIN="http://bench.example"

SERVER_JAR=launcher/target/isotherm.jar
BENCH_JAR=bench/target/isotherm-bench.jar
for jar in "$SERVER_JAR" "$BENCH_JAR"; do
  if [[ ! -f "$jar" ]]; then
    echo "missing $jar: run 'mvn -B -q -DskipTests package' first" >&2
    exit 2
  fi
done

DATA="$(mktemp -d /tmp/isotherm-bench.XXXXXX)"
RESULTS="$DATA/results.txt"
SERVER_PID=""

cleanup() {
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID"
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  if [[ "$KEEP_DATA" == 1 ]]; then
    echo "data, server log and results kept in $DATA"
  else
    rm -rf "$DATA"
  fi
}
trap cleanup EXIT

bench() { # main class, args…
  local main="$1"
  shift
  # shellcheck disable=SC2086
  java $BENCH_JAVA_OPTS -cp "$BENCH_JAR" "io.isotherm.bench.$main" "$@"
}

median() { # numbers on stdin → their median
  sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

field() { # name → values of name= on the RESULT lines read from stdin
  { grep -o "[[:space:]]$1=[^[:space:]]*" || true; } | cut -d= -f2
}

# shellcheck source=bench/quiet.sh
source bench/quiet.sh

measure() { # main class, args…: runs one measurement from empty tables on a quiet machine; a run during which
  # other processes took more than MAX_OTHER_CORES (cpu_other) is logged as disturbed and repeated, up to 4 times.
  local attempt out other
  for attempt in 1 2 3 4; do
    bench ResetEvents --jdbc "$JDBC" --site "$SITE"
    wait_quiet
    out="$(bench "$@" --label "round$round" 2>&1 || true)"
    echo "$out"
    other="$(echo "$out" | { grep '^RESULT' || true; } | field cpu_other | sort -g | tail -1)"
    if [[ -n "$other" ]] && awk -v o="$other" -v m="$MAX_OTHER_CORES" 'BEGIN { exit !(o > m) }'; then
      echo "disturbed: other processes used $other cores (attempt $attempt); repeating"
      echo "$out" | grep '^RESULT' | sed 's/^/DISTURBED /' >>"$RESULTS"
      continue
    fi
    echo "$out" | grep '^RESULT' >>"$RESULTS" || echo "run failed (invalid): no RESULT line"
    return 0
  done
  echo "$out" | grep '^RESULT' >>"$RESULTS" || true
  echo "kept the last attempt although it was disturbed"
}

echo "== machine"
echo "nproc: $(nproc); $(lscpu | grep 'Model name' | sed 's/  */ /g'); memory: $(free -h | awk '/^Mem:/ { print $2 }')"
java -version 2>&1 | head -1

echo "== starting Isotherm (collector role) with data in $DATA"
rate_limits_off_unless_set
start_collector "$SERVER_JAR" "$DATA"
PG_PID="$(sed -n 1p "$DATA/postgres/postmaster.pid")"
PG_PORT="$(sed -n 4p "$DATA/postgres/postmaster.pid")"
JDBC="jdbc:postgresql://localhost:$PG_PORT/postgres"
echo "server pid $SERVER_PID on http://127.0.0.1:$PORT; PostgreSQL pid $PG_PID on port $PG_PORT"

SITE_JSON="$(java -jar "$SERVER_JAR" site add --data-dir "$DATA" --name bench --origin "$ORIGIN" --json 2>>"$DATA/site.log")"
SITE="$(echo "$SITE_JSON" | sed -n 's/.*"key":"\([^"]*\)".*/\1/p')"
if [[ -z "$SITE" ]]; then
  echo "could not register the site: $SITE_JSON" >&2
  cat "$DATA/site.log" >&2
  exit 1
fi
echo "site key $SITE"

echo
echo "== warming up the server's JIT (not recorded)"
bench ResetEvents --jdbc "$JDBC" --site "$SITE"
bench IngestLoad --url "http://127.0.0.1:$PORT/api/collect" --site "$SITE" --origin "$ORIGIN" \
  --connections 64 --seconds "$JIT_WARMUP_SECONDS" --warmup 0 --seed "$SEED" | grep -E '^  (throughput|errors)'

for round in $(seq 1 "$REPEATS"); do
  for client in $CLIENTS; do
  for c in $CONNECTIONS; do
    echo
    echo "== round $round: HTTP ingest, $client client, $c connections"
    measure IngestLoad --url "http://127.0.0.1:$PORT/api/collect" --site "$SITE" --origin "$ORIGIN" --client "$client" \
      --connections "$c" --seconds "$RUN_SECONDS" --warmup "$WARMUP" --seed "$SEED" \
      --server-pid "$SERVER_PID" --postgres-pid "$PG_PID" --verify-jdbc "$JDBC"
  done
  done
  for t in $COPY_THREADS; do
    for b in $COPY_BATCHES; do
      echo
      echo "== round $round: COPY ceiling, $t thread(s), $b batches per transaction"
      measure CopyCeiling --jdbc "$JDBC" --site "$SITE" --origin "$ORIGIN" --threads "$t" --batches-per-tx "$b" \
        --seconds "$RUN_SECONDS" --warmup 3 --seed "$SEED" --postgres-pid "$PG_PID"
    done
  done
done

echo
echo "== summary: medians of $REPEATS run(s), $RUN_SECONDS s each after warm-up"
echo "($(grep -c '^DISTURBED' "$RESULTS" || true) disturbed run(s) were repeated; they are in the results file marked DISTURBED)"
if grep -E '^RESULT.* errors=[1-9]' "$RESULTS" >/dev/null; then
  echo "WARNING: some runs had errors; they are invalid (see above)"
fi
echo
echo "| client | connections | events/s | batches/s | p50 ms | p99 ms | batches per commit | busy cores: load gen / server JVM / postgres / other |"
echo "|---|---:|---:|---:|---:|---:|---:|---|"
declare -A best_http
for client in $CLIENTS; do
  best_http[$client]=0
  for c in $CONNECTIONS; do
    lines="$(grep "^RESULT .* client=$client connections=$c " "$RESULTS" || true)"
    eps="$(echo "$lines" | field events_per_s | median)"
    printf '| %s | %s | %.0f | %.0f | %.1f | %.1f | %.1f | %.2f / %.2f / %.2f / %.2f |\n' "$client" "$c" "$eps" \
      "$(echo "$lines" | field batches_per_s | median)" "$(echo "$lines" | field p50_ms | median)" \
      "$(echo "$lines" | field p99_ms | median)" "$(echo "$lines" | field batches_per_commit | median)" \
      "$(echo "$lines" | field cpu_load_generator | median)" "$(echo "$lines" | field cpu_server_JVM | median)" \
      "$(echo "$lines" | field cpu_postgres | median)" "$(echo "$lines" | field cpu_other | median)"
    best_http[$client]="$(awk -v a="${best_http[$client]}" -v b="$eps" 'BEGIN { print (b > a ? b : a) }')"
  done
done
echo
echo "| COPY ceiling | rows/s | rows per transaction | transaction p50 ms | p99 ms | busy cores: client / postgres / other |"
echo "|---|---:|---:|---:|---:|---|"
best_copy=0
for t in $COPY_THREADS; do
  for b in $COPY_BATCHES; do
    lines="$(grep "^RESULT_COPY .* threads=$t batches_per_tx=$b " "$RESULTS" || true)"
    rps="$(echo "$lines" | field rows_per_s | median)"
    printf '| %s thread(s), %s batches/tx | %.0f | %.0f | %.1f | %.1f | %.2f / %.2f / %.2f |\n' "$t" "$b" "$rps" \
      "$(echo "$lines" | field rows_per_tx | median)" "$(echo "$lines" | field tx_p50_ms | median)" \
      "$(echo "$lines" | field tx_p99_ms | median)" "$(echo "$lines" | field cpu_COPY_client | median)" \
      "$(echo "$lines" | field cpu_postgres | median)" "$(echo "$lines" | field cpu_other | median)"
    best_copy="$(awk -v a="$best_copy" -v b="$rps" 'BEGIN { print (b > a ? b : a) }')"
  done
done
echo
for client in $CLIENTS; do
  awk -v h="${best_http[$client]}" -v c="$best_copy" -v client="$client" 'BEGIN {
    printf "%s client: best end-to-end %.0f events/s / best COPY ceiling %.0f rows/s = %.0f%% (target >= 50%%)\n",
      client, h, c, (c > 0 ? 100 * h / c : 0) }'
done

cp "$RESULTS" bench/target/run-ingest-results.txt
echo "(every RESULT line: bench/target/run-ingest-results.txt)"

echo
echo "== stopping the server"
kill "$SERVER_PID"
wait "$SERVER_PID" 2>/dev/null || true
SERVER_PID=""
