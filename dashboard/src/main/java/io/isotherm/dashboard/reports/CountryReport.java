package io.isotherm.dashboard.reports;

import io.isotherm.db.segment.Countries;
import io.isotherm.db.segment.SegmentFilter;
import io.isotherm.grid.AggregateVersion;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Page views, clicks and scroll reach by the visitor's country, as the time zone their browser reported names it
 * (docs/API.md, "Countries"): one row per page view in {@code pageview_summary}, its country from its segment. Page
 * views of a zone of no country (UTC, none sent) are "unknown"; those aggregated before segments were recorded
 * (segment 0) are "not recorded". Neither is guessed into a country.
 */
public final class CountryReport {
    /**
     * What one report covers.
     *
     * @param pageId null: every page of the site
     * @param device null: every device class
     */
    public record Selection(int siteId, Long pageId, String device, LocalDate from, LocalDate to, SegmentFilter filter) {}

    /** Page views, their clicks, and their mean scroll reach in percent of the page (null without page views). */
    public record Totals(long pageviews, long clicks, Double reach) {
        static final Totals NONE = new Totals(0, 0, null);
    }

    /**
     * One country.
     *
     * @param numeric ISO 3166-1 numeric, the id of its shape in the world map (-1 when ICU knows none)
     * @param topPage the URL with the most of its page views in the range: where its heatmap link goes
     */
    public record Country(String code, int numeric, String name, long pageviews, long clicks, double reach, String topPage) {}

    /** The report: countries by page views (most first, then by code), and the page views of no known country. */
    public record Report(long version, String from, String to, String device, long pageviews, List<Country> countries,
                         Totals unknown, Totals notRecorded) {}

    private record Row(String country, boolean notRecorded, long pageviews, long clicks, long reachSum, String topPage) {
        Totals totals() {
            return new Totals(pageviews, clicks, pageviews == 0 ? null : (double) reachSum / pageviews);
        }
    }

    public Report report(Handle h, Selection q) {
        int[] segments = q.filter().isAll() ? null : q.filter().segmentIds(h, q.siteId());
        // One pass over the page views, grouped by plain ids; countries and URLs are joined to the few groups after.
        List<Row> rows = bind(h.createQuery("""
                        WITH by_segment AS (
                            SELECT v.segment_id, v.page_id, count(*) AS pageviews, sum(v.clicks) AS clicks,
                                   sum(v.deepest_percent) AS reach_sum
                            FROM pageview_summary v
                            WHERE %s
                            GROUP BY v.segment_id, v.page_id),
                        by_page AS (
                            SELECT coalesce(s.country, '') AS country, b.segment_id = 0 AS not_recorded, b.page_id,
                                   sum(b.pageviews) AS pageviews, sum(b.clicks) AS clicks, sum(b.reach_sum) AS reach_sum
                            FROM by_segment b
                            LEFT JOIN segment s ON s.site_id = :site AND s.segment_id = b.segment_id
                            GROUP BY 1, 2, 3)
                        SELECT c.country, c.not_recorded, sum(c.pageviews) AS pageviews, sum(c.clicks) AS clicks,
                               sum(c.reach_sum) AS reach_sum, (array_agg(p.url ORDER BY c.pageviews DESC, p.url))[1] AS top_page
                        FROM by_page c
                        JOIN page p ON p.site_id = :site AND p.page_id = c.page_id
                        GROUP BY c.country, c.not_recorded""".formatted(conditions(q, segments))), q, segments)
                .map((rs, ctx) -> new Row(rs.getString("country"), rs.getBoolean("not_recorded"), rs.getLong("pageviews"),
                        rs.getLong("clicks"), rs.getLong("reach_sum"), rs.getString("top_page")))
                .list();
        List<Country> countries = new ArrayList<>();
        Totals unknown = Totals.NONE, notRecorded = Totals.NONE;
        long pageviews = 0;
        for (Row row : rows) {
            pageviews += row.pageviews();
            if (row.notRecorded()) {
                notRecorded = row.totals();
            } else if (row.country().equals(Countries.UNKNOWN)) {
                unknown = row.totals();
            } else {
                countries.add(new Country(row.country(), Countries.numeric(row.country()), Countries.name(row.country()),
                        row.pageviews(), row.clicks(), row.totals().reach(), row.topPage()));
            }
        }
        countries.sort(Comparator.comparingLong(Country::pageviews).reversed().thenComparing(Country::code));
        return new Report(AggregateVersion.of(h, q.siteId()), q.from().toString(), q.to().toString(), q.device(), pageviews,
                countries, unknown, notRecorded);
    }

    /**
     * The selected page views. A page view's day is its first event's in the site's zone; the bounds on first_seen,
     * two days wider each way than any zone's offset needs, only let the index on it narrow the rows.
     */
    private static String conditions(Selection q, int[] segments) {
        return "v.site_id = :site AND v.day BETWEEN :from AND :to"
                + " AND v.first_seen >= :seenFrom AND v.first_seen < :seenTo"
                + (q.pageId() == null ? "" : " AND v.page_id = :page")
                + (q.device() == null ? "" : " AND v.device = :device::device_class")
                + (segments == null ? "" : " AND v.segment_id = ANY(:segments)");
    }

    /** Binds what {@link #conditions} names, and nothing else (Jdbi refuses unused bindings). */
    private static Query bind(Query query, Selection q, int[] segments) {
        query.bind("site", q.siteId()).bind("from", q.from()).bind("to", q.to())
                .bind("seenFrom", q.from().minusDays(2).atStartOfDay().atOffset(ZoneOffset.UTC))
                .bind("seenTo", q.to().plusDays(3).atStartOfDay().atOffset(ZoneOffset.UTC));
        if (q.pageId() != null) query.bind("page", q.pageId());
        if (q.device() != null) query.bind("device", q.device());
        if (segments != null) query.bindArray("segments", Integer.class, IntStream.of(segments).boxed().toList());
        return query;
    }
}
