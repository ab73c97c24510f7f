package io.isotherm.dashboard;

import io.isotherm.db.device.DeviceClass;
import io.isotherm.grid.AggregateVersion;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A site's pages with their page views, clicks and moves over a range, in total and per device class: every page
 * ({@link #pages}), or a searched, sorted slice with titles and when each page was last seen ({@link #list}).
 */
final class PageReport {
    record Counts(long pageviews, long clicks, long moves) {
        static final Counts ZERO = new Counts(0, 0, 0);

        Counts plus(Counts other) {
            return new Counts(pageviews + other.pageviews, clicks + other.clicks, moves + other.moves);
        }
    }

    record Page(String url, long pageviews, long clicks, long moves, Map<String, Counts> devices) {}

    /** @param version the site's aggregate version the numbers were read at */
    record Pages(long version, List<Page> pages) {}

    /**
     * A page of a slice.
     *
     * @param title    the title of the page's latest usable capture that has one, whatever its device class; null if none
     * @param lastSeen ISO instant: when the page's latest batch was received, or when the page was first seen
     */
    record ListedPage(String url, String title, long pageviews, long clicks, long moves, String lastSeen,
                      Map<String, Counts> devices) {}

    /** A slice of the pages matching the search; {@code total} counts them all. */
    record Listed(long version, List<ListedPage> pages, long total, int limit, int offset) {}

    /** What the list can be sorted by, with its SQL over {@code page p} and the range's {@code totals t}. */
    enum Sort {
        PAGEVIEWS("pageviews", "coalesce(t.pageviews, 0)", true),
        CLICKS("clicks", "coalesce(t.clicks, 0)", true),
        LAST_SEEN("lastSeen", lastSeenOf("p"), true),
        URL("url", "p.url", false),
        TITLE("title", "lower(" + titleOf("p") + ")", false);

        final String parameter;
        private final String sql;
        /** Numbers and times: the most first; text: alphabetical. */
        final boolean descendingByDefault;

        Sort(String parameter, String sql, boolean descendingByDefault) {
            this.parameter = parameter;
            this.sql = sql;
            this.descendingByDefault = descendingByDefault;
        }

        static List<String> parameters() {
            return Arrays.stream(values()).map(s -> s.parameter).toList();
        }

        static Sort of(String parameter) {
            for (Sort sort : values()) if (sort.parameter.equals(parameter)) return sort;
            throw new IllegalArgumentException(parameter);
        }
    }

    /**
     * @param search     a case-insensitive substring of the URL or the title; null for every page
     * @param descending the order of {@code sort}; pages without a title come last either way, ties go by URL
     */
    record Listing(String search, Sort sort, boolean descending, int limit, int offset) {}

    private final Jdbi jdbi;

    PageReport(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    Pages pages(int siteId, DateRange range) {
        return ReadSnapshot.read(jdbi, h -> pages(h, siteId, range));
    }

    /** In the caller's snapshot. */
    Pages pages(Handle h, int siteId, DateRange range) {
        // One row per page and device class with data in the range; a page without any has one row with a null device.
        record Row(String url, String device, Counts counts) {}
        List<Row> rows = h.createQuery("""
                        SELECT p.url, d.device::text, sum(d.pageviews), sum(d.clicks), sum(d.moves)
                        FROM page p
                        LEFT JOIN page_day d ON d.site_id = p.site_id AND d.page_id = p.page_id AND d.day BETWEEN :from AND :to
                        WHERE p.site_id = :site
                        GROUP BY p.url, d.device""")
                .bind("site", siteId).bind("from", range.from()).bind("to", range.to())
                .map((rs, ctx) -> new Row(rs.getString(1), rs.getString(2), new Counts(rs.getLong(3), rs.getLong(4), rs.getLong(5))))
                .list();
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
        return new Pages(AggregateVersion.of(h, siteId), pages);
    }

    /**
     * The slice of the matching pages that {@code listing} asks for. Search, sort, count and slice are one statement over
     * the site's pages; the range's page_day rows are summed for every page only when the sort is by their counts, and
     * titles and last-seen times looked up for every page only when the search or the sort needs them, else for the
     * slice alone. The slice's counts come from a second statement in the same snapshot.
     */
    Listed list(int siteId, DateRange range, Listing listing) {
        return ReadSnapshot.read(jdbi, h -> list(h, siteId, range, listing));
    }

    /** In the caller's snapshot. */
    Listed list(Handle h, int siteId, DateRange range, Listing listing) {
        List<Row> rows = slice(h, siteId, range, listing);
        long total = rows.isEmpty() ? (listing.offset() == 0 ? 0 : count(h, siteId, listing)) : rows.get(0).total();
        Map<Long, Map<String, Counts>> devices = devices(h, siteId, range, rows.stream().map(Row::pageId).toList());
        List<ListedPage> pages = rows.stream().map(r -> {
            Map<String, Counts> perDevice = devices.getOrDefault(r.pageId(), zeroPerDevice());
            Counts sum = perDevice.values().stream().reduce(Counts.ZERO, Counts::plus);
            return new ListedPage(r.url(), r.title(), sum.pageviews(), sum.clicks(), sum.moves(),
                    r.lastSeen().toInstant().toString(), perDevice);
        }).toList();
        return new Listed(AggregateVersion.of(h, siteId), pages, total, listing.limit(), listing.offset());
    }

    private record Row(long pageId, String url, String title, OffsetDateTime lastSeen, long total) {}

    private static List<Row> slice(Handle h, int siteId, DateRange range, Listing listing) {
        String direction = listing.descending() ? "DESC" : "ASC";
        // The join to totals is there for the sorts by counts only: any other sort uses none of its columns, and
        // PostgreSQL then removes the join (a LEFT JOIN to a subquery unique on page_id), so page_day is not read.
        Query query = h.createQuery("""
                        WITH totals AS (
                            SELECT page_id, sum(pageviews) AS pageviews, sum(clicks) AS clicks
                            FROM page_day
                            WHERE site_id = :site AND day BETWEEN :from AND :to
                            GROUP BY page_id
                        ), listed AS (
                            SELECT p.site_id, p.page_id, p.url, p.first_seen,
                                   row_number() OVER (ORDER BY %s %s NULLS LAST, p.url) AS position,
                                   count(*) OVER () AS total
                            FROM page p
                            LEFT JOIN totals t ON t.page_id = p.page_id
                            WHERE p.site_id = :site %s
                            ORDER BY position
                            LIMIT :limit OFFSET :offset
                        )
                        SELECT l.page_id, l.url, %s AS title, %s AS last_seen, l.total
                        FROM listed l
                        ORDER BY l.position"""
                        .formatted(listing.sort().sql, direction, searchOf(listing), titleOf("l"), lastSeenOf("l")))
                .bind("site", siteId).bind("from", range.from()).bind("to", range.to())
                .bind("limit", listing.limit()).bind("offset", listing.offset());
        if (listing.search() != null) query.bind("search", listing.search());
        return query.map((rs, ctx) -> new Row(rs.getLong("page_id"), rs.getString("url"), rs.getString("title"),
                        rs.getObject("last_seen", OffsetDateTime.class), rs.getLong("total")))
                .list();
    }

    /** How many pages match: asked only for a slice past the end, which has no row to carry the count. */
    private static long count(Handle h, int siteId, Listing listing) {
        Query query = h.createQuery("SELECT count(*) FROM page p WHERE p.site_id = :site " + searchOf(listing)).bind("site", siteId);
        if (listing.search() != null) query.bind("search", listing.search());
        return query.mapTo(Long.class).one();
    }

    private static Map<Long, Map<String, Counts>> devices(Handle h, int siteId, DateRange range, List<Long> pageIds) {
        record DeviceRow(long pageId, String device, Counts counts) {}
        Map<Long, Map<String, Counts>> devices = new LinkedHashMap<>();
        if (pageIds.isEmpty()) return devices;
        List<DeviceRow> rows = h.createQuery("""
                        SELECT page_id, device::text, sum(pageviews), sum(clicks), sum(moves)
                        FROM page_day
                        WHERE site_id = :site AND page_id = ANY(:pages) AND day BETWEEN :from AND :to
                        GROUP BY page_id, device""")
                .bind("site", siteId).bindArray("pages", Long.class, pageIds).bind("from", range.from()).bind("to", range.to())
                .map((rs, ctx) -> new DeviceRow(rs.getLong(1), rs.getString(2), new Counts(rs.getLong(3), rs.getLong(4), rs.getLong(5))))
                .list();
        for (DeviceRow row : rows) devices.computeIfAbsent(row.pageId(), id -> zeroPerDevice()).put(row.device(), row.counts());
        return devices;
    }

    /**
     * The search as a condition on {@code page p}: strpos, not LIKE, so that % and _ in the search are plain characters.
     * Empty without a search, so that the titles are not looked up for every page.
     */
    private static String searchOf(Listing listing) {
        if (listing.search() == null) return "";
        return "AND (strpos(lower(p.url), lower(:search)) > 0 OR strpos(lower(" + titleOf("p") + "), lower(:search)) > 0)";
    }

    /**
     * The title of the page's latest usable capture that has one, of any device class. A flagged capture nobody accepted
     * is left out: its title is a bot check's, a login form's or an error page's, not the page's.
     */
    private static String titleOf(String page) {
        return """
                (SELECT c.title FROM capture c
                 WHERE c.site_id = %1$s.site_id AND c.page_id = %1$s.page_id AND c.title IS NOT NULL
                   AND (c.status = 'ok' OR (c.status = 'flagged' AND c.accepted))
                 ORDER BY c.captured_at DESC, c.capture_id DESC LIMIT 1)""".formatted(page);
    }

    /** When the page's latest batch was received (retention deletes old receipts), else when the page was first seen. */
    private static String lastSeenOf(String page) {
        return """
                coalesce((SELECT max(b.received_at) FROM ingest_batch b WHERE b.site_id = %1$s.site_id AND b.page_id = %1$s.page_id),
                         %1$s.first_seen)""".formatted(page);
    }

    private static Map<String, Counts> zeroPerDevice() {
        Map<String, Counts> devices = new LinkedHashMap<>();
        for (String device : DeviceClass.NAMES) devices.put(device, Counts.ZERO);
        return devices;
    }
}
