package io.isotherm.dashboard.reports;

import io.isotherm.dashboard.DateRange;
import io.isotherm.dashboard.ReadSnapshot;
import io.isotherm.db.segment.SegmentFilter;
import io.isotherm.grid.AggregateVersion;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The engagement grids: a site's (or one page's) page views, clicks, rage clicks, dead clicks or scroll reach by day
 * of the week × hour of the day, or by page × day for its busiest pages, from {@code pageview_summary} (one row per
 * page view, with the day and hour of its earliest event in the site's time zone). Counts are sums over page views;
 * reach is the mean of their deepest points (% of the page).
 */
public final class EngagementReport {
    /** The two grids, by their parameter value. */
    public enum Grid {
        WEEKDAY_HOUR("weekday-hour"), PAGE_DAY("page-day");

        public final String parameter;

        Grid(String parameter) {
            this.parameter = parameter;
        }
    }

    /** What a cell holds, by its parameter value. */
    public enum Metric {
        PAGEVIEWS("pageviews"), CLICKS("clicks"), RAGE("rage"), DEAD("dead"), REACH("reach");

        public final String parameter;

        Metric(String parameter) {
            this.parameter = parameter;
        }
    }

    /**
     * What to count: the site, one page or all ({@code pageId} null), one device class or all ({@code device} null),
     * the pages a page × day grid shows at most ({@code topPages}), and the segments.
     */
    public record Request(int siteId, Grid grid, Metric metric, DateRange range, String device, Long pageId, int topPages,
                          SegmentFilter filter) {}

    /**
     * A grid: {@code values[row][column]} of the metric (a whole number; for reach the mean rounded to 0.1, null where
     * no page view counted) and the page views behind each cell, read at the site's aggregate {@code version}.
     */
    public record Result(long version, List<String> rows, List<String> columns, Number[][] values, long[][] pageviews) {}

    /** The sums of one cell's page views; {@code reach} the sum of their deepest points (%). */
    private record Cell(long pageviews, long clicks, long rage, long dead, long reach) {
        static final Cell EMPTY = new Cell(0, 0, 0, 0, 0);

        /** From the columns of {@code SUMS}, which start at the query's third column. */
        static Cell read(ResultSet rs) throws SQLException {
            return new Cell(rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getLong(7));
        }

        Number value(Metric metric) {
            return switch (metric) {
                case PAGEVIEWS -> pageviews;
                case CLICKS -> clicks;
                case RAGE -> rage;
                case DEAD -> dead;
                case REACH -> pageviews == 0 ? null
                        : BigDecimal.valueOf(reach).divide(BigDecimal.valueOf(pageviews), 1, RoundingMode.HALF_UP).doubleValue();
            };
        }
    }

    private static final List<String> HOURS = IntStream.range(0, 24).mapToObj(h -> "%02d:00".formatted(h)).toList();
    private static final List<String> WEEKDAYS = IntStream.rangeClosed(1, 7)
            .mapToObj(d -> DayOfWeek.of(d).getDisplayName(TextStyle.FULL, Locale.ENGLISH)).toList();
    private static final String SUMS = "count(*), sum(clicks), sum(rage), sum(dead), sum(deepest_percent)";

    /** A cell of a query's answer, at its row and column of the grid. */
    private record Placed(int row, int column, Cell cell) {}

    private final Jdbi jdbi;

    public EngagementReport(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public Result grid(Request request) {
        return ReadSnapshot.read(jdbi, h -> request.grid() == Grid.WEEKDAY_HOUR
                ? weekdayHour(h, request)
                : pageDay(h, request));
    }

    private Result weekdayHour(Handle h, Request r) {
        Cell[][] cells = cells(7, 24);
        Where where = where(h, r);
        if (where != null) {
            bind(h.createQuery("SELECT extract(isodow FROM day)::int, hour, " + SUMS + " FROM pageview_summary WHERE "
                    + where.sql + " GROUP BY 1, 2"), where)
                    .map((rs, ctx) -> new Placed(rs.getInt(1) - 1, rs.getInt(2), Cell.read(rs)))
                    .forEach(p -> cells[p.row()][p.column()] = p.cell());
        }
        return result(h, r, WEEKDAYS, HOURS, cells);
    }

    /** The pages with the most page views in the range (ties by URL), each day of the range. */
    private Result pageDay(Handle h, Request r) {
        List<LocalDate> days = r.range().from().datesUntil(r.range().to().plusDays(1)).toList();
        Where where = where(h, r);
        Map<Long, String> pages = new LinkedHashMap<>();
        if (where != null) {
            bind(h.createQuery("""
                            SELECT p.page_id, p.url FROM page p
                            JOIN (SELECT page_id, count(*) AS pageviews FROM pageview_summary WHERE %s GROUP BY page_id) s
                              ON s.page_id = p.page_id
                            WHERE p.site_id = :site
                            ORDER BY s.pageviews DESC, p.url
                            LIMIT :top""".formatted(where.sql)), where)
                    .bind("top", r.topPages())
                    .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getString(2)))
                    .forEach(page -> pages.put(page.getKey(), page.getValue()));
        }
        Cell[][] cells = cells(pages.size(), days.size());
        if (!pages.isEmpty()) {
            List<Long> ids = new ArrayList<>(pages.keySet());
            bind(h.createQuery("SELECT page_id, day, " + SUMS + " FROM pageview_summary WHERE " + where.sql
                    + " AND page_id = ANY(:pages) GROUP BY 1, 2"), where)
                    .bindArray("pages", Long.class, ids)
                    .map((rs, ctx) -> new Placed(ids.indexOf(rs.getLong(1)),
                            (int) (rs.getObject(2, LocalDate.class).toEpochDay() - r.range().from().toEpochDay()),
                            Cell.read(rs)))
                    .forEach(p -> cells[p.row()][p.column()] = p.cell());
        }
        return result(h, r, new ArrayList<>(pages.values()), days.stream().map(LocalDate::toString).toList(), cells);
    }

    /** The conditions of the request's page views, or null when its segment filter matches no segment at all. */
    private record Where(String sql, Request request, int[] segments) {}

    private static Where where(Handle h, Request r) {
        List<String> conditions = new ArrayList<>(List.of("site_id = :site", "day BETWEEN :from AND :to",
                // The day is local to the site, at most 14 h from UTC: this bound lets the first_seen index narrow the scan.
                "first_seen >= :seenFrom", "first_seen < :seenTo"));
        if (r.pageId() != null) conditions.add("page_id = :page");
        if (r.device() != null) conditions.add("device = :device::device_class");
        int[] segments = null;
        if (!r.filter().isAll()) {
            segments = r.filter().segmentIds(h, r.siteId());
            if (segments.length == 0) return null;
            conditions.add("segment_id = ANY(:segments)");
        }
        return new Where(String.join(" AND ", conditions), r, segments);
    }

    private static Query bind(Query query, Where where) {
        Request r = where.request();
        query.bind("site", r.siteId()).bind("from", r.range().from()).bind("to", r.range().to())
                .bind("seenFrom", r.range().from().minusDays(1).atStartOfDay().atOffset(ZoneOffset.UTC))
                .bind("seenTo", r.range().to().plusDays(2).atStartOfDay().atOffset(ZoneOffset.UTC));
        if (r.pageId() != null) query.bind("page", r.pageId());
        if (r.device() != null) query.bind("device", r.device());
        if (where.segments() != null) {
            query.bindArray("segments", Integer.class, Arrays.stream(where.segments()).boxed().toList());
        }
        return query;
    }

    private static Cell[][] cells(int rows, int columns) {
        Cell[][] cells = new Cell[rows][columns];
        for (Cell[] row : cells) Arrays.fill(row, Cell.EMPTY);
        return cells;
    }

    private static Result result(Handle h, Request r, List<String> rows, List<String> columns, Cell[][] cells) {
        Number[][] values = new Number[rows.size()][columns.size()];
        long[][] pageviews = new long[rows.size()][columns.size()];
        for (int i = 0; i < rows.size(); i++) {
            for (int j = 0; j < columns.size(); j++) {
                values[i][j] = cells[i][j].value(r.metric());
                pageviews[i][j] = cells[i][j].pageviews();
            }
        }
        return new Result(AggregateVersion.of(h, r.siteId()), rows, columns, values, pageviews);
    }
}
