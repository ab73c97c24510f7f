package io.isotherm.capture;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.time.Duration;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The captures to shoot, in PostgreSQL: every dashboard process takes work from it (FOR UPDATE SKIP LOCKED, so several
 * can run at once), and the command line puts in captures it shoots itself.
 */
public final class CaptureQueue {
    /** A capture to shoot: the page's URL, its site's origins, and the device class. */
    public record Job(int siteId, long captureId, long pageId, String device, String url, List<String> origins) {}

    /** The advisory lock every dashboard's scan for automatic captures takes, so per-site limits hold across them. */
    private static final long FIRST_EVENTS_LOCK = 0x15_0009_0001L;

    private final Jdbi jdbi;

    public CaptureQueue(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Puts a capture in the queue; a worker shoots it. */
    public long queue(int siteId, long pageId, String device, String url, String requestedBy) {
        return insert(siteId, pageId, device, url, requestedBy, "queued");
    }

    /** A capture this caller shoots itself (the command line), already marked running. */
    public Job begin(int siteId, long pageId, String device, String url, String requestedBy) {
        long id = insert(siteId, pageId, device, url, requestedBy, "running");
        return jdbi.withHandle(h -> job(h, siteId, id)).orElseThrow();
    }

    private long insert(int siteId, long pageId, String device, String url, String requestedBy, String status) {
        return jdbi.withHandle(h -> h.createQuery("""
                        INSERT INTO capture (site_id, page_id, device, source, requested_by, url, status, started_at)
                        VALUES (:site, :page, :device::device_class, 'browser', :by, :url, :status::capture_status,
                                CASE WHEN :status = 'running' THEN now() END)
                        RETURNING capture_id""")
                .bind("site", siteId).bind("page", pageId).bind("device", device).bind("by", requestedBy)
                .bind("url", url).bind("status", status)
                .mapTo(Long.class).one());
    }

    /**
     * Takes the oldest queued capture, or one whose worker has been silent for {@code staleAfter} (it died), and
     * marks it running. Concurrent workers skip each other's rows.
     */
    public Optional<Job> claim(Duration staleAfter) {
        return jdbi.inTransaction(h -> {
            // The sites with claimable captures, oldest first, unlocked; then the claim site by site, with an
            // equality on site_id (one shard under Citus), until one is taken.
            List<Integer> sites = h.createQuery("""
                            SELECT site_id FROM capture
                            WHERE status = 'queued' OR (status = 'running' AND started_at < now() - make_interval(secs => :stale))
                            GROUP BY site_id ORDER BY min(requested_at)""")
                    .bind("stale", (double) staleAfter.toSeconds())
                    .mapTo(Integer.class)
                    .list();
            for (int site : sites) {
                // Lock first, then mark: an UPDATE joined to a LIMIT … SKIP LOCKED subquery may run the subquery
                // again for each row it scans, and take more than one.
                Optional<Long> id = h.createQuery("""
                                SELECT capture_id FROM capture
                                WHERE site_id = :site
                                  AND (status = 'queued' OR (status = 'running' AND started_at < now() - make_interval(secs => :stale)))
                                ORDER BY requested_at LIMIT 1
                                FOR UPDATE SKIP LOCKED""")
                        .bind("site", site)
                        .bind("stale", (double) staleAfter.toSeconds())
                        .mapTo(Long.class)
                        .findOne();
                if (id.isPresent()) {
                    h.createUpdate("UPDATE capture SET status = 'running', started_at = now() WHERE site_id = :site AND capture_id = :id")
                            .bind("site", site).bind("id", id.get()).execute();
                    return job(h, site, id.get());
                }
            }
            return Optional.empty();
        });
    }

    private static Optional<Job> job(Handle h, int siteId, long captureId) {
        return h.createQuery("""
                        SELECT c.site_id, c.capture_id, c.page_id, c.device::text, c.url, s.origins
                        FROM capture c JOIN site s ON s.site_id = c.site_id
                        WHERE c.site_id = :site AND c.capture_id = :id""")
                .bind("site", siteId).bind("id", captureId)
                .map((rs, ctx) -> new Job(rs.getInt(1), rs.getLong(2), rs.getLong(3), rs.getString(4), rs.getString(5),
                        Arrays.asList((String[]) rs.getArray(6).getArray())))
                .findOne();
    }

    /**
     * Queues a capture for every page and device class that has at least {@code minPageviews} counted page views
     * since {@code since} and has never had one, busiest first, at most {@code perSitePerHour} automatic captures
     * per site in any hour. Dashboards that scan at the same time wait for each other (an advisory lock), so the
     * limit holds across them; the unique index on first-events captures keeps a page from being queued twice.
     * Returns how many were queued.
     */
    public int queueFirstEvents(LocalDate since, int minPageviews, int perSitePerHour) {
        return jdbi.inTransaction(h -> {
            h.createQuery("SELECT 1 FROM (SELECT pg_advisory_xact_lock(:lock)) l").bind("lock", FIRST_EVENTS_LOCK).mapTo(Integer.class).one();
            // page_day counts each page view once (pageview_summary decides where it belongs).
            return h.createUpdate("""
                            INSERT INTO capture (site_id, page_id, device, source, requested_by, url, status)
                            SELECT n.site_id, n.page_id, n.device, 'browser', 'first-events', n.url, 'queued'
                            FROM (SELECT d.site_id, d.page_id, d.device, p.url,
                                         row_number() OVER (PARTITION BY d.site_id ORDER BY d.pageviews DESC, d.page_id, d.device) AS rank
                                  FROM (SELECT site_id, page_id, device, sum(pageviews) AS pageviews
                                        FROM page_day WHERE day >= :since
                                        GROUP BY site_id, page_id, device
                                        HAVING sum(pageviews) >= :minPageviews) d
                                  JOIN page p ON p.site_id = d.site_id AND p.page_id = d.page_id
                                  WHERE NOT EXISTS (SELECT 1 FROM capture c
                                                    WHERE c.site_id = d.site_id AND c.page_id = d.page_id AND c.device = d.device)) n
                            WHERE n.rank <= :perHour - (SELECT count(*) FROM capture r
                                                        WHERE r.site_id = n.site_id AND r.requested_by = 'first-events'
                                                          AND r.requested_at > now() - interval '1 hour')
                            ON CONFLICT DO NOTHING""")
                    .bind("since", since)
                    .bind("minPageviews", minPageviews)
                    .bind("perHour", perSitePerHour)
                    .execute();
        });
    }
}
