# Sourced by the bench/run-*.sh scripts: waiting for a quiet machine, describing it, starting a collector and
# running a bench class.

busy_ticks() { # CPU ticks spent by anything but idle, iowait and steal, all CPUs together
  awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 }' /proc/stat
}

wait_quiet() { # [seconds, default 120]: waits until the machine uses under 0.2 cores for 2 s
  local start end
  for _ in $(seq 1 $(((${1:-120}) / 2))); do
    start="$(busy_ticks)"
    sleep 2
    end="$(busy_ticks)"
    if (((end - start) < 40)); then
      return 0
    fi
  done
  echo "note: the machine stayed busy with other work"
}

describe_machine() {
  echo "nproc: $(nproc); $(lscpu | grep 'Model name' | sed 's/  */ /g'); memory: $(free -h | awk '/^Mem:/ { print $2 }'); kernel: $(uname -r)"
  java -version 2>&1 | head -1
}

rate_limits_off_unless_set() { # a bench's load is one client address sending thousands of batches, each a new page
  # view, per second to one site: the collector's rate limits (docs/COLLECT-API.md) would refuse most of it
  export ISOTHERM_COLLECT_BATCHES_PER_SECOND_PER_ADDRESS="${ISOTHERM_COLLECT_BATCHES_PER_SECOND_PER_ADDRESS:-0}"
  export ISOTHERM_COLLECT_BATCHES_PER_SECOND_PER_SITE="${ISOTHERM_COLLECT_BATCHES_PER_SECOND_PER_SITE:-0}"
  export ISOTHERM_COLLECT_PAGEVIEWS_PER_SECOND_PER_ADDRESS="${ISOTHERM_COLLECT_PAGEVIEWS_PER_SECOND_PER_ADDRESS:-0}"
}

start_collector() { # JAR DATA_DIR: `serve --roles collector` on a free loopback port (java options from
  # SERVER_JAVA_OPTS, log in DATA_DIR/server.log); waits until it listens, then sets SERVER_PID and PORT
  local jar="$1" dir="$2"
  # shellcheck disable=SC2086
  ISOTHERM_BIND_ADDRESS=127.0.0.1 java ${SERVER_JAVA_OPTS:-} -jar "$jar" serve --port 0 --data-dir "$dir" --roles collector \
    >"$dir/server.log" 2>&1 &
  SERVER_PID=$!
  PORT=""
  for _ in $(seq 1 240); do
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      echo "the server ($jar) exited:" >&2
      cat "$dir/server.log" >&2
      exit 1
    fi
    PORT="$(sed -n 's/.*Isotherm listening on http:\/\/[^:]*:\([0-9]*\).*/\1/p' "$dir/server.log" | head -1)"
    [[ -n "$PORT" ]] && return 0
    sleep 0.5
  done
  echo "the server ($jar) did not start within 120 s:" >&2
  cat "$dir/server.log" >&2
  kill "$SERVER_PID" 2>/dev/null || true
  exit 1
}

run_java_bench() { # CLASS RESULTS_FILE [args…]: a bench main class on a quiet machine, its RESULT lines kept
  local class="$1" results="$2" jar out status
  shift 2
  for jar in bench/target/isotherm-bench.jar launcher/target/isotherm.jar; do
    if [[ ! -f "$jar" ]]; then
      echo "missing $jar: run 'mvn -B -q -DskipTests install' first" >&2
      return 2
    fi
  done
  echo "== machine"
  describe_machine
  echo "load average before waiting: $(cut -d' ' -f1-3 /proc/loadavg)"
  wait_quiet "${QUIET_WAIT_SECONDS:-300}"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  out="$(mktemp /tmp/isotherm-bench.XXXXXX)"
  set +e
  # launcher/target/isotherm.jar carries the embedded PostgreSQL binaries.
  # shellcheck disable=SC2086
  java ${BENCH_JAVA_OPTS:-} -cp bench/target/isotherm-bench.jar:launcher/target/isotherm.jar "$class" "$@" 2>&1 \
    | grep --line-buffered -v ' DEBUG ' | tee "$out"
  status="${PIPESTATUS[0]}"
  set -e
  echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
  grep -E '^RESULT' "$out" >"$results" || true
  rm -f "$out"
  echo "(every RESULT line: $results)"
  return "$status"
}
