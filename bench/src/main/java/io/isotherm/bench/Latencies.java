package io.isotherm.bench;

import java.util.Arrays;
import java.util.List;

/** Latencies in microseconds, recorded by one thread, merged and sorted for percentiles after the run. */
final class Latencies {
    private long[] values = new long[1 << 14];
    private int size;

    void add(long micros) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = micros;
    }

    int size() {
        return size;
    }

    /** All values of all recorders, sorted. */
    static long[] merged(List<Latencies> all) {
        long[] merged = new long[all.stream().mapToInt(Latencies::size).sum()];
        int p = 0;
        for (Latencies l : all) {
            System.arraycopy(l.values, 0, merged, p, l.size);
            p += l.size;
        }
        Arrays.sort(merged);
        return merged;
    }

    /** Nearest-rank percentile of sorted values, in milliseconds (NaN when there are none). */
    static double percentileMillis(long[] sorted, double percentile) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(percentile / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1000.0;
    }
}
