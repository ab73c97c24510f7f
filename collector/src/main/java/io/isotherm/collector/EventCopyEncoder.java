package io.isotherm.collector;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;

/**
 * Writes a batch as CSV rows for {@code COPY raw_event (…) FROM STDIN (FORMAT csv)}, in {@link #COLUMNS} order.
 * Runs on the request thread, so the writer's transaction only concatenates bytes.
 */
final class EventCopyEncoder {
    static final String COLUMNS = "site_id, page_id, pageview_id, seq, occurred_at, kind, device, x, y, document_width, "
            + "document_height, viewport_width, viewport_height, selector, box_x, box_y, fixed, interactive, rage, dwell_ms, depth";
    static final String COPY_SQL = "COPY raw_event (" + COLUMNS + ") FROM STDIN (FORMAT csv)";

    private EventCopyEncoder() {
    }

    static byte[] encode(AcceptedBatch batch) {
        String prefix = batch.siteId() + "," + batch.pageId() + "," + batch.pageviewId() + "," + batch.seq() + ",";
        String context = "," + batch.device().sqlName() + ",";
        String sizes = batch.documentWidth() + "," + batch.documentHeight() + "," + batch.viewportWidth() + ","
                + batch.viewportHeight() + ",";
        var out = new StringBuilder(batch.events().size() * 120);
        for (EventRow e : batch.events()) {
            out.append(prefix);
            timestamp(out, e.occurredAt());
            out.append(',').append(e.kind()).append(context)
                    .append(e.x()).append(',').append(e.y()).append(',').append(sizes);
            quoted(out, e.selector());
            out.append(',');
            nullable(out, e.boxX());
            out.append(',');
            nullable(out, e.boxY());
            out.append(',').append(e.fixed()).append(',').append(e.interactive()).append(',').append(e.rage()).append(',');
            nullable(out, e.dwellMs());
            out.append(',');
            nullable(out, e.depth());
            out.append('\n');
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** {@code 2026-11-24 10:40:48.283058+00}: Instant.toString() costs several times more, per event. */
    static void timestamp(StringBuilder out, Instant t) {
        long seconds = t.getEpochSecond();
        LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(seconds, 86_400));
        int secondOfDay = (int) Math.floorMod(seconds, 86_400);
        out.append(date.getYear()).append('-');
        twoDigits(out, date.getMonthValue());
        out.append('-');
        twoDigits(out, date.getDayOfMonth());
        out.append(' ');
        twoDigits(out, secondOfDay / 3600);
        out.append(':');
        twoDigits(out, secondOfDay / 60 % 60);
        out.append(':');
        twoDigits(out, secondOfDay % 60);
        out.append('.');
        int micros = t.getNano() / 1000;
        for (int div = 100_000; div > 0; div /= 10) {
            out.append((char) ('0' + micros / div % 10));
        }
        out.append("+00");
    }

    private static void twoDigits(StringBuilder out, int value) {
        out.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
    }

    private static void nullable(StringBuilder out, Object value) {
        if (value != null) { // an empty unquoted CSV field is NULL
            out.append(value);
        }
    }

    private static void quoted(StringBuilder out, String text) {
        if (text == null) {
            return;
        }
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                out.append('"');
            }
            out.append(c);
        }
        out.append('"');
    }
}
