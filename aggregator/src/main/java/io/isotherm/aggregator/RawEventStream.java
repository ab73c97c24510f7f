package io.isotherm.aggregator;

import io.isotherm.db.event.RawEvent;
import org.jdbi.v3.core.Handle;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyInputStream;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
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

    private final Map<String, String> labels = new HashMap<>(); // enum labels and selectors repeat: one String each

    static void read(Handle handle, String select, Consumer<RawEvent> sink) {
        new RawEventStream().copy(handle, select, sink);
    }

    private void copy(Handle handle, String select, Consumer<RawEvent> sink) {
        try (PGCopyInputStream copy = new PGCopyInputStream(handle.getConnection().unwrap(PGConnection.class),
                "COPY (" + select + ") TO STDOUT (FORMAT binary)");
             DataInputStream in = new DataInputStream(new BufferedInputStream(copy, 1 << 16))) {
            header(in);
            while (true) {
                short fields = in.readShort();
                if (fields == -1) break;
                if (fields != RawEvent.COLUMNS.size()) throw new IllegalStateException("expected " + RawEvent.COLUMNS.size() + " columns, got " + fields);
                sink.accept(row(in));
            }
            while (in.read() >= 0) {
                // drain to the end of the COPY, so the connection is ready for the next statement
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading raw events failed: " + e.getMessage(), e);
        } catch (IOException e) {
            if (e.getCause() instanceof SQLException sql) throw new IllegalStateException("reading raw events failed: " + sql.getMessage(), sql);
            throw new UncheckedIOException(e);
        }
    }

    private static void header(DataInputStream in) throws IOException {
        byte[] signature = new byte[SIGNATURE.length];
        in.readFully(signature);
        if (!java.util.Arrays.equals(signature, SIGNATURE)) throw new IllegalStateException("not a binary COPY stream");
        in.readInt(); // flags: no OIDs since PostgreSQL 12
        in.skipNBytes(in.readInt()); // header extension
    }

    private RawEvent row(DataInputStream in) throws IOException {
        int siteId = int4(in);
        long pageId = int8(in);
        length(in, 16);
        UUID pageview = new UUID(in.readLong(), in.readLong());
        int seq = int4(in);
        length(in, 8);
        long micros = in.readLong();
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

    private static void length(DataInputStream in, int expected) throws IOException {
        int length = in.readInt();
        if (length != expected) throw new IllegalStateException("expected a field of " + expected + " bytes, got " + length);
    }

    private static int int4(DataInputStream in) throws IOException {
        length(in, 4);
        return in.readInt();
    }

    private static long int8(DataInputStream in) throws IOException {
        length(in, 8);
        return in.readLong();
    }

    private static Integer nullableInt4(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0) return null;
        if (length != 4) throw new IllegalStateException("expected an int4, got " + length + " bytes");
        return in.readInt();
    }

    private static Float float4(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0) return null;
        if (length != 4) throw new IllegalStateException("expected a float4, got " + length + " bytes");
        return Float.intBitsToFloat(in.readInt());
    }

    private static boolean bool(DataInputStream in) throws IOException {
        length(in, 1);
        return in.readByte() != 0;
    }

    private String text(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0) return null;
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        String value = new String(bytes, StandardCharsets.UTF_8);
        String known = labels.putIfAbsent(value, value);
        return known == null ? value : known;
    }

}
