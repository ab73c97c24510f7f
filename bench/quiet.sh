# Sourced by the bench/run-*.sh scripts: waiting for a quiet machine, and describing it.

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
