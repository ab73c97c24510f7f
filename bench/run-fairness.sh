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
# With BASELINE_JAR=<another build's isotherm.jar> a second server runs from that build (its own data directory and
# sites), and every round measures both, one after the other: the same figures for the build before a change.
#
# Knobs (environment): ROUNDS=3  RUN_SECONDS=20  PROBE_RATE=20  FLOOD_CONNECTIONS=64  FLOOD_WARMUP=5  KEEP_DATA=0
#                      BASELINE_JAR=""; ISOTHERM_COLLECT_* variables reach the servers (see README).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/quiet.sh
source bench/quiet.sh

ROUNDS="${ROUNDS:-3}"
RUN_SECONDS="${RUN_SECONDS:-20}"
PROBE_RATE="${PROBE_RATE:-20}"
FLOOD_CONNECTIONS="${FLOOD_CONNECTIONS:-64}"
FLOOD_WARMUP="${FLOOD_WARMUP:-5}"
KEEP_DATA="${KEEP_DATA:-0}"
BASELINE_JAR="${BASELINE_JAR:-}"
ORIGIN="http://bench.example"

SERVER_JAR=launcher/target/isotherm.jar
BENCH_JAR=bench/target/isotherm-bench.jar
for jar in "$SERVER_JAR" "$BENCH_JAR" ${BASELINE_JAR:+"$BASELINE_JAR"}; do
  if [[ ! -f "$jar" ]]; then
    echo "missing $jar: run 'mvn -B -q -DskipTests package' first" >&2
    exit 2
  fi
done

DATA="$(mktemp -d /tmp/isotherm-fairness.XXXXXX)"
RESULTS="$DATA/results.txt"
SERVER_PIDS=()
FLOOD_PID=""

cleanup() {
  for pid in "$FLOOD_PID" "${SERVER_PIDS[@]}"; do
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

site_key() { # jar, data directory, name → key of a new site
  java -jar "$1" site add --data-dir "$2" --name "$3" --origin "$ORIGIN" --json 2>>"$DATA/site.log" \
    | sed -n 's/.*"key":"\([^"]*\)".*/\1/p'
}

declare -A URL FLOODED QUIET
start_server() { # name, jar: starts the collector role with data in $DATA/<name>, registers its two sites
  local name="$1" jar="$2" dir="$DATA/$1" port="" pid
  mkdir -p "$dir"
  start_collector "$jar" "$dir"
  pid="$SERVER_PID" port="$PORT"
  SERVER_PIDS+=("$pid")
  URL[$name]="http://127.0.0.1:$port/api/collect"
  FLOODED[$name]="$(site_key "$jar" "$dir" flooded)"
  QUIET[$name]="$(site_key "$jar" "$dir" quiet)"
  if [[ -z "${FLOODED[$name]}" || -z "${QUIET[$name]}" ]]; then
    echo "could not register the sites of the $name server" >&2
    cat "$DATA/site.log" >&2
    exit 1
  fi
  echo "$name server ($jar): pid $pid on http://127.0.0.1:$port; sites ${FLOODED[$name]} (flooded) and ${QUIET[$name]} (quiet)"
}

echo "== machine"
echo "nproc: $(nproc); $(lscpu | grep 'Model name' | sed 's/  */ /g'); memory: $(free -h | awk '/^Mem:/ { print $2 }')"
java -version 2>&1 | head -1

echo "== starting Isotherm (collector role) with data in $DATA"
rate_limits_off_unless_set
SERVERS=(current)
start_server current "$SERVER_JAR"
if [[ -n "$BASELINE_JAR" ]]; then
  SERVERS+=(baseline)
  start_server baseline "$BASELINE_JAR"
fi

echo
echo "== warming up the servers' JIT (not recorded)"
for server in "${SERVERS[@]}"; do
  bench IngestLoad --url "${URL[$server]}" --site "${FLOODED[$server]}" --origin "$ORIGIN" --client socket --connections 16 \
    --seconds 15 --warmup 0 --metrics-url none | grep -E '^  (throughput|errors)' | sed "s/^/  $server: /" || true
done

for round in $(seq 1 "$ROUNDS"); do
  for server in "${SERVERS[@]}"; do
    echo
    echo "== round $round, $server server: the quiet site alone"
    bench FairnessProbe --url "${URL[$server]}" --site "${QUIET[$server]}" --origin "$ORIGIN" --rate "$PROBE_RATE" \
      --seconds "$RUN_SECONDS" --label "$server-alone" | tee -a "$RESULTS" | grep -E '^probe' || true

    echo "== round $round, $server server: the quiet site while $FLOOD_CONNECTIONS connections flood the other"
    flood_out="$DATA/flood-$server-$round.txt"
    bench IngestLoad --url "${URL[$server]}" --site "${FLOODED[$server]}" --origin "$ORIGIN" --client socket \
      --connections "$FLOOD_CONNECTIONS" --seconds "$((RUN_SECONDS + 2))" --warmup "$FLOOD_WARMUP" \
      --label "$server-flood" >"$flood_out" 2>&1 &
    FLOOD_PID=$!
    for _ in $(seq 1 600); do # the load generator renders its batches first, then floods
      grep -q '^rendered' "$flood_out" && break
      sleep 0.1
    done
    sleep "$FLOOD_WARMUP"
    bench FairnessProbe --url "${URL[$server]}" --site "${QUIET[$server]}" --origin "$ORIGIN" --rate "$PROBE_RATE" \
      --seconds "$RUN_SECONDS" --label "$server-flooded" | tee -a "$RESULTS" | grep -E '^probe' || true
    wait "$FLOOD_PID" || true
    FLOOD_PID=""
    grep -E '^RESULT' "$flood_out" | tee -a "$RESULTS" | sed 's/^/  flood: /' || echo "  flood: no RESULT line"
  done
done

echo
echo "== summary: medians of $ROUNDS round(s), $RUN_SECONDS s each, the quiet site at $PROBE_RATE batches/s"
echo
echo "| server | the quiet site's batches | p50 ms | p99 ms | max ms | errors | the flood: batches/s | p50 ms | p99 ms | errors |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"
for server in "${SERVERS[@]}"; do
  flood="$(grep "^RESULT label=$server-flood " "$RESULTS" || true)"
  for state in alone flooded; do
    lines="$(grep "^RESULT_PROBE label=$server-$state " "$RESULTS" || true)"
    if [[ "$state" == flooded ]]; then
      flood_cols="$(printf '%.0f | %.1f | %.1f | %s' "$(echo "$flood" | field batches_per_s | median)" \
        "$(echo "$flood" | field p50_ms | median)" "$(echo "$flood" | field p99_ms | median)" \
        "$(echo "$flood" | field errors | awk '{ s += $1 } END { print s + 0 }')")"
    else
      flood_cols="| | |"
    fi
    printf '| %s | %s | %.1f | %.1f | %.1f | %s | %s |\n' "$server" "$state" "$(echo "$lines" | field p50_ms | median)" \
      "$(echo "$lines" | field p99_ms | median)" "$(echo "$lines" | field max_ms | median)" \
      "$(echo "$lines" | field errors | awk '{ s += $1 } END { print s + 0 }')" "$flood_cols"
  done
done
cp "$RESULTS" bench/target/run-fairness-results.txt
echo "(every RESULT line: bench/target/run-fairness-results.txt)"
