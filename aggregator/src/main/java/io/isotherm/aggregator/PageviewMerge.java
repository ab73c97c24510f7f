package io.isotherm.aggregator;

import io.isotherm.aggregator.Tally.BucketKey;
import io.isotherm.aggregator.Tally.HourKey;
import io.isotherm.aggregator.Tally.PageDayCounts;
import io.isotherm.aggregator.Tally.PageDayKey;
import io.isotherm.aggregator.Tally.PageviewSeen;
import io.isotherm.db.Columns;
import org.jdbi.v3.core.Handle;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Reconciles this run's page views with pageview_summary. A page view's batches may be aggregated in different
 * runs, by different aggregators: it must count once as a page view, and once in the depth histograms, at its
 * deepest point so far. A page view new to the table is added to every histogram; a known one that went deeper
 * moves from its old bucket to its new one.
 */
final class PageviewMerge {
    /** Histogram changes: +1 / −1 page views per bucket. */
    final Map<BucketKey, Integer> percent = new HashMap<>();
    final Map<BucketKey, Integer> px = new HashMap<>();
    final Map<BucketKey, Integer> viewport = new HashMap<>();

    private final int bucketPx;

    PageviewMerge(int bucketPx) {
        this.bucketPx = bucketPx;
    }

    void merge(Handle handle, Tally tally) {
        List<PageviewSeen> seen = tally.pageviews.values().stream()
                .sorted(Comparator.comparingInt(PageviewSeen::siteId).thenComparing(PageviewSeen::pageviewId))
                .toList();
        if (seen.isEmpty()) return;
        Set<UUID> created = insertNew(handle, seen);
        Map<UUID, PageviewSeen> known = new HashMap<>();
        for (PageviewSeen s : seen) {
            if (created.contains(s.pageviewId())) {
                count(s, 1, tally);
            } else {
                known.put(s.pageviewId(), s);
            }
        }
        if (!known.isEmpty()) mergeKnown(handle, seen.stream().filter(s -> known.containsKey(s.pageviewId())).toList(), tally);
    }

    /** Inserts the page views not in the table yet and returns those; a concurrent run's insert wins and is waited for. */
    private Set<UUID> insertNew(Handle handle, List<PageviewSeen> seen) {
        Columns rows = pageviewColumns();
        seen.forEach(s -> addRow(rows, s));
        return new HashSet<>(rows.bind(handle.createQuery("""
                        INSERT INTO pageview_summary (site_id, pageview_id, page_id, first_seen, device, day, hour,
                            viewport_height, deepest_y, deepest_percent, segment_id, clicks, rage, dead)
                        SELECT site, pageview, page, first, device, day, hour, viewport, y, percent, segment, clicks, rage, dead
                        FROM unnest(:site, :pageview, :page, :first::timestamptz[], :device::device_class[], :day::date[],
                                    :hour, :viewport, :y, :percent, :segment, :clicks, :rage, :dead)
                             AS r(site, pageview, page, first, device, day, hour, viewport, y, percent, segment, clicks, rage, dead)
                        ON CONFLICT (site_id, pageview_id) DO NOTHING
                        RETURNING pageview_id"""))
                .mapTo(UUID.class)
                .list());
    }

    /**
     * Locks the known page views (in key order, like every run) and merges. One that went deeper moves to its new
     * depth buckets; one whose earliest event is in this run (its batches came out of order) moves wholly to its
     * new day, hour, device and viewport, so the result does not depend on the order batches are aggregated in.
     */
    private void mergeKnown(Handle handle, List<PageviewSeen> seen, Tally tally) {
        Map<UUID, PageviewSeen> stored = new HashMap<>();
        Map<Integer, List<UUID>> bySite = new TreeMap<>();
        seen.forEach(s -> bySite.computeIfAbsent(s.siteId(), k -> new ArrayList<>()).add(s.pageviewId()));
        // One site per statement (an equality on site_id: one shard under Citus), in key order like every run.
        bySite.forEach((site, pageviews) -> handle.createQuery("""
                        SELECT site_id, pageview_id, page_id, first_seen, device, day, hour,
                               viewport_height, deepest_y, deepest_percent, segment_id, clicks, rage, dead
                        FROM pageview_summary
                        WHERE site_id = :site AND pageview_id = ANY(:pageviews)
                        ORDER BY pageview_id
                        FOR UPDATE""")
                .bind("site", site)
                .bindArray("pageviews", UUID.class, pageviews)
                .map((rs, ctx) -> new PageviewSeen(rs.getInt(1), rs.getObject(2, UUID.class), rs.getLong(3),
                        rs.getObject(4, OffsetDateTime.class).toInstant(), rs.getString(5), rs.getObject(6, LocalDate.class),
                        rs.getInt(7), rs.getInt(8), rs.getInt(9), rs.getInt(10), rs.getInt(11), rs.getInt(12),
                        rs.getInt(13), rs.getInt(14)))
                .forEach(p -> stored.put(p.pageviewId(), p)));
        Columns changed = pageviewColumns();
        for (PageviewSeen s : seen) {
            PageviewSeen old = stored.get(s.pageviewId());
            PageviewSeen merged = old.merge(s);
            if (merged.equals(old)) continue;
            if (merged.sameOrigin(old)) {
                deepestBuckets(old, -1);
                deepestBuckets(merged, 1);
            } else {
                count(old, -1, tally);
                count(merged, 1, tally);
            }
            addRow(changed, merged);
        }
        if (changed.isEmpty()) return;
        // Casts on the bound arrays, not on columns: Citus refuses STABLE casts of column references in an UPDATE.
        changed.bind(handle.createUpdate("""
                        UPDATE pageview_summary p SET page_id = r.page, first_seen = r.first, device = r.device,
                            day = r.day, hour = r.hour, viewport_height = r.viewport, deepest_y = r.y, deepest_percent = r.percent,
                            segment_id = r.segment, clicks = r.clicks, rage = r.rage, dead = r.dead
                        FROM unnest(:site, :pageview, :page, :first::timestamptz[], :device::device_class[], :day::date[],
                                    :hour, :viewport, :y, :percent, :segment, :clicks, :rage, :dead)
                             AS r(site, pageview, page, first, device, day, hour, viewport, y, percent, segment, clicks, rage, dead)
                        WHERE p.site_id = r.site AND p.pageview_id = r.pageview"""))
                .execute();
    }

    private static Columns pageviewColumns() {
        return new Columns("site", Integer.class, "pageview", UUID.class, "page", Long.class, "first", String.class,
                "device", String.class, "day", String.class, "hour", Integer.class, "viewport", Integer.class,
                "y", Integer.class, "percent", Integer.class, "segment", Integer.class, "clicks", Integer.class,
                "rage", Integer.class, "dead", Integer.class);
    }

    private static void addRow(Columns rows, PageviewSeen s) {
        rows.add(s.siteId(), s.pageviewId(), s.pageId(), s.firstSeen().toString(), s.device(), s.day().toString(),
                s.hour(), s.viewportHeight(), s.deepestY(), s.deepestPercent(), s.segmentId(), s.clicks(), s.rage(), s.dead());
    }

    /** A page view counted for the first time: page views per day and hour, fold, and depth. */
    private void count(PageviewSeen s, int sign, Tally tally) {
        PageDayCounts day = tally.pageDays.computeIfAbsent(new PageDayKey(s.siteId(), s.pageId(), s.device(), s.day()), k -> new PageDayCounts());
        day.pageviews += sign;
        tally.hours.computeIfAbsent(new HourKey(s.siteId(), s.pageId(), s.day(), s.hour()), k -> new int[2])[1] += sign;
        viewport.merge(bucket(s, s.viewportHeight() / bucketPx), sign, Integer::sum);
        deepestBuckets(s, sign);
    }

    private void deepestBuckets(PageviewSeen s, int sign) {
        percent.merge(bucket(s, s.deepestPercent()), sign, Integer::sum);
        px.merge(bucket(s, s.deepestY() / bucketPx), sign, Integer::sum);
    }

    private static BucketKey bucket(PageviewSeen s, int bucket) {
        return new BucketKey(s.siteId(), s.pageId(), s.device(), s.day(), Segments.NONE, bucket);
    }
}
