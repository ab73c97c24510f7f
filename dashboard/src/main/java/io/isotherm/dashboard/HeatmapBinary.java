package io.isotherm.dashboard;

import io.isotherm.grid.Heatmap;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The heatmap's two binary forms (docs/API.md). Both start with the header's length as a little-endian uint32 and
 * the JSON header.
 *
 * <ul>
 *   <li>{@code heatmap.bin} ({@link #encode}): zero padding to a multiple of 4 bytes, then the values as float32 and
 *   the counts as int32, little-endian, so a client can view them as typed arrays without copying: 8 bytes a cell.</li>
 *   <li>{@code heatmap.packed} ({@link #pack}), what the viewer loads: values quantised to 16 bits on a square-root
 *   scale, both arrays as runs of zero and non-zero cells in varints. A few bytes per non-zero cell, none for empty
 *   ones.</li>
 * </ul>
 */
final class HeatmapBinary {
    /**
     * The version of what follows a packed answer's header, told in the header as {@code packing}: a reader refuses
     * any other, so a change of layout gets a new number rather than a misread grid.
     */
    static final int PACKING = 1;
    /** A value v in 0..1 is stored as round(√v · STEPS). */
    static final int STEPS = 65_535;

    private HeatmapBinary() {
    }

    static byte[] encode(String headerJson, Heatmap map) {
        byte[] header = headerJson.getBytes(StandardCharsets.UTF_8);
        int start = (4 + header.length + 3) / 4 * 4;
        int cells = map.values().length;
        ByteBuffer out = ByteBuffer.allocate(start + cells * 8).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(header.length).put(header).position(start);
        out.asFloatBuffer().put(map.values());
        out.position(start + cells * 4);
        out.asIntBuffer().put(map.counts());
        return out.array();
    }

    /**
     * The packed form: the header (which must say {@code "packing": PACKING}), then the values' runs, then the counts'.
     * Each array is a sequence of runs over the cells in row-major order: a varint of cells that are 0, a varint n of
     * cells that are not, then n varints. A value's item is the zigzag difference of its quantised value from the
     * previous cell's in its run (0 before the first): the values are smooth, so most differences take one byte. A
     * count's item is the count itself.
     */
    static byte[] pack(String headerJson, Heatmap map) {
        byte[] header = headerJson.getBytes(StandardCharsets.UTF_8);
        int cells = map.values().length;
        Bytes out = new Bytes(16 + header.length + cells / 2);
        out.int32(header.length);
        out.raw(header);
        int[] steps = new int[cells];
        for (int i = 0; i < cells; i++) steps[i] = quantise(map.values()[i]);
        runs(out, steps, true);
        runs(out, map.counts(), false);
        return out.toArray();
    }

    /**
     * √v rather than v keeps the faint edges a log scale lifts: linear 16-bit steps would round a lone click beside a
     * spot a million times busier to 0, that is transparent. Anything not above 0 (−0.0, NaN) is 0, and 1 stays 1.
     */
    static int quantise(float value) {
        if (!(value > 0)) return 0;
        if (value >= 1) return STEPS;
        return (int) Math.round(Math.sqrt(value) * STEPS);
    }

    /** The value a reader gets back for a quantised one. */
    static float value(int step) {
        double root = (double) step / STEPS;
        return (float) (root * root);
    }

    private static void runs(Bytes out, int[] cells, boolean differences) {
        int i = 0;
        while (i < cells.length) {
            int zeros = i;
            while (zeros < cells.length && cells[zeros] == 0) zeros++;
            int end = zeros;
            while (end < cells.length && cells[end] != 0) end++;
            out.varint(zeros - i);
            out.varint(end - zeros);
            int previous = 0;
            for (int k = zeros; k < end; k++) {
                if (differences) {
                    int d = cells[k] - previous;
                    out.varint((d << 1) ^ (d >> 31));
                    previous = cells[k];
                } else {
                    out.varint(cells[k]);
                }
            }
            i = end;
        }
    }

    /** A growing byte array: the answer's size is not known before it is written. */
    private static final class Bytes {
        private byte[] bytes;
        private int size;

        Bytes(int capacity) {
            bytes = new byte[Math.max(16, capacity)];
        }

        void int32(int v) {
            room(4);
            for (int k = 0; k < 4; k++) bytes[size++] = (byte) (v >>> (8 * k));
        }

        void raw(byte[] b) {
            room(b.length);
            System.arraycopy(b, 0, bytes, size, b.length);
            size += b.length;
        }

        /** LEB128: 7 bits a byte, lowest first, the high bit set on every byte but the last. */
        void varint(int v) {
            room(5);
            while ((v & ~0x7f) != 0) {
                bytes[size++] = (byte) ((v & 0x7f) | 0x80);
                v >>>= 7;
            }
            bytes[size++] = (byte) v;
        }

        private void room(int n) {
            if (size + n > bytes.length) bytes = Arrays.copyOf(bytes, Math.max(size + n, bytes.length * 2));
        }

        byte[] toArray() {
            return Arrays.copyOf(bytes, size);
        }
    }
}
