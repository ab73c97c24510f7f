package io.isotherm.dashboard;

import io.isotherm.grid.AggregateVersion;
import io.isotherm.grid.HeatmapQuery;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * How far down a page its visitors got, where their fold was, and which bands of the page they looked at longest,
 * from the page view histograms the aggregator keeps (see docs/API.md for the arithmetic).
 */
final class ScrollReport {
    record Reach(int percent, double share) {}

    record ReachPx(int y, double share) {}

    record Band(int y, int height, double visibleSeconds, double share) {}

    /**
     * @param version the site's aggregate version the numbers were read at
     * @param fold    null without page views
     */
    record Scroll(long version, long pageviews, List<Reach> reach, List<ReachPx> reachPx, Integer fold, List<Band> attention) {}

    private final Jdbi jdbi;
    private final int bucketPx;

    ScrollReport(Jdbi jdbi, int bucketPx) {
        this.jdbi = jdbi;
        this.bucketPx = bucketPx;
    }

    Scroll scroll(Scope scope) {
        return ReadSnapshot.read(jdbi, h -> scroll(h, scope));
    }

    /** In the caller's snapshot: an aggregation committing between the queries would leave the histograms disagreeing. */
    Scroll scroll(Handle h, Scope scope) {
        int[] segments = scope.segmentIds(h);
        boolean filtered = scope.filtered();
        // A segment's depth histograms are counted from its page views' rows (V17, one per page view, with its deepest
        // point and viewport); every page view's, from the histograms the aggregator keeps.
        NavigableMap<Integer, Long> percent = filtered ? pageviewHistogram(h, "deepest_percent", scope, segments)
                : histogram(h, "scroll_depth_percent", "percent", "pageviews", false, scope, null);
        NavigableMap<Integer, Long> px = filtered ? pageviewHistogram(h, "deepest_y / " + bucketPx, scope, segments)
                : histogram(h, "scroll_depth_px", "bucket", "pageviews", true, scope, null);
        NavigableMap<Integer, Long> viewport = filtered ? pageviewHistogram(h, "viewport_height / " + bucketPx, scope, segments)
                : histogram(h, "viewport_height", "bucket", "pageviews", true, scope, null);
        NavigableMap<Integer, Long> attention = histogram(h, "attention_band", "band", "visible_ms", true, scope, segments);
        return new Scroll(AggregateVersion.of(h, scope.siteId()), sum(percent), reach(percent), reachPx(px), fold(viewport),
                attention(attention));
    }

    /** Share of page views whose deepest point was at least p % of the document, for p = 0 … 100. */
    private static List<Reach> reach(NavigableMap<Integer, Long> percent) {
        long total = sum(percent);
        List<Reach> reach = new ArrayList<>();
        if (total == 0) return reach;
        for (int p = 0; p <= 100; p++) {
            reach.add(new Reach(p, (double) sum(percent.tailMap(p, true)) / total));
        }
        return reach;
    }

    /**
     * Share of page views whose deepest point was at least y px down, for y at every bucket edge down to the deepest
     * bucket reached (and no further than the heatmap's own limit).
     */
    private List<ReachPx> reachPx(NavigableMap<Integer, Long> px) {
        long total = sum(px);
        List<ReachPx> reach = new ArrayList<>();
        if (total == 0) return reach;
        int last = Math.min(px.lastKey(), HeatmapQuery.MAX_LAYOUT_HEIGHT / bucketPx);
        long atLeast = total;
        for (int b = 0; b <= last; b++) {
            reach.add(new ReachPx(b * bucketPx, (double) atLeast / total));
            atLeast -= px.getOrDefault(b, 0L);
        }
        return reach;
    }

    /**
     * The lower edge of the bucket holding the median page view's viewport height: the first bucket, from the
     * shortest, at which the running count reaches half the page views. More than half had a viewport at least
     * this tall.
     */
    private Integer fold(NavigableMap<Integer, Long> viewport) {
        long total = sum(viewport);
        long running = 0;
        for (Map.Entry<Integer, Long> bucket : viewport.entrySet()) {
            running += bucket.getValue();
            if (2 * running >= total) return bucket.getKey() * bucketPx;
        }
        return null;
    }

    /** Visible time per band of the page, and as a share of the most-seen band. */
    private List<Band> attention(NavigableMap<Integer, Long> bands) {
        long max = bands.values().stream().mapToLong(Long::longValue).max().orElse(0);
        List<Band> attention = new ArrayList<>();
        bands.forEach((band, ms) -> attention.add(new Band(band * bucketPx, bucketPx, ms / 1000.0, (double) ms / max)));
        return attention;
    }

    /**
     * The page's histogram summed over the range's days; buckets that sum to zero (a page view that went deeper, or
     * whose earliest event turned up late, moved out of them) are left out. Rows of another bucket size than the
     * aggregator's (should that setting ever change) are not counted.
     */
    private NavigableMap<Integer, Long> histogram(Handle h, String table, String bucket, String value, boolean sized, Scope scope,
                                                  int[] segments) {
        var query = h.createQuery("""
                        SELECT %2$s, sum(%3$s) FROM %1$s
                        WHERE site_id = :site AND page_id = :page AND device = :device::device_class AND day BETWEEN :from AND :to
                          %4$s %5$s
                        GROUP BY %2$s HAVING sum(%3$s) > 0""".formatted(table, bucket, value, sized ? "AND bucket_px = :bucketPx" : "",
                        segments == null ? "" : "AND segment_id = ANY(:segments)"))
                .bind("site", scope.siteId()).bind("page", scope.pageId()).bind("device", scope.device())
                .bind("from", scope.from()).bind("to", scope.to());
        if (sized) query.bind("bucketPx", bucketPx);
        if (segments != null) query.bindArray("segments", Integer.class, java.util.Arrays.stream(segments).boxed().toList());
        NavigableMap<Integer, Long> histogram = new TreeMap<>();
        query.map((rs, ctx) -> Map.entry(rs.getInt(1), rs.getLong(2))).forEach(e -> histogram.put(e.getKey(), e.getValue()));
        return histogram;
    }

    /** Page views of the segments by a bucket of their pageview_summary row ({@code bucket}: an expression of it). */
    private static NavigableMap<Integer, Long> pageviewHistogram(Handle h, String bucket, Scope scope, int[] segments) {
        NavigableMap<Integer, Long> histogram = new TreeMap<>();
        h.createQuery("""
                        SELECT %s, count(*) FROM pageview_summary
                        WHERE site_id = :site AND page_id = :page AND device = :device::device_class AND day BETWEEN :from AND :to
                          AND segment_id = ANY(:segments)
                        GROUP BY 1""".formatted(bucket))
                .bind("site", scope.siteId()).bind("page", scope.pageId()).bind("device", scope.device())
                .bind("from", scope.from()).bind("to", scope.to())
                .bindArray("segments", Integer.class, java.util.Arrays.stream(segments).boxed().toList())
                .map((rs, ctx) -> Map.entry(rs.getInt(1), rs.getLong(2)))
                .forEach(e -> histogram.put(e.getKey(), e.getValue()));
        return histogram;
    }

    private static long sum(Map<Integer, Long> histogram) {
        return histogram.values().stream().mapToLong(Long::longValue).sum();
    }
}
