package io.isotherm.collector;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Writes batches as CSV for {@code COPY raw_event (…) FROM STDIN (FORMAT csv)}, in {@link #COLUMNS} order. */
final class EventCopyEncoder {
    static final String COLUMNS = "site_id, page_id, pageview_id, seq, occurred_at, kind, device, x, y, document_width, "
            + "document_height, viewport_width, viewport_height, selector, box_x, box_y, fixed, interactive, rage, dwell_ms";
    static final String COPY_SQL = "COPY raw_event (" + COLUMNS + ") FROM STDIN (FORMAT csv)";

    private final StringBuilder line = new StringBuilder(256);
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);

    void add(AcceptedBatch batch) {
        String prefix = batch.siteId() + "," + batch.pageId() + "," + batch.pageviewId() + "," + batch.seq() + ",";
        String context = "," + batch.device().sql() + ",";
        String sizes = batch.documentWidth() + "," + batch.documentHeight() + "," + batch.viewportWidth() + "," + batch.viewportHeight() + ",";
        for (EventRow e : batch.events()) {
            line.setLength(0);
            line.append(prefix).append(e.occurredAt()).append(',').append(e.kind()).append(context)
                    .append(e.x()).append(',').append(e.y()).append(',').append(sizes);
            quoted(e.selector());
            line.append(',');
            nullable(e.boxX());
            line.append(',');
            nullable(e.boxY());
            line.append(',').append(e.fixed()).append(',').append(e.interactive()).append(',').append(e.rage()).append(',');
            nullable(e.dwellMs());
            line.append('\n');
            out.writeBytes(line.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    boolean isEmpty() {
        return out.size() == 0;
    }


    private void nullable(Object value) {
        if (value != null) { // an empty unquoted CSV field is NULL
            line.append(value);
        }
    }

    private void quoted(String text) {
        if (text == null) {
            return;
        }
        line.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                line.append('"');
            }
            line.append(c);
        }
        line.append('"');
    }
}
