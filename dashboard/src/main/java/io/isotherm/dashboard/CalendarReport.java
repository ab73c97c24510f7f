package io.isotherm.dashboard;

import io.isotherm.grid.AggregateVersion;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.time.LocalDate;

/**
 * The engagement calendar: a page's clicks and page views by day of the week and hour of the day, in the site's
 * time zone (the aggregator keeps page_hour by local day and hour).
 */
final class CalendarReport {
    record Totals(long clicks, long pageviews) {}

    /**
     * @param version   the site's aggregate version the numbers were read at
     * @param clicks    [weekday][hour]: weekday 0 is Monday (ISO day 1) … 6 Sunday, hour 0–23
     * @param pageviews the same for page views
     * @param weekdays  how many Mondays … Sundays the range holds, to turn sums into averages
     */
    record Calendar(long version, long[][] clicks, long[][] pageviews, Totals totals, int[] weekdays) {}

    private final Jdbi jdbi;

    CalendarReport(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    Calendar calendar(int siteId, long pageId, DateRange range) {
        return ReadSnapshot.read(jdbi, h -> calendar(h, siteId, pageId, range));
    }

    /** In the caller's snapshot. */
    Calendar calendar(Handle h, int siteId, long pageId, DateRange range) {
        long[][] clicks = new long[7][24];
        long[][] pageviews = new long[7][24];
        record Cell(int weekday, int hour, long clicks, long pageviews) {}
        h.createQuery("""
                        SELECT extract(isodow FROM day)::int, hour, sum(clicks), sum(pageviews) FROM page_hour
                        WHERE site_id = :site AND page_id = :page AND day BETWEEN :from AND :to
                        GROUP BY 1, 2""")
                .bind("site", siteId).bind("page", pageId).bind("from", range.from()).bind("to", range.to())
                .map((rs, ctx) -> new Cell(rs.getInt(1), rs.getInt(2), rs.getLong(3), rs.getLong(4)))
                .list()
                .forEach(c -> {
                    clicks[c.weekday() - 1][c.hour()] = c.clicks();
                    pageviews[c.weekday() - 1][c.hour()] = c.pageviews();
                });
        return new Calendar(AggregateVersion.of(h, siteId), clicks, pageviews, new Totals(sum(clicks), sum(pageviews)), weekdays(range));
    }

    private static int[] weekdays(DateRange range) {
        int[] weekdays = new int[7];
        for (LocalDate day = range.from(); !day.isAfter(range.to()); day = day.plusDays(1)) {
            weekdays[day.getDayOfWeek().getValue() - 1]++;
        }
        return weekdays;
    }

    private static long sum(long[][] matrix) {
        long sum = 0;
        for (long[] row : matrix) for (long v : row) sum += v;
        return sum;
    }
}
