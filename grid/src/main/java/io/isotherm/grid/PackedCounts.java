package io.isotherm.grid;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Counts by index, packed for a {@code bytea} column: (index, count) pairs of big-endian int32, indexes ascending and
 * each once. Eight bytes per non-zero entry and nothing for the rest, so a sparse grid stays small; SQL can build the
 * same bytes ({@code int4send(index) || int4send(count)}) and read them back ({@code unpack_counts}, V12).
 */
public final class PackedCounts {
    public static final byte[] EMPTY = new byte[0];
    private static final int PAIR = 8;

    private PackedCounts() {
    }

    /** One entry per occurrence: {@code indexes[0..n)} in any order, repeats counted. Sorts the array's prefix. */
    public static byte[] ofOccurrences(int[] indexes, int n) {
        Arrays.sort(indexes, 0, n);
        ByteBuffer out = ByteBuffer.allocate(distinct(indexes, n) * PAIR);
        for (int i = 0; i < n; ) {
            int j = i;
            while (j < n && indexes[j] == indexes[i]) j++;
            out.putInt(indexes[i]).putInt(j - i);
            i = j;
        }
        return out.array();
    }

    private static int distinct(int[] sorted, int n) {
        int d = 0;
        for (int i = 0; i < n; i++) if (i == 0 || sorted[i] != sorted[i - 1]) d++;
        return d;
    }

    /** Entries of {@code packed}, in index order. */
    public static void forEach(byte[] packed, Entry entry) {
        ByteBuffer in = ByteBuffer.wrap(packed);
        while (in.remaining() >= PAIR) entry.accept(in.getInt(), in.getInt());
    }

    public static long total(byte[] packed) {
        long total = 0;
        ByteBuffer in = ByteBuffer.wrap(packed);
        while (in.remaining() >= PAIR) {
            in.getInt();
            total += in.getInt();
        }
        return total;
    }

    /** The sum of several packed count sets: one merge pass over their sorted entries. */
    public static byte[] sum(Iterable<byte[]> parts) {
        int entries = 0, count = 0;
        for (byte[] p : parts) {
            entries += p.length / PAIR;
            count++;
        }
        if (count == 0) return EMPTY;
        if (count == 1) return parts.iterator().next();
        long[] keyed = new long[entries]; // index in the high half, position in the low half: sorts by index
        int[] values = new int[entries];
        int k = 0;
        for (byte[] p : parts) {
            ByteBuffer in = ByteBuffer.wrap(p);
            while (in.remaining() >= PAIR) {
                keyed[k] = ((long) in.getInt() << 32) | k;
                values[k] = in.getInt();
                k++;
            }
        }
        Arrays.sort(keyed);
        ByteBuffer out = ByteBuffer.allocate(entries * PAIR);
        for (int i = 0; i < entries; ) {
            int index = (int) (keyed[i] >> 32);
            long sum = 0;
            int j = i;
            while (j < entries && (int) (keyed[j] >> 32) == index) sum += values[(int) keyed[j++]];
            if (sum != 0) out.putInt(index).putInt(Math.toIntExact(sum));
            i = j;
        }
        return Arrays.copyOf(out.array(), out.position());
    }

    @FunctionalInterface
    public interface Entry {
        void accept(int index, int count);
    }
}
