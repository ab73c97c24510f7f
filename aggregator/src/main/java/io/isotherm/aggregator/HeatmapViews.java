package io.isotherm.aggregator;

import io.isotherm.aggregator.HeatmapQuery.Key;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The stored default views: per page × device class × kind, the last 7 and the last 30 days (in the site's time
 * zone) at the default σ. Recomputed when an aggregation run marked them dirty, and when a new day began.
 */
final class HeatmapViews {
    static final int[] DAYS = {7, 30};
    private static final int KEYS_PER_TRANSACTION = 10;

    /** A view's identity: the page, device class and kind it shows. */
    record ViewKey(int siteId, long pageId, String device, String kind) {}

    private final Jdbi jdbi;
    private final HeatmapQuery query;
    private final Duration minAge;

    HeatmapViews(Jdbi jdbi, HeatmapQuery query, Duration minAge) {
        this.jdbi = jdbi;
        this.query = query;
        this.minAge = minAge;
    }

    /** Marks views for recomputation; called in the aggregation transaction that changed their counts. */
    static void markDirty(Handle handle, Collection<ViewKey> keys) {
        Columns rows = new Columns("site", Integer.class, "page", Long.class, "device", String.class, "kind", String.class);
        keys.stream().distinct()
                .sorted(Comparator.comparingInt(ViewKey::siteId).thenComparingLong(ViewKey::pageId)
                        .thenComparing(ViewKey::device).thenComparing(ViewKey::kind)) // one lock order for every aggregator
                .forEach(k -> rows.add(k.siteId(), k.pageId(), k.device(), k.kind()));
        if (rows.isEmpty()) return;
        rows.bind(handle.createUpdate("""
                        INSERT INTO heatmap_dirty (site_id, page_id, device, kind)
                        SELECT site, page, device::device_class, kind::event_kind FROM unnest(:site, :page, :device, :kind) AS r(site, page, device, kind)
                        ON CONFLICT DO NOTHING"""))
                .execute();
    }

    /** Recomputes every dirty view, and every view whose range ended before today in its site's time zone. */
    int refresh() {
        jdbi.useHandle(h -> h.execute("""
                INSERT INTO heatmap_dirty (site_id, page_id, device, kind)
                SELECT DISTINCT v.site_id, v.page_id, v.device, v.kind FROM heatmap_view v JOIN site s ON s.site_id = v.site_id
                WHERE v.as_of < (now() AT TIME ZONE s.time_zone)::date
                ON CONFLICT DO NOTHING"""));
        int refreshed = 0;
        while (true) {
            int n = jdbi.inTransaction(this::refreshSome);
            if (n == 0) return refreshed;
            refreshed += n;
        }
    }

    /**
     * Takes some dirty marks (deleting them, so that counts committed from now on mark the view again) and
     * recomputes those views from the counts, in one transaction. Concurrent refreshers skip each other's marks.
     * Views computed less than {@code minAge} ago keep their mark for a later pass (unless a new day began): on a
     * busy site every page's counts change every pass, and recomputing every view every minute would cost more than
     * the aggregation.
     */
    private int refreshSome(Handle h) {
        record Claimed(ViewKey key, LocalDate today) {}
        List<Claimed> claimed = h.createQuery("""
                        DELETE FROM heatmap_dirty d USING (
                            SELECT m.site_id, m.page_id, m.device, m.kind, (now() AT TIME ZONE s.time_zone)::date AS today
                            FROM heatmap_dirty m
                            JOIN site s ON s.site_id = m.site_id
                            LEFT JOIN heatmap_view v ON v.site_id = m.site_id AND v.page_id = m.page_id AND v.device = m.device
                                                    AND v.kind = m.kind AND v.days = 7
                            WHERE v.computed_at IS NULL OR v.computed_at <= now() - make_interval(secs => :minAge)
                               OR v.as_of < (now() AT TIME ZONE s.time_zone)::date
                            ORDER BY m.site_id, m.page_id, m.device, m.kind LIMIT :limit FOR UPDATE OF m SKIP LOCKED) c
                        WHERE d.site_id = c.site_id AND d.page_id = c.page_id AND d.device = c.device AND d.kind = c.kind
                        RETURNING d.site_id, d.page_id, d.device::text, d.kind::text, c.today""")
                .bind("limit", KEYS_PER_TRANSACTION)
                .bind("minAge", minAge.toMillis() / 1000.0)
                .map((rs, ctx) -> new Claimed(new ViewKey(rs.getInt(1), rs.getLong(2), rs.getString(3), rs.getString(4)),
                        rs.getObject(5, LocalDate.class)))
                .list();
        for (Claimed c : claimed) {
            ViewKey key = c.key();
            LocalDate today = c.today(); // in the site's time zone
            for (int days : DAYS) {
                Key range = new Key(key.siteId(), key.pageId(), key.device(), key.kind(), today.minusDays(days - 1), today);
                store(h, range, days, query.build(h, range, HeatmapQuery.DEFAULT_SIGMA_PX, true));
            }
        }
        return claimed.size();
    }

    private static void store(Handle h, Key key, int days, Heatmap map) {
        ByteBuffer density = ByteBuffer.allocate(map.values().length * Float.BYTES);
        density.asFloatBuffer().put(map.values());
        ByteBuffer counts = ByteBuffer.allocate(map.counts().length * Integer.BYTES);
        counts.asIntBuffer().put(map.counts());
        h.createUpdate("""
                        INSERT INTO heatmap_view (site_id, page_id, device, kind, days, as_of, cell_size, columns, rows, layout_width,
                            layout_height, sigma, density, counts, max, p99, total, pageviews, computed_at)
                        VALUES (:site, :page, :device::device_class, :kind::event_kind, :days, :asOf, :cellSize, :columns, :rows,
                            :layoutWidth, :layoutHeight, :sigma, :density, :counts, :max, :p99, :total, :pageviews, now())
                        ON CONFLICT (site_id, page_id, device, kind, days) DO UPDATE SET
                            as_of = excluded.as_of, cell_size = excluded.cell_size, columns = excluded.columns, rows = excluded.rows,
                            layout_width = excluded.layout_width, layout_height = excluded.layout_height, sigma = excluded.sigma,
                            density = excluded.density, counts = excluded.counts, max = excluded.max, p99 = excluded.p99, total = excluded.total,
                            pageviews = excluded.pageviews, computed_at = excluded.computed_at""")
                .bind("site", key.siteId()).bind("page", key.pageId()).bind("device", key.device()).bind("kind", key.kind())
                .bind("days", days).bind("asOf", key.to()).bind("cellSize", map.cellSize()).bind("columns", map.columns())
                .bind("rows", map.rows()).bind("layoutWidth", map.layoutWidth()).bind("layoutHeight", map.layoutHeight())
                .bind("sigma", (float) map.sigma()).bind("density", density.array()).bind("counts", counts.array()).bind("max", map.max()).bind("p99", map.p99())
                .bind("total", map.total()).bind("pageviews", map.pageviews())
                .execute();
    }

    /**
     * The stored view for exactly this range (the last 7 or 30 days up to {@code to}), if there is one, and if it has
     * the counts when they are asked for.
     */
    static Optional<Heatmap> stored(Handle h, Key key, boolean withCounts) {
        int days = (int) (key.to().toEpochDay() - key.from().toEpochDay()) + 1;
        if (days != 7 && days != 30) return Optional.empty();
        return h.createQuery("""
                        SELECT cell_size, columns, rows, layout_width, layout_height, sigma, density, max, p99, total, pageviews, counts
                        FROM heatmap_view
                        WHERE site_id = :site AND page_id = :page AND device = :device::device_class AND kind = :kind::event_kind
                          AND days = :days AND as_of = :asOf AND (counts IS NOT NULL OR NOT :withCounts)""")
                .bind("site", key.siteId()).bind("page", key.pageId()).bind("device", key.device()).bind("kind", key.kind())
                .bind("days", days).bind("asOf", key.to()).bind("withCounts", withCounts)
                .map((rs, ctx) -> {
                    float[] values = new float[rs.getInt(2) * rs.getInt(3)];
                    ByteBuffer.wrap(rs.getBytes(7)).asFloatBuffer().get(values);
                    int[] counts = null;
                    if (withCounts) {
                        counts = new int[values.length];
                        ByteBuffer.wrap(rs.getBytes(12)).asIntBuffer().get(counts);
                    }
                    return new Heatmap(rs.getInt(1), rs.getInt(2), rs.getInt(3), rs.getInt(4), rs.getInt(5), rs.getFloat(6),
                            values, counts, rs.getDouble(8), rs.getDouble(9), rs.getLong(10), rs.getLong(11));
                })
                .findOne();
    }
}
