package io.isotherm.collector;

import io.isotherm.db.event.RawEvent;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * Writes raw_event rows as CSV for {@code COPY raw_event (…) FROM STDIN (FORMAT csv)}: every component of a
 * {@link RawEvent} in its order, which is the order of {@link RawEvent#COLUMNS}. Runs on the request thread, so the
 * writer's transaction only concatenates bytes.
 */
final class EventCopyEncoder {
    static final String COPY_SQL = "COPY raw_event (" + RawEvent.columnList() + ") FROM STDIN (FORMAT csv)";

    private EventCopyEncoder() {
    }

    static byte[] encode(List<RawEvent> rows) {
        var out = new StringBuilder(rows.size() * 160);
        UUID pageview = null;
        String pageviewText = null;
        for (RawEvent e : rows) {
            if (e.pageviewId() != pageview) { // a batch's rows share one: its text is made once
                pageview = e.pageviewId();
                pageviewText = pageview.toString();
            }
            out.append(e.siteId()).append(',').append(e.pageId()).append(',').append(pageviewText).append(',')
                    .append(e.seq()).append(',');
            timestamp(out, e.occurredAt());
            out.append(',').append(e.kind()).append(',').append(e.device()).append(',')
                    .append(e.x()).append(',').append(e.y()).append(',')
                    .append(e.documentWidth()).append(',').append(e.documentHeight()).append(',')
                    .append(e.viewportWidth()).append(',').append(e.viewportHeight()).append(',');
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
