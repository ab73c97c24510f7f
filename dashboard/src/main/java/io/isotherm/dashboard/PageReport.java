package io.isotherm.dashboard;

import org.jdbi.v3.core.Jdbi;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every page of a site with its page views, clicks and moves over a range, in total and per device class. */
final class PageReport {
    record Counts(long pageviews, long clicks, long moves) {
        static final Counts ZERO = new Counts(0, 0, 0);

        Counts plus(Counts other) {
            return new Counts(pageviews + other.pageviews, clicks + other.clicks, moves + other.moves);
        }
    }

    record Page(String url, long pageviews, long clicks, long moves, Map<String, Counts> devices) {}

    record Pages(List<Page> pages) {}

    private final Jdbi jdbi;

    PageReport(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    Pages pages(int siteId, DateRange range) {
        // One row per page and device class with data in the range; a page without any has one row with a null device.
        record Row(String url, String device, Counts counts) {}
        List<Row> rows = jdbi.withHandle(h -> h.createQuery("""
                        SELECT p.url, d.device::text, sum(d.pageviews), sum(d.clicks), sum(d.moves)
                        FROM page p
                        LEFT JOIN page_day d ON d.site_id = p.site_id AND d.page_id = p.page_id AND d.day BETWEEN :from AND :to
                        WHERE p.site_id = :site
                        GROUP BY p.url, d.device""")
                .bind("site", siteId).bind("from", range.from()).bind("to", range.to())
                .map((rs, ctx) -> new Row(rs.getString(1), rs.getString(2), new Counts(rs.getLong(3), rs.getLong(4), rs.getLong(5))))
                .list());
        Map<String, Map<String, Counts>> byUrl = new LinkedHashMap<>();
        for (Row row : rows) {
            Map<String, Counts> devices = byUrl.computeIfAbsent(row.url(), url -> zeroPerDevice());
            if (row.device() != null) devices.put(row.device(), row.counts());
        }
        List<Page> pages = new ArrayList<>();
        byUrl.forEach((url, devices) -> {
            Counts total = devices.values().stream().reduce(Counts.ZERO, Counts::plus);
            pages.add(new Page(url, total.pageviews(), total.clicks(), total.moves(), devices));
        });
        pages.sort(Comparator.comparingLong(Page::pageviews).reversed().thenComparing(Page::url));
        return new Pages(pages);
    }

    private static Map<String, Counts> zeroPerDevice() {
        Map<String, Counts> devices = new LinkedHashMap<>();
        for (String device : Params.DEVICES) devices.put(device, Counts.ZERO);
        return devices;
    }
}
