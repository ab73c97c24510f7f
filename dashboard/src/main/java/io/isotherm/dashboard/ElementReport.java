package io.isotherm.dashboard;

import io.isotherm.grid.AggregateVersion;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.util.List;

/** Clicks per element (CSS selector) of a page, with rage and dead clicks and the element's box on the current layout. */
final class ElementReport {
    /** In layout px of the device class, as the screenshot capture recorded it. */
    record Box(int x, int y, int width, int height) {}

    /**
     * @param share of the clicks on all elements of the page, device class and range
     * @param box   null when the page's current layout has no element with this selector
     * @param label the element's name on the current layout as the capture took it from the page (its short visible
     *              text, aria-label, alt or title); null when it has none or is not on the layout
     */
    record Element(String selector, String label, long clicks, double share, long rage, long dead, Box box) {}

    /**
     * @param version    the site's aggregate version the numbers were read at ({@link AggregateVersion})
     * @param pageviews  page views of the page on the device class in the range, as the viewer's header counts them
     * @param pageClicks every click on the page, on an element or not
     * @param clicks     clicks on all elements together (clicks on targets without a selector are not in element counts)
     */
    record Elements(long version, long pageviews, long pageClicks, long clicks, List<Element> elements) {}

    private final Jdbi jdbi;

    ElementReport(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * The report of one view, read in one snapshot: the one way to it, for the API, exports and shared views alike,
     * so they all show the same numbers as the viewer's header.
     */
    Elements elements(Scope scope) {
        return ReadSnapshot.read(jdbi, h -> elements(h, scope));
    }

    /** The same, in the caller's snapshot. */
    Elements elements(Handle h, Scope scope) {
        return pooled(h, scope, List.of(scope.pageId()));
    }

    /**
     * The clicks of several pages (a page group) added up per selector, with the boxes and labels of the scope's page's
     * layout, on which the group is drawn; page views and clicks of all the pages.
     */
    Elements pooled(Handle h, Scope scope, List<Long> pages) {
        record Row(String selector, long clicks, long rage, long dead, Box box, String label) {}
        int[] segments = scope.segmentIds(h);
        // A segment's page views and clicks are counted from its page views' rows (V17); all of them from page_day.
        long[] page = h.createQuery(scope.filtered() ? """
                        SELECT count(*), coalesce(sum(clicks), 0) FROM pageview_summary
                        WHERE site_id = :site AND page_id = ANY(:pages) AND device = :device::device_class AND day BETWEEN :from AND :to
                          AND segment_id = ANY(:segments)""" : """
                        SELECT coalesce(sum(pageviews), 0), coalesce(sum(clicks), 0) FROM page_day
                        WHERE site_id = :site AND page_id = ANY(:pages) AND device = :device::device_class AND day BETWEEN :from AND :to""")
                .bind("site", scope.siteId()).bindArray("pages", Long.class, pages).bind("device", scope.device())
                .bind("from", scope.from()).bind("to", scope.to())
                .bindArray("segments", Integer.class, java.util.Arrays.stream(segments).boxed().toList())
                .map((rs, ctx) -> new long[]{rs.getLong(1), rs.getLong(2)})
                .one();
        // Every page view's element counts are rows of element_day; a segment's are entries of its days' rows (V21).
        String counts = scope.filtered() ? """
                SELECT u.selector, u.clicks, u.rage, u.dead
                FROM segment_click_day s, unnest(s.selectors, s.clicks, s.rage, s.dead) AS u(selector, clicks, rage, dead)
                WHERE s.site_id = :site AND s.page_id = ANY(:pages) AND s.device = :device::device_class AND s.day BETWEEN :from AND :to
                  AND s.segment_id = ANY(:segments) AND s.span IN (0, 1)""" : """
                SELECT selector, clicks, rage, dead FROM element_day
                WHERE site_id = :site AND page_id = ANY(:pages) AND device = :device::device_class AND day BETWEEN :from AND :to
                  AND segment_id = ANY(:segments)""";
        List<Row> rows = h.createQuery("""
                        SELECT e.selector, e.clicks, e.rage, e.dead, l.x, l.y, l.width, l.height, l.label
                        FROM (SELECT selector, sum(clicks) AS clicks, sum(rage) AS rage, sum(dead) AS dead FROM (COUNTS) c
                              GROUP BY selector HAVING sum(clicks) > 0) e
                        LEFT JOIN layout_element l
                               ON l.site_id = :site AND l.page_id = :page AND l.device = :device::device_class AND l.selector = e.selector
                        ORDER BY e.clicks DESC, e.selector""".replace("COUNTS", counts))
                .bind("site", scope.siteId()).bind("page", scope.pageId()).bindArray("pages", Long.class, pages).bind("device", scope.device())
                .bind("from", scope.from()).bind("to", scope.to())
                .bindArray("segments", Integer.class, java.util.Arrays.stream(segments).boxed().toList())
                .map((rs, ctx) -> new Row(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
                        rs.getObject(5) == null ? null : new Box(rs.getInt(5), rs.getInt(6), rs.getInt(7), rs.getInt(8)),
                        rs.getString(9)))
                .list();
        long total = rows.stream().mapToLong(Row::clicks).sum();
        return new Elements(AggregateVersion.of(h, scope.siteId()), page[0], page[1], total, rows.stream()
                .map(r -> new Element(r.selector(), r.label(), r.clicks(), (double) r.clicks() / total, r.rage(), r.dead(), r.box()))
                .toList());
    }
}
