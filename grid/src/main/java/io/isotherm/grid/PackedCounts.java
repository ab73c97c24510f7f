package io.isotherm.grid;

import java.util.Arrays;
import java.util.List;

/**
 * Counts by index, packed for a {@code bytea} column, indexes ascending and each once. Two forms are read:
 * <ul>
 *   <li><b>runs</b> (written since V14): the byte {@value #RUNS}, then runs of neighbouring indexes, each as the
 *   varint number of indexes skipped since the previous run (the first run: its first index), the varint length of
 *   the run and a varint count per index of it (0 for an index without events, kept inside a run when that is shorter
 *   than starting a new one). A full band of a busy page costs one or two bytes per cell, a sparse one three or four
 *   per entry.</li>
 *   <li><b>pairs</b> (V12): (index, count) pairs of big-endian int32, eight bytes per entry. Rows written before
 *   V14 keep it until the refresh sums them again. Its first byte is an index's high byte, below 0x80, so the two
 *   forms cannot be confused.</li>
 * </ul>
 * Varints are unsigned LEB128: seven bits a byte, low bits first. Counts are never negative. SQL reads both forms
 * with {@code unpack_counts} (V14).
 */
public final class PackedCounts {
    public static final byte[] EMPTY = new byte[0];
    /** The first byte of the runs form. */
    public static final int RUNS = 0x81;
    private static final int PAIR = 8;
    /** Up to this many indexes without events are kept inside a run: each costs a byte, a new run two or more. */
    private static final int MAX_HOLE = 2;

    private PackedCounts() {
    }

    /** One entry per occurrence: {@code indexes[0..n)} in any order, repeats counted. Sorts the array's prefix. */
    public static byte[] ofOccurrences(int[] indexes, int n) {
        Arrays.sort(indexes, 0, n);
        Writer out = new Writer(n);
        for (int i = 0; i < n; ) {
            int j = i;
            while (j < n && indexes[j] == indexes[i]) j++;
            out.add(indexes[i], j - i);
            i = j;
        }
        return out.finish();
    }

    /**
     * One entry per (index, weight) pair, {@code keyed[i] = index << 32 | weight} for i in [0, n), in any order: the
     * weights of an index are added up. Weights must not be negative. Sorts the array's prefix.
     */
    public static byte[] ofWeighted(long[] keyed, int n) {
        Arrays.sort(keyed, 0, n);
        Writer out = new Writer(n);
        for (int i = 0; i < n; ) {
            int index = (int) (keyed[i] >>> 32);
            long sum = 0;
            int j = i;
            while (j < n && (int) (keyed[j] >>> 32) == index) sum += keyed[j++] & 0xFFFF_FFFFL;
            if (sum != 0) out.add(index, Math.toIntExact(sum));
            i = j;
        }
        return out.finish();
    }

    /** Entries of {@code packed}, in index order. */
    public static void forEach(byte[] packed, Entry entry) {
        Cursor c = new Cursor(packed);
        while (c.next()) entry.accept(c.index(), c.count());
    }

    public static long total(byte[] packed) {
        long total = 0;
        Cursor c = new Cursor(packed);
        while (c.next()) total += c.count();
        return total;
    }

    /** The sum of several packed count sets, in the runs form: one merge of their sorted entries. */
    public static byte[] sum(Iterable<byte[]> parts) {
        int entries = 0, count = 0;
        byte[] only = EMPTY;
        for (byte[] p : parts) {
            if (p.length == 0) continue;
            entries += (p[0] & 0xFF) == RUNS ? p.length : p.length / PAIR; // runs: at least a byte per entry
            count++;
            only = p;
        }
        if (count == 0) return EMPTY;
        if (count == 1 && (only[0] & 0xFF) == RUNS) return only;
        long[] keyed = new long[entries]; // index in the high half, position in the low half: sorts by index
        int[] values = new int[entries];
        int k = 0;
        for (byte[] p : parts) {
            Cursor c = new Cursor(p);
            while (c.next()) {
                keyed[k] = ((long) c.index() << 32) | k;
                values[k] = c.count();
                k++;
            }
        }
        Arrays.sort(keyed, 0, k);
        Writer out = new Writer(k);
        for (int i = 0; i < k; ) {
            int index = (int) (keyed[i] >> 32);
            long sum = 0;
            int j = i;
            while (j < k && (int) (keyed[j] >> 32) == index) sum += values[(int) keyed[j++]];
            if (sum != 0) out.add(index, Math.toIntExact(sum));
            i = j;
        }
        return out.finish();
    }

    /**
     * The sum of two packed count sets, in the runs form: one pass over both, whose entries ascend (the refresh adds a
     * day to a row this way, so that a row's cost does not grow with the days added to it).
     */
    public static byte[] plus(byte[] a, byte[] b) {
        if (a.length == 0 || b.length == 0) {
            byte[] only = a.length == 0 ? b : a;
            return only.length == 0 || (only[0] & 0xFF) == RUNS ? only : sum(List.of(only));
        }
        Cursor x = new Cursor(a), y = new Cursor(b);
        Writer out = new Writer(a.length + b.length);
        boolean hasX = x.next(), hasY = y.next();
        while (hasX || hasY) {
            if (hasX && (!hasY || x.index() < y.index())) {
                out.add(x.index(), x.count());
                hasX = x.next();
            } else if (!hasX || y.index() < x.index()) {
                out.add(y.index(), y.count());
                hasY = y.next();
            } else {
                out.add(x.index(), Math.addExact(x.count(), y.count()));
                hasX = x.next();
                hasY = y.next();
            }
        }
        return out.finish();
    }

    @FunctionalInterface
    public interface Entry {
        void accept(int index, int count);
    }

    /**
     * Walks the entries of either form without a call per entry: {@code while (c.next()) use(c.index(), c.count())}.
     * Indexes without events inside a run are skipped.
     */
    public static final class Cursor {
        private final byte[] bytes;
        private final boolean runs;
        private int position, index = -1, count, runLeft, runLength; // runLength: of the run nextRun() is on, else 0

        public Cursor(byte[] packed) {
            this.bytes = packed;
            this.runs = packed.length > 0 && (packed[0] & 0xFF) == RUNS;
            this.position = runs ? 1 : 0;
            if (!runs && packed.length % PAIR != 0) throw new IllegalArgumentException("packed counts of " + packed.length + " bytes");
        }

        public boolean next() {
            if (!runs) {
                if (position + PAIR > bytes.length) return false;
                index = int32(position);
                count = int32(position + 4);
                position += PAIR;
                return true;
            }
            while (true) {
                if (runLeft == 0) {
                    if (position >= bytes.length) return false;
                    index += varint() + 1; // the first run's skip is its index: index starts at -1
                    runLeft = varint();
                    if (runLeft == 0) throw new IllegalArgumentException("a run of no entries at byte " + position);
                } else {
                    index++;
                }
                runLeft--;
                count = varint();
                if (count != 0) return true;
            }
        }

        /**
         * Moves to the next run of neighbouring indexes instead of the next entry (a pair is a run of one): its first
         * index is {@link #index()}, its length {@link #runLength()}, and {@link #runCount()} reads its counts in order,
         * 0 for an index without events; all of them, before the next run. Either walk entries with {@link #next()} or runs with this, not both.
         */
        public boolean nextRun() {
            if (!runs) {
                if (!next()) return false;
                runLeft = 1;
                return true;
            }
            if (runLeft > 0) throw new IllegalStateException("the run's counts were not all read");
            if (position >= bytes.length) return false;
            int end = runLength == 0 ? index : index + runLength - 1; // the previous run's last index, or -1
            index = end + varint() + 1;
            runLength = varint();
            runLeft = runLength;
            if (runLength == 0) throw new IllegalArgumentException("a run of no entries at byte " + position);
            return true;
        }

        public int runLength() {
            return runs ? runLength : 1;
        }

        public int runCount() {
            if (runLeft-- <= 0) throw new IllegalStateException("no count left in the run");
            return runs ? varint() : count;
        }

        /**
         * Adds the current run's remaining counts to {@code target} from {@code offset} on, one per index, and returns
         * their sum: the same as {@link #runCount()} for each, in one loop.
         */
        public long addRunTo(int[] target, int offset) {
            return addRunTo(target, offset, 1);
        }

        /**
         * The same with each count times {@code sign} (1 or -1: -1 takes the run's counts away, for the rows of a
         * prefix that ends before a range), returning their signed sum.
         */
        public long addRunTo(int[] target, int offset, int sign) {
            long sum = 0;
            if (!runs) {
                if (runLeft > 0) {
                    target[offset] += sign * count;
                    sum = sign * count;
                    runLeft = 0;
                }
                return sum;
            }
            byte[] b = bytes;
            int p = position, left = runLeft;
            for (int k = 0; k < left; k++) {
                int v = b[p++];
                if (v < 0) {
                    position = p - 1;
                    v = varint();
                    p = position;
                }
                target[offset + k] += sign * v;
                sum += v;
            }
            position = p;
            runLeft = 0;
            return sign * sum;
        }

        public int index() {
            return index;
        }

        public int count() {
            return count;
        }

        private int int32(int at) {
            return (bytes[at] & 0xFF) << 24 | (bytes[at + 1] & 0xFF) << 16 | (bytes[at + 2] & 0xFF) << 8 | (bytes[at + 3] & 0xFF);
        }

        private int varint() {
            int b = bytes[position++];
            if (b >= 0) return b;
            int value = b & 0x7F;
            for (int shift = 7; ; shift += 7) {
                if (position >= bytes.length || shift > 28) throw new IllegalArgumentException("a broken varint in packed counts");
                b = bytes[position++];
                value |= (b & 0x7F) << shift;
                if (b >= 0) return value;
            }
        }
    }

    /** Writes the runs form from entries given in ascending index order. */
    private static final class Writer {
        private byte[] out;
        private int size;
        private int runStart = -1, runLength, runEnd = -1; // runEnd: the last index written
        private int[] pending = new int[16]; // the current run's counts, written when the run closes
        private int previousEnd = -1;

        Writer(int entries) {
            out = new byte[1 + Math.max(entries * 3, 8)];
            out[size++] = (byte) RUNS;
        }

        void add(int index, int count) {
            if (count < 0) throw new IllegalArgumentException("a negative count (" + count + ") at index " + index);
            if (index < 0 || index <= runEnd) throw new IllegalArgumentException("indexes must ascend, got " + index + " after " + runEnd);
            if (runLength > 0 && index - runEnd - 1 > MAX_HOLE) close();
            if (runLength == 0) {
                runStart = index;
            } else {
                for (int hole = runEnd + 1; hole < index; hole++) push(0);
            }
            push(count);
            runEnd = index;
        }

        private void push(int count) {
            if (runLength == pending.length) pending = Arrays.copyOf(pending, pending.length * 2);
            pending[runLength++] = count;
        }

        private void close() {
            if (runLength == 0) return;
            varint(runStart - previousEnd - 1);
            varint(runLength);
            for (int i = 0; i < runLength; i++) varint(pending[i]);
            previousEnd = runEnd;
            runLength = 0;
        }

        private void varint(int value) {
            if (size + 5 > out.length) out = Arrays.copyOf(out, out.length * 2 + 5);
            while ((value & ~0x7F) != 0) {
                out[size++] = (byte) ((value & 0x7F) | 0x80);
                value >>>= 7;
            }
            out[size++] = (byte) value;
        }

        byte[] finish() {
            close();
            return size == 1 ? EMPTY : Arrays.copyOf(out, size);
        }
    }
}
