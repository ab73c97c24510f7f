package io.isotherm.aggregator;

import io.isotherm.aggregator.Tally.BucketKey;
import io.isotherm.aggregator.Tally.HourKey;
import io.isotherm.aggregator.Tally.Occurrences;
import io.isotherm.aggregator.Tally.Packed;
import io.isotherm.aggregator.Tally.SegmentDayKey;
import io.isotherm.aggregator.Tally.Target;
import io.isotherm.aggregator.Tally.TargetKey;
import io.isotherm.aggregator.Tally.TileKey;
import io.isotherm.aggregator.Tally.PageDayCounts;
import io.isotherm.aggregator.Tally.PageDayKey;
import io.isotherm.db.Columns;
import io.isotherm.grid.PackedCounts;
import org.jdbi.v3.core.Handle;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Adds a run's tally to the aggregate tables: the count grids as new parts (one {@code COPY} per table), the rest with
 * one {@code INSERT … ON CONFLICT DO UPDATE SET n = n + excluded.n} per table. Those are written in a fixed order
 * and rows in a fixed order within each, the same in every aggregator, so concurrent runs that touch the same rows
 * queue behind each other instead of deadlocking.
 */
final class TallyWriter {
    private final AggregatorSettings settings;

    TallyWriter(AggregatorSettings settings) {
        this.settings = settings;
    }

    void write(Handle handle, Tally tally, PageviewMerge merge) {
        pageDays(handle, tally.pageDays);
        hours(handle, tally.hours);
        tiles(handle, tally.tiles);
        targets(handle, tally.targets);
        elements(handle, tally.targets);
        segmentClicks(handle, tally.segmentTargets);
        buckets(handle, "scroll_depth_percent", "percent", "pageviews", null, false, merge.percent);
        buckets(handle, "scroll_depth_px", "bucket", "pageviews", settings.grid().bucketPx(), false, merge.px);
        buckets(handle, "viewport_height", "bucket", "pageviews", settings.grid().bucketPx(), false, merge.viewport);
        buckets(handle, "attention_band", "band", "visible_ms", settings.grid().bucketPx(), true, tally.attention);
    }

    private void pageDays(Handle handle, Map<PageDayKey, PageDayCounts> rows) {
        Columns c = new Columns("site", Integer.class, "page", Long.class, "device", String.class, "day", String.class,
                "pageviews", Integer.class, "clicks", Integer.class, "moves", Integer.class, "height", Integer.class, "width", Integer.class);
        inOrder(rows, PageDayKey.ORDER, (k, v) -> c.add(k.siteId(), k.pageId(), k.device(), k.day().toString(), v.pageviews, v.clicks, v.moves, v.documentHeight, v.documentWidth));
        execute(handle, c, """
                INSERT INTO page_day (site_id, page_id, device, day, pageviews, clicks, moves, document_height, document_width)
                SELECT site, page, device::device_class, day::date, pageviews, clicks, moves, height, width
                FROM unnest(:site, :page, :device, :day, :pageviews, :clicks, :moves, :height, :width)
                     AS r(site, page, device, day, pageviews, clicks, moves, height, width)
                ON CONFLICT (site_id, page_id, device, day) DO UPDATE SET
                    pageviews = page_day.pageviews + excluded.pageviews,
                    clicks = page_day.clicks + excluded.clicks,
                    moves = page_day.moves + excluded.moves,
                    document_height = greatest(page_day.document_height, excluded.document_height),
                    document_width = greatest(page_day.document_width, excluded.document_width)""");
    }

    private void hours(Handle handle, Map<HourKey, int[]> rows) {
        Columns c = new Columns("site", Integer.class, "page", Long.class, "day", String.class, "hour", Integer.class,
                "clicks", Integer.class, "pageviews", Integer.class);
        inOrder(rows, HourKey.ORDER, (k, v) -> c.add(k.siteId(), k.pageId(), k.day().toString(), k.hour(), v[0], v[1]));
        execute(handle, c, """
                INSERT INTO page_hour (site_id, page_id, day, hour, clicks, pageviews)
                SELECT site, page, day::date, hour, clicks, pageviews
                FROM unnest(:site, :page, :day, :hour, :clicks, :pageviews) AS r(site, page, day, hour, clicks, pageviews)
                ON CONFLICT (site_id, page_id, day, hour) DO UPDATE SET
                    clicks = page_hour.clicks + excluded.clicks,
                    pageviews = page_hour.pageviews + excluded.pageviews""");
    }

    /**
     * New parts (span 0), one per band: appended, never added to the rows here (the refresh does that), so nothing is
     * read or locked.
     */
    private void tiles(Handle handle, Map<TileKey, Occurrences> rows) {
        CopyText copy = new CopyText();
        int cellSize = settings.grid().cellSize();
        rows.forEach((k, cells) -> copy.value(k.siteId()).value(k.pageId()).value(k.device()).value(k.kind()).value(0)
                .value(k.day().toString()).value(k.segment()).value(k.band()).value(cellSize)
                .value(PackedCounts.ofOccurrences(cells.items, cells.size))
                .endRow());
        copy.send(handle, "COPY heat_tile (site_id, page_id, device, kind, span, first_day, segment_id, band, cell_size, cells) FROM STDIN");
    }

    private void targets(Handle handle, Map<TargetKey, Target> rows) {
        CopyText copy = new CopyText();
        int cellSize = settings.grid().cellSize();
        rows.forEach((k, t) -> {
            Packed p = t.pack();
            copy.value(k.siteId()).value(k.pageId()).value(k.device()).value(0).value(k.day().toString())
                    .value(Segments.NONE).value(k.selector()).value(cellSize).value(p.cells())
                    .value(settings.anchorBins()).value(p.anchors()).value(p.moments()).value(p.fixedCells())
                    .endRow();
        });
        copy.send(handle, "COPY click_target (site_id, page_id, device, span, first_day, segment_id, selector, cell_size, cells, anchor_bins, anchors,"
                + " anchor_moments, fixed_cells) FROM STDIN");
    }

    /** The clicked elements' counts (of every segment: a segment's go to segment_click_day). */
    private void elements(Handle handle, Map<TargetKey, Target> rows) {
        Columns c = new Columns("site", Integer.class, "page", Long.class, "device", String.class, "day", String.class,
                "segment", Integer.class, "selector", String.class, "clicks", Integer.class, "rage", Integer.class, "dead", Integer.class);
        inOrder(rows, TargetKey.ORDER, (k, t) -> c.add(k.siteId(), k.pageId(), k.device(), k.day().toString(), Segments.NONE,
                k.selector(), t.clicks, t.rage, t.dead));
        execute(handle, c, """
                INSERT INTO element_day (site_id, page_id, device, day, segment_id, selector, clicks, rage, dead)
                SELECT site, page, device::device_class, day::date, segment, selector, clicks, rage, dead
                FROM unnest(:site, :page, :device, :day, :segment, :selector, :clicks, :rage, :dead)
                     AS r(site, page, device, day, segment, selector, clicks, rage, dead)
                ON CONFLICT (site_id, page_id, device, day, segment_id, selector) DO UPDATE SET
                    clicks = element_day.clicks + excluded.clicks,
                    rage = element_day.rage + excluded.rage,
                    dead = element_day.dead + excluded.dead""");
    }

    /**
     * A segment's clicks on targets (V21): one new part per segment, page, device and day, holding all its clicked
     * elements, where every page view's counts have a click_target part and an element_day row per element.
     */
    private void segmentClicks(Handle handle, Map<SegmentDayKey, Map<String, Target>> days) {
        CopyText copy = new CopyText();
        days.forEach((d, targets) -> {
            int n = targets.size(), i = 0;
            List<String> selectors = new ArrayList<>(n);
            int[] clicks = new int[n], rage = new int[n], dead = new int[n];
            List<byte[]> cells = new ArrayList<>(n), anchors = new ArrayList<>(n), moments = new ArrayList<>(n), fixed = new ArrayList<>(n);
            for (Map.Entry<String, Target> e : targets.entrySet()) {
                Target t = e.getValue();
                selectors.add(e.getKey());
                clicks[i] = t.clicks;
                rage[i] = t.rage;
                dead[i] = t.dead;
                i++;
                Packed p = t.pack();
                cells.add(p.cells());
                anchors.add(p.anchors());
                moments.add(p.moments());
                fixed.add(p.fixedCells());
            }
            copy.value(d.siteId()).value(d.pageId()).value(d.device()).value(d.segment()).value(d.day().toString()).value(0)
                    .value(settings.grid().cellSize()).value(settings.anchorBins())
                    .texts(selectors).ints(clicks).ints(rage).ints(dead).bytes(cells).bytes(anchors).bytes(moments).bytes(fixed)
                    .endRow();
        });
        copy.send(handle, "COPY segment_click_day (site_id, page_id, device, segment_id, day, span, cell_size, anchor_bins, selectors,"
                + " clicks, rage, dead, cells, anchors, anchor_moments, fixed_cells) FROM STDIN");
    }

    /**
     * A page × device × day histogram; {@code bucketPx} null for tables without a bucket size column; {@code segmented}
     * for a table with a segment_id column (V18).
     */
    private void buckets(Handle handle, String table, String bucketColumn, String valueColumn, Integer bucketPx, boolean segmented,
                         Map<BucketKey, ? extends Number> rows) {
        Columns c = new Columns("site", Integer.class, "page", Long.class, "device", String.class, "day", String.class,
                "segment", Integer.class, "bucket", Integer.class, "value", Long.class);
        inOrder(rows, BucketKey.ORDER, (k, v) -> {
            if (v.longValue() != 0) c.add(k.siteId(), k.pageId(), k.device(), k.day().toString(), k.segment(), k.bucket(), v.longValue());
        });
        String sizeColumn = (segmented ? "segment_id, " : "") + (bucketPx == null ? "" : "bucket_px, ");
        String sizeValue = (segmented ? "segment, " : "") + (bucketPx == null ? "" : bucketPx + ", ");
        execute(handle, c, """
                INSERT INTO %1$s (site_id, page_id, device, day, %2$s%3$s, %4$s)
                SELECT site, page, device::device_class, day::date, %5$sbucket, value
                FROM unnest(:site, :page, :device, :day, :segment, :bucket, :value) AS r(site, page, device, day, segment, bucket, value)
                ON CONFLICT (site_id, page_id, device, day, %2$s%3$s) DO UPDATE SET %4$s = %1$s.%4$s + excluded.%4$s"""
                .formatted(table, sizeColumn, bucketColumn, valueColumn, sizeValue));
    }

    private static void execute(Handle handle, Columns columns, String sql) {
        if (!columns.isEmpty()) columns.bind(handle.createUpdate(sql)).execute();
    }

    /** Rows in the key's order, which every aggregator shares, so two runs lock the rows they share in the same order. */
    private static <K, V> void inOrder(Map<K, V> rows, Comparator<K> order, BiConsumer<K, V> add) {
        List<Map.Entry<K, V>> sorted = new ArrayList<>(rows.entrySet());
        sorted.sort(Map.Entry.comparingByKey(order));
        sorted.forEach(e -> add.accept(e.getKey(), e.getValue()));
    }
}
