package io.isotherm.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the CPU went during a measurement, from Linux's /proc: the whole machine (busy and stolen), this process,
 * and optionally the server JVM and PostgreSQL (the postmaster, its live children, and children it has reaped).
 * Values are in clock ticks (USER_HZ, 100 per second on Linux); {@link #report} turns them into busy cores.
 */
final class CpuMeter {
    private static final double TICKS_PER_SECOND = 100.0;

    private final long serverPid;
    private final long postgresPid;

    /** @param serverPid the server JVM, or 0; @param postgresPid the postmaster, or 0 */
    CpuMeter(long serverPid, long postgresPid) {
        this.serverPid = serverPid;
        this.postgresPid = postgresPid;
    }

    record Sample(long nanos, long machineBusy, long machineSteal, long self, long server, long postgres) {
    }

    Sample sample() {
        long[] machine = machine();
        return new Sample(System.nanoTime(), machine[0], machine[1], process(ProcessHandle.current().pid(), false),
                serverPid > 0 ? process(serverPid, false) : -1, postgresPid > 0 ? postgres() : -1);
    }

    /** Busy cores per part between two samples, e.g. {machine=1.97, steal=0.02, this process=0.61, …}. */
    Map<String, Double> report(Sample from, Sample to, String selfName) {
        double seconds = (to.nanos - from.nanos) / 1e9;
        var cores = new LinkedHashMap<String, Double>();
        if (from.machineBusy >= 0 && to.machineBusy >= 0) {
            cores.put("machine", (to.machineBusy - from.machineBusy) / TICKS_PER_SECOND / seconds);
            cores.put("steal", (to.machineSteal - from.machineSteal) / TICKS_PER_SECOND / seconds);
        }
        if (from.self >= 0 && to.self >= 0) {
            cores.put(selfName, (to.self - from.self) / TICKS_PER_SECOND / seconds);
        }
        if (from.server >= 0 && to.server >= 0) {
            cores.put("server JVM", (to.server - from.server) / TICKS_PER_SECOND / seconds);
        }
        if (from.postgres >= 0 && to.postgres >= 0 && to.postgres >= from.postgres) {
            // (A backend that exits while a sample is taken can be missed; then the figure is left out.)
            cores.put("postgres", (to.postgres - from.postgres) / TICKS_PER_SECOND / seconds);
        }
        if (cores.containsKey("machine") && cores.containsKey(selfName) && cores.containsKey("postgres")) {
            // Mostly the kernel's network processing (softirq), which is charged to no process.
            cores.put("other", cores.get("machine") - cores.get(selfName) - cores.get("postgres")
                    - cores.getOrDefault("server JVM", 0.0));
        }
        return cores;
    }

    static String format(Map<String, Double> cores) {
        var parts = new ArrayList<String>();
        cores.forEach((k, v) -> parts.add(k + " " + String.format("%.2f", v)));
        return String.join(", ", parts);
    }

    /** [busy, steal] ticks of all CPUs together; busy excludes idle, iowait and steal. */
    private static long[] machine() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long user = Long.parseLong(f[1]), nice = Long.parseLong(f[2]), system = Long.parseLong(f[3]);
            long irq = Long.parseLong(f[6]), softirq = Long.parseLong(f[7]), steal = Long.parseLong(f[8]);
            return new long[]{user + nice + system + irq + softirq, steal};
        } catch (IOException | RuntimeException e) {
            return new long[]{-1, -1};
        }
    }

    /** utime + stime (+ cutime + cstime for reaped children) of one process, or -1. */
    private static long process(long pid, boolean withReapedChildren) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // f[0] is field 3 (state): utime is field 14, stime 15, cutime 16, cstime 17.
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            if (withReapedChildren) {
                ticks += Long.parseLong(f[13]) + Long.parseLong(f[14]);
            }
            return ticks;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * The postmaster with its reaped children, plus its live children. A child reaped while they are listed (an
     * autovacuum worker cancelled by a TRUNCATE, say) would be missed, so the sample is retaken until the
     * postmaster's reaped total did not change meanwhile.
     */
    private long postgres() {
        for (int attempt = 0; attempt < 5; attempt++) {
            long before = process(postgresPid, true);
            if (before < 0) {
                return -1;
            }
            long children = 0;
            for (ProcessHandle child : ProcessHandle.of(postgresPid).map(p -> p.children().toList()).orElse(List.of())) {
                long ticks = process(child.pid(), false);
                if (ticks > 0) {
                    children += ticks;
                }
            }
            long after = process(postgresPid, true);
            if (after == before) {
                return before + children;
            }
        }
        return -1;
    }
}
