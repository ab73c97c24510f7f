package io.isotherm.dashboard;

import io.isotherm.db.segment.Countries;
import io.isotherm.db.segment.SegmentFilter;
import org.jdbi.v3.core.Jdbi;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The values each segment dimension takes among a site's page views in a range (optionally of one page), with their
 * page views, most first: what the viewer's segment filter offers.
 */
final class SegmentValues {
    /** {@code name}: a country's English name, else the value itself ('' reads "none"). */
    record Value(String value, String name, long pageviews) {}

    private static final int MAX_VALUES = 100;

    private final Jdbi jdbi;

    SegmentValues(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * Dimension → values, most page views first and ties by value (a grouping set's row has its one dimension's value,
     * the others NULL, so their concatenation is that value); {@code pageId} null for the whole site. Page views stored
     * before segments are not counted.
     */
    Map<String, List<Value>> values(int siteId, Long pageId, DateRange range) {
        Map<String, List<Value>> values = new LinkedHashMap<>();
        SegmentFilter.DIMENSIONS.forEach(d -> values.put(d, new ArrayList<>()));
        String grouping = String.join(", ", SegmentFilter.DIMENSIONS.stream().map(d -> "(" + d + ")").toList());
        ReadSnapshot.read(jdbi, h -> h.createQuery("""
                        SELECT %s, count(*) AS pageviews,
                               %s AS dimension
                        FROM pageview_summary p JOIN segment s ON s.site_id = p.site_id AND s.segment_id = p.segment_id
                        WHERE p.site_id = :site AND p.day BETWEEN :from AND :to %s
                        GROUP BY GROUPING SETS (%s)
                        ORDER BY pageviews DESC, concat(%s)""".formatted(String.join(", ", SegmentFilter.DIMENSIONS), dimensionOf(),
                        pageId == null ? "" : "AND p.page_id = :page", grouping, String.join(", ", SegmentFilter.DIMENSIONS)))
                .bind("site", siteId).bind("from", range.from()).bind("to", range.to()).bind("page", pageId)
                .map((rs, ctx) -> {
                    String dimension = rs.getString("dimension");
                    String value = rs.getString(dimension);
                    String name = dimension.equals("country") ? Countries.name(value) : value;
                    return Map.entry(dimension, new Value(value, name, rs.getLong("pageviews")));
                })
                .list())
                .forEach(e -> {
                    List<Value> list = values.get(e.getKey());
                    if (list.size() < MAX_VALUES) list.add(e.getValue());
                });
        return values;
    }

    /** Which dimension a grouping set's row is of: the one column GROUPING() says is grouped. */
    private static String dimensionOf() {
        StringBuilder sql = new StringBuilder("CASE");
        for (String d : SegmentFilter.DIMENSIONS) sql.append(" WHEN GROUPING(").append(d).append(") = 0 THEN '").append(d).append("'");
        return sql.append(" END").toString();
    }
}
