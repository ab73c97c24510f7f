package io.isotherm.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Busy cores during a round, from /proc: the whole machine, and this JVM with all its descendants (chromedriver,
 * Chromium and its helper processes). The rest is other work on the machine, which would skew the timings.
 */
final class TrackerCostCpu {
    private static final double TICKS_PER_SECOND = 100.0;
    private final CpuMeter machine = new CpuMeter(0, 0);
    private CpuMeter.Sample machineStart;
    private long benchStart;

    void start() {
        machineStart = machine.sample();
        benchStart = benchTicks();
    }

    /** {machine, bench, other} busy cores since start(); NaN where /proc could not be read. */
    double[] stop() {
        CpuMeter.Sample end = machine.sample();
        long bench = benchTicks();
        double seconds = (end.nanos() - machineStart.nanos()) / 1e9;
        double machineCores = machineStart.machineBusy() < 0 ? Double.NaN
                : (end.machineBusy() - machineStart.machineBusy()) / TICKS_PER_SECOND / seconds;
        double benchCores = (bench - benchStart) / TICKS_PER_SECOND / seconds;
        // Sampled a moment apart, the two can differ by a tick either way: other work is never below zero.
        return new double[]{machineCores, benchCores, Math.max(0, machineCores - benchCores)};
    }

    /** utime + stime of this JVM and its live descendants, with the children each of them has reaped. */
    private static long benchTicks() {
        return Stream.concat(Stream.of(ProcessHandle.current()), ProcessHandle.current().descendants())
                .mapToLong(p -> ticks(p.pid())).sum();
    }

    private static long ticks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // f[0] is field 3 (state): utime is field 14, stime 15, cutime 16, cstime 17.
            return Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
        } catch (IOException | RuntimeException e) {
            return 0; // exited meanwhile: its ticks moved to its parent's reaped total
        }
    }
}
