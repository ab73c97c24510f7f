package io.isotherm.testing;

import io.isotherm.db.event.RawEvent;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The one writer of test traffic straight into the tables the collector fills: a batch's receipt in
 * {@code ingest_batch} and its rows in {@code raw_event}, in one transaction, as the collector's writer stores them.
 * Tests of what comes after the collector (aggregation, reports, the viewer) use it for exact control over times,
 * devices and coordinates.
 */
public final class StoredTraffic {
    private static final String INSERT_EVENT = "INSERT INTO raw_event (" + RawEvent.columnList() + ") VALUES ("
            + RawEvent.COLUMNS.stream().map(StoredTraffic::parameter).collect(Collectors.joining(", ")) + ")";

    private StoredTraffic() {
    }

    /**
     * Stores one batch: {@code rows} all of one site, page view and seq (the batch's key), received at {@code receivedAt}.
     */
    public static void storeBatch(Jdbi jdbi, Instant receivedAt, List<RawEvent> rows) {
        if (rows.isEmpty()) throw new IllegalArgumentException("a batch has at least one event");
        RawEvent first = rows.get(0);
        jdbi.useTransaction(h -> {
            h.createUpdate("""
                            INSERT INTO ingest_batch (site_id, pageview_id, seq, page_id, event_count, received_at)
                            VALUES (:site, :pageview, :seq, :page, :count, :received)""")
                    .bind("site", first.siteId()).bind("pageview", first.pageviewId()).bind("seq", first.seq())
                    .bind("page", first.pageId()).bind("count", rows.size()).bind("received", receivedAt.atOffset(ZoneOffset.UTC))
                    .execute();
            PreparedBatch insert = h.prepareBatch(INSERT_EVENT);
            for (RawEvent e : rows) {
                if (e.siteId() != first.siteId() || !e.pageviewId().equals(first.pageviewId()) || e.seq() != first.seq()) {
                    throw new IllegalArgumentException("every row of a batch has the batch's site, page view and seq");
                }
                insert.add(e.values());
            }
            insert.execute();
        });
    }

    /** A positional parameter, with the casts PostgreSQL needs for the enum columns. */
    private static String parameter(String column) {
        return switch (column) {
            case "kind" -> "?::event_kind";
            case "device" -> "?::device_class";
            default -> "?";
        };
    }
}
