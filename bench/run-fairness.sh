#!/usr/bin/env bash
# What a flood of one site costs another site's batches, on this machine (see docs/PERFORMANCE.md, "Fair sharing").
#
# Builds nothing: run `mvn -B -q -DskipTests package` first, so that launcher/target/isotherm.jar and
# bench/target/isotherm-bench.jar exist. Then:
#
#   bench/run-fairness.sh
#
# It starts Isotherm (collector role only) on a free port with a fresh data directory under /tmp, registers two
# sites, and for each round times the quiet site's batches (FairnessProbe: PROBE_RATE batches per second, each a new
# page view, on one connection) twice, side by side: alone, and while IngestLoad floods the other site with
# FLOOD_CONNECTIONS connections as fast as the collector answers. The rate limits are off (the flood comes from
# one address), so what is measured is the writer queue's sharing between sites. At the end it prints the medians
# over the rounds and stops the server (KEEP_DATA=1 keeps the data directory and logs).
#
# Knobs (environment): ROUNDS=3  RUN_SECONDS=20  PROBE_RATE=20  FLOOD_CONNECTIONS=64  FLOOD_WARMUP=5  KEEP_DATA=0;
#                      ISOTHERM_COLLECT_* variables reach the server (see README).
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS="${ROUNDS:-3}"
RUN_SECONDS="${RUN_SECONDS:-20}"
PROBE_RATE="${PROBE_RATE:-20}"
FLOOD_CONNECTIONS="${FLOOD_CONNECTIONS:-64}"
FLOOD_WARMUP="${FLOOD_WARMUP:-5}"
KEEP_DATA="${KEEP_DATA:-0}"
ORIGIN="http://bench.example"

SERVER_JAR=launcher/target/isotherm.jar
BENCH_JAR=bench/target/isotherm-bench.jar
for jar in "$SERVER_JAR" "$BENCH_JAR"; do
  if [[ ! -f "$jar" ]]; then
    echo "missing $jar: run 'mvn -B -q -DskipTests package' first" >&2
    exit 2
  fi
done

DATA="$(mktemp -d /tmp/isotherm-fairness.XXXXXX)"
RESULTS="$DATA/results.txt"
SERVER_PID=""
FLOOD_PID=""

cleanup() {
  for pid in "$FLOOD_PID" "$SERVER_PID"; do
    if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
      kill "$pid"
      wait "$pid" 2>/dev/null || true
    fi
  done
  if [[ "$KEEP_DATA" == 1 ]]; then
    echo "data, server log and results kept in $DATA"
  else
    rm -rf "$DATA"
  fi
}
trap cleanup EXIT

bench() { # main class, args…
  java -cp "$BENCH_JAR" "io.isotherm.bench.$1" "${@:2}"
}

median() { # numbers on stdin → their median
  sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

field() { # name → values of name= on the lines read from stdin
  { grep -o "[[:space:]]$1=[^[:space:]]*" || true; } | cut -d= -f2
}

site_key() { # name → key of a new site
  java -jar "$SERVER_JAR" site add --data-dir "$DATA" --name "$1" --origin "$ORIGIN" --json 2>>"$DATA/site.log" \
    | sed -n 's/.*"key":"\([^"]*\)".*/\1/p'
}

echo "== machine"
echo "nproc: $(nproc); $(lscpu | grep 'Model name' | sed 's/  */ /g'); memory: $(free -h | awk '/^Mem:/ { print $2 }')"
java -version 2>&1 | head -1

echo "== starting Isotherm (collector role) with data in $DATA"
export ISOTHERM_COLLECT_BATCHES_PER_SECOND_PER_ADDRESS="${ISOTHERM_COLLECT_BATCHES_PER_SECOND_PER_ADDRESS:-0}"
export ISOTHERM_COLLECT_BATCHES_PER_SECOND_PER_SITE="${ISOTHERM_COLLECT_BATCHES_PER_SECOND_PER_SITE:-0}"
export ISOTHERM_COLLECT_PAGEVIEWS_PER_SECOND_PER_ADDRESS="${ISOTHERM_COLLECT_PAGEVIEWS_PER_SECOND_PER_ADDRESS:-0}"
ISOTHERM_BIND_ADDRESS=127.0.0.1 java -jar "$SERVER_JAR" serve --port 0 --data-dir "$DATA" --roles collector \
  >"$DATA/server.log" 2>&1 &
SERVER_PID=$!
PORT=""
for _ in $(seq 1 240); do
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    echo "the server exited:" >&2
    cat "$DATA/server.log" >&2
    exit 1
  fi
  PORT="$(sed -n 's/.*Isotherm listening on http:\/\/[^:]*:\([0-9]*\).*/\1/p' "$DATA/server.log" | head -1)"
  [[ -n "$PORT" ]] && break
  sleep 0.5
done
if [[ -z "$PORT" ]]; then
  echo "the server did not start within 120 s:" >&2
  cat "$DATA/server.log" >&2
  exit 1
fi
URL="http://127.0.0.1:$PORT/api/collect"
FLOODED="$(site_key flooded)"
QUIET="$(site_key quiet)"
if [[ -z "$FLOODED" || -z "$QUIET" ]]; then
  echo "could not register the sites" >&2
  cat "$DATA/site.log" >&2
  exit 1
fi
echo "server pid $SERVER_PID on http://127.0.0.1:$PORT; sites $FLOODED (flooded) and $QUIET (quiet)"

echo
echo "== warming up the server's JIT (not recorded)"
bench IngestLoad --url "$URL" --site "$FLOODED" --origin "$ORIGIN" --client socket --connections 16 --seconds 15 --warmup 0 \
  | grep -E '^  (throughput|errors)' || true

for round in $(seq 1 "$ROUNDS"); do
  echo
  echo "== round $round: the quiet site alone"
  bench FairnessProbe --url "$URL" --site "$QUIET" --origin "$ORIGIN" --rate "$PROBE_RATE" --seconds "$RUN_SECONDS" \
    --label "alone" | tee -a "$RESULTS" | grep -E '^probe' || true

  echo "== round $round: the quiet site while $FLOOD_CONNECTIONS connections flood the other"
  bench IngestLoad --url "$URL" --site "$FLOODED" --origin "$ORIGIN" --client socket --connections "$FLOOD_CONNECTIONS" \
    --seconds "$((RUN_SECONDS + 2))" --warmup "$FLOOD_WARMUP" --label flood >"$DATA/flood-$round.txt" 2>&1 &
  FLOOD_PID=$!
  for _ in $(seq 1 600); do # the load generator renders its batches first, then floods
    grep -q '^rendered' "$DATA/flood-$round.txt" && break
    sleep 0.1
  done
  sleep "$FLOOD_WARMUP"
  bench FairnessProbe --url "$URL" --site "$QUIET" --origin "$ORIGIN" --rate "$PROBE_RATE" --seconds "$RUN_SECONDS" \
    --label "flooded" | tee -a "$RESULTS" | grep -E '^probe' || true
  wait "$FLOOD_PID" || true
  FLOOD_PID=""
  grep -E '^RESULT' "$DATA/flood-$round.txt" | tee -a "$RESULTS" | sed 's/^/  flood: /' || echo "  flood: no RESULT line"
done

echo
echo "== summary: medians of $ROUNDS round(s), $RUN_SECONDS s each, the quiet site at $PROBE_RATE batches/s"
echo
echo "| the quiet site's batches | p50 ms | p99 ms | max ms | errors |"
echo "|---|---:|---:|---:|---:|"
for label in alone flooded; do
  lines="$(grep "^RESULT_PROBE label=$label " "$RESULTS" || true)"
  printf '| %s | %.1f | %.1f | %.1f | %s |\n' "$label" "$(echo "$lines" | field p50_ms | median)" \
    "$(echo "$lines" | field p99_ms | median)" "$(echo "$lines" | field max_ms | median)" \
    "$(echo "$lines" | field errors | awk '{ s += $1 } END { print s + 0 }')"
done
flood="$(grep '^RESULT label=flood ' "$RESULTS" || true)"
printf '\nthe flood: %.0f batches/s, p50 %.1f ms, p99 %.1f ms (medians), errors %s\n' \
  "$(echo "$flood" | field batches_per_s | median)" "$(echo "$flood" | field p50_ms | median)" \
  "$(echo "$flood" | field p99_ms | median)" "$(echo "$flood" | field errors | awk '{ s += $1 } END { print s + 0 }')"
cp "$RESULTS" bench/target/run-fairness-results.txt
echo "(every RESULT line: bench/target/run-fairness-results.txt)"
