package io.isotherm.grid;

import io.isotherm.grid.ViewStore.ViewKey;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Keeps the stored default views ({@link ViewStore}) current: recomputes those an aggregation run marked dirty, and
 * those whose range ended before the site's today. Any number of aggregators may refresh at once.
 */
public final class ViewRefresh {
    private static final int KEYS_PER_TRANSACTION = 10;

    private final Jdbi jdbi;
    private final HeatmapQuery query;
    private final Duration minAge;

    /** @param minAge a view is recomputed at most this often (its counts may change every pass) */
    public ViewRefresh(Jdbi jdbi, HeatmapQuery query, Duration minAge) {
        this.jdbi = jdbi;
        this.query = query;
        this.minAge = minAge;
    }

    /** Recomputes every dirty view, and every view whose range ended before today in its site's time zone. */
    public int refresh() {
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
        // The sites with marks due and their today, unlocked. The marks are then locked and taken site by site,
        // each statement with an equality on site_id (one shard under Citus).
        List<Map.Entry<Integer, LocalDate>> sites = h.createQuery("""
                        SELECT DISTINCT m.site_id, (now() AT TIME ZONE s.time_zone)::date
                        FROM heatmap_dirty m
                        JOIN site s ON s.site_id = m.site_id
                        LEFT JOIN heatmap_view v ON v.site_id = m.site_id AND v.page_id = m.page_id AND v.device = m.device
                                                AND v.kind = m.kind AND v.days = 7
                        WHERE v.computed_at IS NULL OR v.computed_at <= now() - make_interval(secs => :minAge)
                           OR v.as_of < (now() AT TIME ZONE s.time_zone)::date
                        ORDER BY m.site_id""")
                .bind("minAge", minAge.toMillis() / 1000.0)
                .map((rs, ctx) -> Map.entry(rs.getInt(1), rs.getObject(2, LocalDate.class)))
                .list();
        List<Claimed> claimed = new ArrayList<>();
        for (var site : sites) {
            if (claimed.size() >= KEYS_PER_TRANSACTION) break;
            LocalDate today = site.getValue();
            List<ViewKey> keys = h.createQuery("""
                            SELECT m.site_id, m.page_id, m.device, m.kind
                            FROM heatmap_dirty m
                            LEFT JOIN heatmap_view v ON v.site_id = m.site_id AND v.page_id = m.page_id AND v.device = m.device
                                                    AND v.kind = m.kind AND v.days = 7
                            WHERE m.site_id = :site
                              AND (v.computed_at IS NULL OR v.computed_at <= now() - make_interval(secs => :minAge)
                                   OR v.as_of < :today)
                            ORDER BY m.page_id, m.device, m.kind LIMIT :limit
                            FOR UPDATE OF m SKIP LOCKED""")
                    .bind("site", site.getKey())
                    .bind("today", today)
                    .bind("limit", KEYS_PER_TRANSACTION - claimed.size())
                    .bind("minAge", minAge.toMillis() / 1000.0)
                    .map((rs, ctx) -> new ViewKey(rs.getInt(1), rs.getLong(2), rs.getString(3), rs.getString(4)))
                    .list();
            if (keys.isEmpty()) continue;
            // Locked first, deleted by key: a DELETE joined to a LIMIT … SKIP LOCKED subquery may run it more than once.
            h.createUpdate("""
                            DELETE FROM heatmap_dirty d
                            USING unnest(:pages, :devices::device_class[], :kinds::event_kind[]) AS k(page, device, kind)
                            WHERE d.site_id = :site AND d.page_id = k.page AND d.device = k.device AND d.kind = k.kind""")
                    .bind("site", site.getKey())
                    .bindArray("pages", Long.class, keys.stream().map(ViewKey::pageId).toList())
                    .bindArray("devices", String.class, keys.stream().map(ViewKey::device).toList())
                    .bindArray("kinds", String.class, keys.stream().map(ViewKey::kind).toList())
                    .execute();
            keys.forEach(k -> claimed.add(new Claimed(k, today)));
        }
        for (Claimed c : claimed) {
            ViewKey key = c.key();
            LocalDate today = c.today(); // in the site's time zone
            for (int days : ViewStore.DAYS) {
                RangeKey range = new RangeKey(key.siteId(), key.pageId(), key.device(), key.kind(), today.minusDays(days - 1), today);
                ViewStore.store(h, range, days, query.build(h, range, null, true));
            }
        }
        return claimed.size();
    }
}
