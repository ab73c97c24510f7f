package io.isotherm.aggregator;

import io.isotherm.db.event.RawEvent;
import org.jdbi.v3.core.Handle;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyInputStream;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Reads raw_event rows with {@code COPY (SELECT …) TO STDOUT (FORMAT binary)}: one stream that PostgreSQL keeps
 * sending while the JVM decodes it, with no per-row protocol messages, no cursor round trips and no text to parse
 * (docs/PERFORMANCE.md, "Aggregation"). The query must select {@link RawEvent#COLUMNS}, in order.
 */
final class RawEventStream {
    private static final long POSTGRES_EPOCH_SECONDS = 946_684_800L; // 2000-01-01T00:00:00Z
    private static final byte[] SIGNATURE = "PGCOPY\n\377\r\n\0".getBytes(StandardCharsets.ISO_8859_1);
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private final Labels labels = new Labels();

    static void read(Handle handle, String select, Consumer<RawEvent> sink) {
        new RawEventStream().copy(handle, select, sink);
    }

    private void copy(Handle handle, String select, Consumer<RawEvent> sink) {
        try (PGCopyInputStream copy = new PGCopyInputStream(handle.getConnection().unwrap(PGConnection.class),
                "COPY (" + select + ") TO STDOUT (FORMAT binary)")) {
            Input in = new Input(copy);
            header(in);
            while (true) {
                short fields = in.int2();
                if (fields == -1) break;
                if (fields != RawEvent.COLUMNS.size()) throw new IllegalStateException("expected " + RawEvent.COLUMNS.size() + " columns, got " + fields);
                sink.accept(row(in));
            }
            while (copy.read() >= 0) {
                // drain to the end of the COPY, so the connection is ready for the next statement
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading raw events failed: " + e.getMessage(), e);
        } catch (IOException e) {
            if (e.getCause() instanceof SQLException sql) throw new IllegalStateException("reading raw events failed: " + sql.getMessage(), sql);
            throw new UncheckedIOException(e);
        }
    }

    private static void header(Input in) throws IOException {
        for (byte b : SIGNATURE) if (in.int1() != b) throw new IllegalStateException("not a binary COPY stream");
        in.int4(); // flags: no OIDs since PostgreSQL 12
        int extension = in.int4();
        for (int i = 0; i < extension; i++) in.int1();
    }

    private RawEvent row(Input in) throws IOException {
        int siteId = int4(in);
        long pageId = int8(in);
        length(in, 16);
        UUID pageview = new UUID(in.int8(), in.int8());
        int seq = int4(in);
        length(in, 8);
        long micros = in.int8();
        Instant at = Instant.ofEpochSecond(POSTGRES_EPOCH_SECONDS + Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000);
        String kind = text(in);
        String device = text(in);
        int x = int4(in), y = int4(in);
        int documentWidth = int4(in), documentHeight = int4(in), viewportWidth = int4(in), viewportHeight = int4(in);
        String selector = text(in);
        Float boxX = float4(in), boxY = float4(in);
        boolean fixed = bool(in), interactive = bool(in), rage = bool(in);
        Integer dwell = nullableInt4(in);
        Float depth = float4(in);
        return new RawEvent(siteId, pageId, pageview, seq, at, kind, device, x, y, documentWidth, documentHeight, viewportWidth,
                viewportHeight, selector, boxX, boxY, fixed, interactive, rage, dwell, depth);
    }

    private static void length(Input in, int expected) throws IOException {
        int length = in.int4();
        if (length != expected) throw new IllegalStateException("expected a field of " + expected + " bytes, got " + length);
    }

    private static int int4(Input in) throws IOException {
        length(in, 4);
        return in.int4();
    }

    private static long int8(Input in) throws IOException {
        length(in, 8);
        return in.int8();
    }

    private static Integer nullableInt4(Input in) throws IOException {
        int length = in.int4();
        if (length < 0) return null;
        if (length != 4) throw new IllegalStateException("expected an int4, got " + length + " bytes");
        return in.int4();
    }

    private static Float float4(Input in) throws IOException {
        int length = in.int4();
        if (length < 0) return null;
        if (length != 4) throw new IllegalStateException("expected a float4, got " + length + " bytes");
        return Float.intBitsToFloat(in.int4());
    }

    private static boolean bool(Input in) throws IOException {
        length(in, 1);
        return in.int1() != 0;
    }

    /** Enum labels and selectors repeat: their bytes are looked up, and a String made once per distinct value. */
    private String text(Input in) throws IOException {
        int length = in.int4();
        if (length < 0) return null;
        in.require(length);
        String value = labels.get(in.buffer, in.position, length);
        in.position += length;
        return value;
    }

    /**
     * Big-endian reads from a buffer refilled from the stream. DataInputStream over a BufferedInputStream took a
     * synchronized call per byte, the largest single cost of an aggregation pass in a profile.
     */
    private static final class Input {
        private final InputStream stream;
        private byte[] buffer = new byte[1 << 16];
        private int position, limit;

        Input(InputStream stream) {
            this.stream = stream;
        }

        /** At least {@code n} unread bytes in the buffer, else EOFException. */
        void require(int n) throws IOException {
            if (limit - position >= n) return;
            if (n > buffer.length) buffer = Arrays.copyOf(buffer, Math.max(n, buffer.length * 2));
            System.arraycopy(buffer, position, buffer, 0, limit - position);
            limit -= position;
            position = 0;
            while (limit < n) {
                int read = stream.read(buffer, limit, buffer.length - limit);
                if (read < 0) throw new EOFException("the COPY stream ended inside a row");
                limit += read;
            }
        }

        byte int1() throws IOException {
            require(1);
            return buffer[position++];
        }

        short int2() throws IOException {
            require(2);
            short v = (short) SHORT.get(buffer, position);
            position += 2;
            return v;
        }

        int int4() throws IOException {
            require(4);
            int v = (int) INT.get(buffer, position);
            position += 4;
            return v;
        }

        long int8() throws IOException {
            require(8);
            long v = (long) LONG.get(buffer, position);
            position += 8;
            return v;
        }
    }

    /** Strings by their UTF-8 bytes, without making a String to look one up. */
    private static final class Labels {
        private final Map<Bytes, String> known = new HashMap<>();
        private final Bytes probe = new Bytes();

        String get(byte[] buffer, int offset, int length) {
            probe.set(buffer, offset, length);
            String value = known.get(probe);
            if (value != null) return value;
            byte[] copy = Arrays.copyOfRange(buffer, offset, offset + length);
            value = new String(copy, StandardCharsets.UTF_8);
            Bytes key = new Bytes();
            key.set(copy, 0, length);
            known.put(key, value);
            return value;
        }
    }

    private static final class Bytes {
        byte[] array;
        int offset, length, hash;

        void set(byte[] array, int offset, int length) {
            this.array = array;
            this.offset = offset;
            this.length = length;
            int h = 1;
            for (int i = offset; i < offset + length; i++) h = 31 * h + array[i];
            this.hash = h;
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Bytes b && Arrays.equals(array, offset, offset + length, b.array, b.offset, b.offset + b.length);
        }
    }
}
