package io.isotherm.dashboard;

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

    /** @param clicks clicks on all elements together (clicks on targets without a selector are not in element counts) */
    record Elements(long clicks, List<Element> elements) {}

    private final Jdbi jdbi;

    ElementReport(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    Elements elements(Scope scope) {
        record Row(String selector, long clicks, long rage, long dead, Box box, String label) {}
        List<Row> rows = jdbi.withHandle(h -> h.createQuery("""
                        SELECT e.selector, e.clicks, e.rage, e.dead, l.x, l.y, l.width, l.height, l.label
                        FROM (SELECT selector, sum(clicks) AS clicks, sum(rage) AS rage, sum(dead) AS dead FROM element_day
                              WHERE site_id = :site AND page_id = :page AND device = :device::device_class AND day BETWEEN :from AND :to
                              GROUP BY selector HAVING sum(clicks) > 0) e
                        LEFT JOIN layout_element l
                               ON l.site_id = :site AND l.page_id = :page AND l.device = :device::device_class AND l.selector = e.selector
                        ORDER BY e.clicks DESC, e.selector""")
                .bind("site", scope.siteId()).bind("page", scope.pageId()).bind("device", scope.device())
                .bind("from", scope.from()).bind("to", scope.to())
                .map((rs, ctx) -> new Row(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
                        rs.getObject(5) == null ? null : new Box(rs.getInt(5), rs.getInt(6), rs.getInt(7), rs.getInt(8)),
                        rs.getString(9)))
                .list());
        long total = rows.stream().mapToLong(Row::clicks).sum();
        return new Elements(total, rows.stream()
                .map(r -> new Element(r.selector(), r.label(), r.clicks(), (double) r.clicks() / total, r.rage(), r.dead(), r.box()))
                .toList());
    }
}
