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
     * What a batch says of its visit, as the collector stores it (docs/COLLECT-API.md): the referrer class, the
     * landing URL's utm values and the variant (null when absent), the browser and OS families, and the visitor's
     * IANA time zone (null when not sent).
     */
    public record Visit(String referrer, String utmSource, String utmMedium, String utmCampaign, String variant,
                        String browser, String os, String timeZone) {
        /** A visitor who typed the address, on Chrome for Windows, in Paris. */
        public static final Visit DIRECT = new Visit("direct", null, null, null, null, "Chrome", "Windows", "Europe/Paris");

        public Visit campaign(String source, String medium, String campaign) {
            return new Visit(referrer, source, medium, campaign, variant, browser, os, timeZone);
        }

        public Visit variant(String variant) {
            return new Visit(referrer, utmSource, utmMedium, utmCampaign, variant, browser, os, timeZone);
        }

        public Visit referrer(String referrer) {
            return new Visit(referrer, utmSource, utmMedium, utmCampaign, variant, browser, os, timeZone);
        }

        public Visit timeZone(String timeZone) {
            return new Visit(referrer, utmSource, utmMedium, utmCampaign, variant, browser, os, timeZone);
        }

        public Visit browser(String browser, String os) {
            return new Visit(referrer, utmSource, utmMedium, utmCampaign, variant, browser, os, timeZone);
        }
    }

    /**
     * Stores one batch: {@code rows} all of one site, page view and seq (the batch's key), received at {@code receivedAt},
     * as a batch stored before segments were recorded (no visit: its page view has segment 0).
     */
    public static void storeBatch(Jdbi jdbi, Instant receivedAt, List<RawEvent> rows) {
        storeBatch(jdbi, receivedAt, rows, null);
    }

    /** Stores one batch of a visit (see {@link #storeBatch(Jdbi, Instant, List)}); {@code visit} null: none. */
    public static void storeBatch(Jdbi jdbi, Instant receivedAt, List<RawEvent> rows, Visit visit) {
        if (rows.isEmpty()) throw new IllegalArgumentException("a batch has at least one event");
        RawEvent first = rows.get(0);
        Visit v = visit == null ? new Visit(null, null, null, null, null, null, null, null) : visit;
        jdbi.useTransaction(h -> {
            h.createUpdate("""
                            INSERT INTO ingest_batch (site_id, pageview_id, seq, page_id, event_count, received_at, time_zone,
                                referrer, utm_source, utm_medium, utm_campaign, variant, browser, os, first_event_at, last_event_at)
                            VALUES (:site, :pageview, :seq, :page, :count, :received, :zone,
                                :referrer, :utmSource, :utmMedium, :utmCampaign, :variant, :browser, :os, :first, :last)""")
                    .bind("site", first.siteId()).bind("pageview", first.pageviewId()).bind("seq", first.seq())
                    .bind("page", first.pageId()).bind("count", rows.size()).bind("received", receivedAt.atOffset(ZoneOffset.UTC))
                    .bind("zone", v.timeZone()).bind("referrer", v.referrer()).bind("utmSource", v.utmSource())
                    .bind("utmMedium", v.utmMedium()).bind("utmCampaign", v.utmCampaign()).bind("variant", v.variant())
                    .bind("browser", v.browser()).bind("os", v.os())
                    // Bound as the rows' own times are, so both round alike.
                    .bind("first", rows.stream().map(RawEvent::occurredAt).min(Instant::compareTo).orElseThrow().atOffset(ZoneOffset.UTC))
                    .bind("last", rows.stream().map(RawEvent::occurredAt).max(Instant::compareTo).orElseThrow().atOffset(ZoneOffset.UTC))
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
