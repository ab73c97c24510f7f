package io.isotherm.grid;

import io.isotherm.db.Columns;
import org.jdbi.v3.core.Handle;

import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The rows of the stored default views: {@code heatmap_view} (per page × device class × kind, the last 7 and the last
 * 30 days in the site's time zone, at the default σ) and {@code heatmap_dirty} (views whose counts changed).
 */
public final class ViewStore {
    static final int[] DAYS = {7, 30};

    /** A view's identity: the page, device class and kind it shows. */
    public record ViewKey(int siteId, long pageId, String device, String kind) {}

    private ViewStore() {
    }

    /**
     * Marks views for recomputation; called in the aggregation transaction that changed their counts. A marked view
     * is not served ({@link #stored}): its heatmap is computed from the counts until a refresh takes the mark. The
     * upsert locks an existing mark until this transaction commits, so a concurrent refresh (which takes marks
     * {@code SKIP LOCKED}) cannot delete it and store a view without these counts. (The update writes the same value:
     * it is there for the lock; not on site_id, which Citus does not let an update touch.)
     */
    public static void markDirty(Handle handle, Collection<ViewKey> keys) {
        Columns rows = new Columns("site", Integer.class, "page", Long.class, "device", String.class, "kind", String.class);
        keys.stream().distinct()
                .sorted(Comparator.comparingInt(ViewKey::siteId).thenComparingLong(ViewKey::pageId)
                        .thenComparing(ViewKey::device).thenComparing(ViewKey::kind)) // one lock order for every aggregator
                .forEach(k -> rows.add(k.siteId(), k.pageId(), k.device(), k.kind()));
        if (rows.isEmpty()) return;
        rows.bind(handle.createUpdate("""
                        INSERT INTO heatmap_dirty (site_id, page_id, device, kind)
                        SELECT site, page, device::device_class, kind::event_kind FROM unnest(:site, :page, :device, :kind) AS r(site, page, device, kind)
                        ON CONFLICT (site_id, page_id, device, kind) DO UPDATE SET page_id = excluded.page_id"""))
                .execute();
    }

    static void store(Handle h, RangeKey key, int days, Heatmap map) {
        ByteBuffer density = ByteBuffer.allocate(map.values().length * Float.BYTES);
        density.asFloatBuffer().put(map.values());
        ByteBuffer counts = ByteBuffer.allocate(map.counts().length * Integer.BYTES);
        counts.asIntBuffer().put(map.counts());
        h.createUpdate("""
                        INSERT INTO heatmap_view (site_id, page_id, device, kind, days, as_of, cell_size, columns, rows, layout_width,
                            layout_height, sigma, density, counts, max, p99, total, pageviews, not_drawn, computed_at)
                        VALUES (:site, :page, :device::device_class, :kind::event_kind, :days, :asOf, :cellSize, :columns, :rows,
                            :layoutWidth, :layoutHeight, :sigma, :density, :counts, :max, :p99, :total, :pageviews, :notDrawn, now())
                        ON CONFLICT (site_id, page_id, device, kind, days) DO UPDATE SET
                            as_of = excluded.as_of, cell_size = excluded.cell_size, columns = excluded.columns, rows = excluded.rows,
                            layout_width = excluded.layout_width, layout_height = excluded.layout_height, sigma = excluded.sigma,
                            density = excluded.density, counts = excluded.counts, max = excluded.max, p99 = excluded.p99, total = excluded.total,
                            pageviews = excluded.pageviews, not_drawn = excluded.not_drawn, computed_at = excluded.computed_at""")
                .bind("site", key.siteId()).bind("page", key.pageId()).bind("device", key.device()).bind("kind", key.kind())
                .bind("days", days).bind("asOf", key.to()).bind("cellSize", map.cellSize()).bind("columns", map.columns())
                .bind("rows", map.rows()).bind("layoutWidth", map.layoutWidth()).bind("layoutHeight", map.layoutHeight())
                .bind("sigma", (float) map.sigma()).bind("density", density.array()).bind("counts", counts.array()).bind("max", map.max()).bind("p99", map.p99())
                .bind("total", map.total()).bind("pageviews", map.pageviews()).bind("notDrawn", map.notDrawn())
                .execute();
    }

    /**
     * The stored view for exactly this range (the last 7 or 30 days up to {@code to}), if there is one, if it has the
     * counts when they are asked for, and if no mark says its counts changed since it was computed. In a snapshot, a
     * view without a mark agrees with the counts of that snapshot: the aggregation that changes the counts marks the
     * view in its transaction, and a refresh takes the mark and stores the view in one.
     */
    static Optional<Heatmap> stored(Handle h, RangeKey key, boolean withCounts) {
        int days = (int) (key.to().toEpochDay() - key.from().toEpochDay()) + 1;
        if (days != 7 && days != 30) return Optional.empty();
        return h.createQuery("""
                        SELECT cell_size, columns, rows, layout_width, layout_height, sigma, density, max, p99, total, pageviews, counts, not_drawn
                        FROM heatmap_view
                        WHERE site_id = :site AND page_id = :page AND device = :device::device_class AND kind = :kind::event_kind
                          AND days = :days AND as_of = :asOf AND (counts IS NOT NULL OR NOT :withCounts)
                          AND NOT EXISTS (SELECT FROM heatmap_dirty m
                                          WHERE m.site_id = :site AND m.page_id = :page AND m.device = :device::device_class
                                            AND m.kind = :kind::event_kind)""")
                .bind("site", key.siteId()).bind("page", key.pageId()).bind("device", key.device()).bind("kind", key.kind())
                .bind("days", days).bind("asOf", key.to()).bind("withCounts", withCounts)
                .map((rs, ctx) -> {
                    float[] values = new float[rs.getInt(2) * rs.getInt(3)];
                    ByteBuffer.wrap(rs.getBytes(7)).asFloatBuffer().get(values);
                    for (int i = 0; i < values.length; i++) values[i] = Heatmap.unit(values[i]); // views stored before V12
                    int[] counts = null;
                    if (withCounts) {
                        counts = new int[values.length];
                        ByteBuffer.wrap(rs.getBytes(12)).asIntBuffer().get(counts);
                    }
                    long total = rs.getLong(10);
                    double defaultSigma = SmoothingRule.sigmaPx(total, (double) rs.getInt(4) * rs.getInt(5));
                    return new Heatmap(rs.getInt(1), rs.getInt(2), rs.getInt(3), rs.getInt(4), rs.getInt(5), rs.getFloat(6),
                            defaultSigma, values, counts, rs.getDouble(8), rs.getDouble(9), total, rs.getLong(11), rs.getLong(13));
                })
                .findOne();
    }
}
