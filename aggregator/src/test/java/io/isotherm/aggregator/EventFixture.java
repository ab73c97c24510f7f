package io.isotherm.aggregator;

import io.isotherm.db.Database;
import io.isotherm.db.event.RawEvent;
import io.isotherm.db.event.RawEventPartitions;
import io.isotherm.db.page.PageDao;
import io.isotherm.db.site.SiteDao;
import io.isotherm.testing.StoredTraffic;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

/**
 * Writes batches and their events straight into ingest_batch and raw_event ({@link StoredTraffic}), as the collector
 * would: the aggregator's input is those tables, and tests need exact control over times, devices and coordinates.
 */
final class EventFixture {
    final Database db;
    final int siteId;
    final long pageId;

    EventFixture(Database db, String timeZone) {
        this.db = db;
        this.siteId = new SiteDao(db.jdbi()).add("Shop", List.of("https://shop.example"), List.of()).id();
        db.jdbi().useHandle(h -> h.execute("UPDATE site SET time_zone = ? WHERE site_id = ?", timeZone, siteId));
        this.pageId = new PageDao(db.jdbi()).idFor(siteId, "https://shop.example/pricing");
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        new RawEventPartitions(db.jdbi(), 2).ensure(today.minusDays(40), 43);
    }

    /** An event as the collector stores it; build with the static methods and the with* copies. */
    record Event(String kind, Instant at, String device, int x, int y, int documentWidth, int documentHeight,
                 int viewportWidth, int viewportHeight, String selector, Float boxX, Float boxY, boolean fixed,
                 boolean interactive, boolean rage, Integer dwellMs, Float depth) {

        static Event click(Instant at, int x, int y, String selector, float boxX, float boxY) {
            return new Event("click", at, "desktop", x, y, 1440, 5000, 1440, 900, selector, boxX, boxY, false, true, false, null, null);
        }

        /** A click on no element the tracker could name: no selector, no in-box position. */
        static Event clickOnNothing(Instant at, int x, int y) {
            return new Event("click", at, "desktop", x, y, 1440, 5000, 1440, 900, null, null, null, false, true, false, null, null);
        }

        static Event move(Instant at, int x, int y) {
            return new Event("move", at, "desktop", x, y, 1440, 5000, 1440, 900, null, null, null, false, false, false, null, null);
        }

        /** A scroll event: y is the bottom of the viewport; dwell null for "deepest point reached". */
        static Event scroll(Instant at, int y, Integer dwellMs) {
            return new Event("scroll", at, "desktop", 0, y, 1440, 5000, 1440, 900, null, null, null, false, false, false, dwellMs, Math.min(1f, y / 5000f));
        }

        Event on(String device, int viewportWidth, int documentWidth) {
            return new Event(kind, at, device, x, y, documentWidth, documentHeight, viewportWidth, viewportHeight, selector, boxX, boxY, fixed, interactive, rage, dwellMs, depth);
        }

        /** The same event from a window {@code viewportHeight} px tall. */
        Event inWindowOfHeight(int viewportHeight) {
            return new Event(kind, at, device, x, y, documentWidth, documentHeight, viewportWidth, viewportHeight, selector, boxX, boxY, fixed, interactive, rage, dwellMs, depth);
        }

        Event fixedInViewport() {
            return new Event(kind, at, device, x, y, documentWidth, documentHeight, viewportWidth, viewportHeight, selector, boxX, boxY, true, interactive, rage, dwellMs, depth);
        }

        Event dead() {
            return new Event(kind, at, device, x, y, documentWidth, documentHeight, viewportWidth, viewportHeight, selector, boxX, boxY, fixed, false, rage, dwellMs, depth);
        }

        Event raging() {
            return new Event(kind, at, device, x, y, documentWidth, documentHeight, viewportWidth, viewportHeight, selector, boxX, boxY, fixed, interactive, true, dwellMs, depth);
        }

        Event viewportHeight(int height) {
            return new Event(kind, at, device, x, y, documentWidth, documentHeight, viewportWidth, height, selector, boxX, boxY, fixed, interactive, rage, dwellMs, depth);
        }
    }

    /** Stores one batch (receipt and events) in one transaction, as the collector's writer does. */
    void batch(UUID pageview, int seq, Instant receivedAt, List<Event> events) {
        batch(pageview, seq, receivedAt, events, null);
    }

    /** The same, for a batch of {@code visit} (null: stored before segments were recorded). */
    void batch(UUID pageview, int seq, Instant receivedAt, List<Event> events, StoredTraffic.Visit visit) {
        StoredTraffic.storeBatch(db.jdbi(), receivedAt, events.stream()
                .map(e -> new RawEvent(siteId, pageId, pageview, seq, e.at(), e.kind(), e.device(), e.x(), e.y(),
                        e.documentWidth(), e.documentHeight(), e.viewportWidth(), e.viewportHeight(), e.selector(), e.boxX(),
                        e.boxY(), e.fixed(), e.interactive(), e.rage(), e.dwellMs(), e.depth()))
                .toList(), visit);
    }

    /**
     * Every aggregate table's rows as text, sorted: two databases aggregated alike give equal snapshots. A segment is
     * named by its values, not its id (aggregators number segments in the order they meet them); a segment's counts
     * are summed over parts and rows, which two refreshes may have taken differently.
     */
    List<String> snapshot() {
        String segment = """
                coalesce((SELECT concat_ws('/', referrer, utm_source, utm_medium, utm_campaign, variant, browser, os, country) FROM segment g
                          WHERE g.site_id = x.site_id AND g.segment_id = x.segment_id), 'every page view')""";
        return db.jdbi().withHandle(h -> h.createQuery("""
                        SELECT t || ': ' || r FROM (
                            SELECT 'heat_cell_by_day' AS t, x::text AS r FROM heat_cell_by_day x
                            UNION ALL SELECT 'click_anchor_by_day', x::text FROM click_anchor_by_day x
                            UNION ALL SELECT 'element_day', x::text FROM element_day x
                            UNION ALL SELECT 'page_day', x::text FROM page_day x
                            UNION ALL SELECT 'page_hour', x::text FROM page_hour x
                            UNION ALL SELECT 'scroll_depth_percent', x::text FROM scroll_depth_percent x WHERE pageviews <> 0
                            UNION ALL SELECT 'scroll_depth_px', x::text FROM scroll_depth_px x WHERE pageviews <> 0
                            UNION ALL SELECT 'viewport_height', x::text FROM viewport_height x
                            UNION ALL SELECT 'attention_band', (to_jsonb(x) - 'segment_id')::text || ' ' || SEGMENT FROM attention_band x
                            UNION ALL SELECT 'pageview_summary', (to_jsonb(x) - 'segment_id')::text || ' ' || SEGMENT FROM pageview_summary x
                            UNION ALL SELECT 'segment tile', concat_ws(' ', SEGMENT, page_id, device, kind, first_day, cell_size, c.idx, sum(c.n))
                                FROM heat_tile x, unpack_counts(x.cells) c WHERE segment_id > 0
                                GROUP BY SEGMENT, page_id, device, kind, first_day, cell_size, c.idx
                            UNION ALL SELECT 'segment element', concat_ws(' ', SEGMENT, page_id, device, day, u.selector, sum(u.clicks),
                                                                          sum(u.rage), sum(u.dead))
                                FROM segment_click_day x, unnest(x.selectors, x.clicks, x.rage, x.dead) AS u(selector, clicks, rage, dead)
                                GROUP BY SEGMENT, page_id, device, day, u.selector
                            UNION ALL SELECT 'segment target', concat_ws(' ', SEGMENT, page_id, device, day, u.selector, cell_size, anchor_bins,
                                                                         'cell', c.idx, sum(c.n))
                                FROM segment_click_day x, unnest(x.selectors, x.cells) AS u(selector, packed), unpack_counts(u.packed) c
                                GROUP BY SEGMENT, page_id, device, day, u.selector, cell_size, anchor_bins, c.idx
                            UNION ALL SELECT 'segment target', concat_ws(' ', SEGMENT, page_id, device, day, u.selector, cell_size, anchor_bins,
                                                                         'anchor', c.idx, sum(c.n))
                                FROM segment_click_day x, unnest(x.selectors, x.anchors) AS u(selector, packed), unpack_counts(u.packed) c
                                GROUP BY SEGMENT, page_id, device, day, u.selector, cell_size, anchor_bins, c.idx
                            UNION ALL SELECT 'segment target', concat_ws(' ', SEGMENT, page_id, device, day, u.selector, cell_size, anchor_bins,
                                                                         'fixed', c.idx, sum(c.n))
                                FROM segment_click_day x, unnest(x.selectors, x.fixed_cells) AS u(selector, packed), unpack_counts(u.packed) c
                                GROUP BY SEGMENT, page_id, device, day, u.selector, cell_size, anchor_bins, c.idx
                        ) s ORDER BY 1""".replace("SEGMENT", segment))
                .mapTo(String.class)
                .list());
    }

    int pendingBatches() {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM ingest_batch WHERE aggregated_at IS NULL").mapTo(Integer.class).one());
    }
}
