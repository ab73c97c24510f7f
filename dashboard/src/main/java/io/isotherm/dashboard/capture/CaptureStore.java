package io.isotherm.dashboard.capture;

import io.isotherm.db.page.PageDao;
import io.isotherm.db.page.PageUrl;
import io.isotherm.db.site.Origins;
import io.isotherm.db.site.Site;
import io.isotherm.grid.Layouts;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

import java.net.URI;
import java.sql.Array;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Captures in PostgreSQL: the queue every dashboard process takes work from (FOR UPDATE SKIP LOCKED, so several can
 * run at once), the results with their tiles and element boxes, and the history of each page × device class.
 */
public final class CaptureStore {
    /** A capture to shoot: the page's URL, its site's origins, and the device class. */
    public record Job(int siteId, long captureId, long pageId, String device, String url, List<String> origins) {}

    public record TileRef(int index, int y, int height) {}

    /**
     * A stored capture as the API shows it; width, height and tiles are null/empty until it is captured. {@code title} is
     * the page's {@code document.title} as the capture saw it, null for uploads and pages without one.
     */
    public record Capture(long id, long pageId, String device, String source, String requestedBy, String status, String flag,
                          boolean accepted, Integer httpStatus, String url, String finalUrl, String title, String message,
                          Instant requestedAt, Instant startedAt, Instant capturedAt, Integer width, Integer height, boolean truncated,
                          int elementCount, boolean current, List<TileRef> tiles) {
        /** Usable as the page's background: captured cleanly, or flagged and accepted by a user. */
        public boolean usable() {
            return status.equals("ok") || (status.equals("flagged") && accepted);
        }
    }

    public record Image(String contentType, byte[] bytes) {}

    private static final String COLUMNS = """
            c.capture_id, c.page_id, c.device::text AS device, c.source, c.requested_by, c.status::text AS status, c.flag,
            c.accepted, c.http_status, c.url, c.final_url, c.title, c.message, c.requested_at, c.started_at, c.captured_at,
            c.width, c.height, c.truncated, c.element_count,
            (SELECT array_agg(t.y ORDER BY t.tile) FROM capture_tile t
             WHERE t.site_id = c.site_id AND t.capture_id = c.capture_id) AS tile_y,
            (SELECT array_agg(t.height ORDER BY t.tile) FROM capture_tile t
             WHERE t.site_id = c.site_id AND t.capture_id = c.capture_id) AS tile_height,
            c.capture_id = (SELECT u.capture_id FROM capture u
                            WHERE u.site_id = c.site_id AND u.page_id = c.page_id AND u.device = c.device
                              AND (u.status = 'ok' OR (u.status = 'flagged' AND u.accepted))
                            ORDER BY u.captured_at DESC, u.capture_id DESC LIMIT 1) AS current""";

    private static final RowMapper<Capture> CAPTURE = (rs, ctx) -> {
        List<TileRef> tiles = tiles(rs.getArray("tile_y"), rs.getArray("tile_height"));
        return new Capture(rs.getLong("capture_id"), rs.getLong("page_id"), rs.getString("device"), rs.getString("source"),
                rs.getString("requested_by"), rs.getString("status"), rs.getString("flag"), rs.getBoolean("accepted"),
                (Integer) rs.getObject("http_status"), rs.getString("url"), rs.getString("final_url"), rs.getString("title"),
                rs.getString("message"),
                instant(rs.getTimestamp("requested_at")), instant(rs.getTimestamp("started_at")),
                instant(rs.getTimestamp("captured_at")), (Integer) rs.getObject("width"), (Integer) rs.getObject("height"),
                rs.getBoolean("truncated"), rs.getInt("element_count"), rs.getBoolean("current"), tiles);
    };

    private final Jdbi jdbi;
    private final PageDao pages;

    public CaptureStore(Jdbi jdbi) {
        this.jdbi = jdbi;
        this.pages = new PageDao(jdbi);
    }

    /**
     * The page a capture of {@code url} belongs to, created if it never had an event (a page may be captured before
     * its first visitor).
     *
     * @throws IllegalArgumentException naming the problem: not an absolute http(s) URL, or not on the site's origins
     */
    public long pageOf(Site site, String url) {
        String normalized;
        URI uri;
        try {
            uri = URI.create(url);
            normalized = PageUrl.normalize(url, site.pageQueryParams());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("url must be an absolute http(s) URL");
        }
        if (uri.getRawUserInfo() != null) {
            // Never echoed, stored or logged: the message leaves the URL out on purpose.
            throw new IllegalArgumentException("url must not contain a user name or password: for pages behind a login, upload a screenshot");
        }
        if (!Origins.allowed(site.origins(), Origins.of(uri))) {
            throw new IllegalArgumentException("url must be on one of the site's origins: " + String.join(", ", site.origins()));
        }
        return pages.idFor(site.id(), normalized);
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
        return jdbi.inTransaction(h -> h.createQuery("""
                        UPDATE capture c SET status = 'running', started_at = now()
                        FROM (SELECT site_id, capture_id FROM capture
                              WHERE status = 'queued' OR (status = 'running' AND started_at < now() - make_interval(secs => :stale))
                              ORDER BY requested_at LIMIT 1 FOR UPDATE SKIP LOCKED) q
                        WHERE c.site_id = q.site_id AND c.capture_id = q.capture_id
                        RETURNING c.site_id, c.capture_id""")
                .bind("stale", (double) staleAfter.toSeconds())
                .map((rs, ctx) -> new long[]{rs.getInt(1), rs.getLong(2)})
                .findOne()
                .flatMap(key -> job(h, (int) key[0], key[1])));
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
     * Stores a shot: its tiles and boxes, flagged or ok. A clean shot becomes the page's layout for that device class,
     * so the heatmaps place clicks on its boxes; a flagged one waits for a user to accept it.
     */
    public void finish(Job job, Shot shot) {
        jdbi.useTransaction(h -> {
            Instant now = Instant.now();
            String status = shot.flag() == null ? "ok" : "flagged";
            h.createUpdate("""
                            UPDATE capture SET status = :status::capture_status, flag = :flag, http_status = :http, final_url = :finalUrl,
                                title = :title, message = :message, captured_at = :at, width = :width, height = :height,
                                truncated = :truncated, element_count = :elements
                            WHERE site_id = :site AND capture_id = :id""")
                    .bind("status", status).bind("flag", shot.flag() == null ? null : shot.flag().name().toLowerCase())
                    .bind("http", shot.httpStatus()).bind("finalUrl", shot.finalUrl() == null ? null : shot.finalUrl().toString())
                    .bind("title", shot.title())
                    .bind("message", shot.flagReason()).bind("at", Timestamp.from(now)).bind("width", shot.width())
                    .bind("height", shot.height()).bind("truncated", shot.truncated()).bind("elements", shot.elements().size())
                    .bind("site", job.siteId()).bind("id", job.captureId())
                    .execute();
            for (int i = 0; i < shot.tiles().size(); i++) {
                Tile tile = shot.tiles().get(i);
                insertTile(h, job.siteId(), job.captureId(), i, tile.y(), tile.height(), new Image(tile.contentType(), tile.image()));
            }
            var batch = h.prepareBatch("""
                    INSERT INTO capture_element (site_id, capture_id, selector, x, y, width, height)
                    VALUES (:site, :id, :selector, :x, :y, :width, :height) ON CONFLICT DO NOTHING""");
            for (ElementBox box : shot.elements()) {
                batch.bind("site", job.siteId()).bind("id", job.captureId()).bind("selector", box.selector())
                        .bind("x", box.x()).bind("y", box.y()).bind("width", box.width()).bind("height", box.height()).add();
            }
            if (!shot.elements().isEmpty()) batch.execute();
            if (shot.flag() == null) useLayout(h, job.siteId(), job.pageId(), job.device(), job.captureId(), now);
        });
    }

    /** Records why a capture could not be taken (and what to do), for the viewer and the command line to show. */
    public void fail(Job job, String message) {
        jdbi.useHandle(h -> h.createUpdate("""
                        UPDATE capture SET status = 'failed', message = :message, captured_at = NULL
                        WHERE site_id = :site AND capture_id = :id""")
                .bind("message", message).bind("site", job.siteId()).bind("id", job.captureId())
                .execute());
    }

    /** An uploaded screenshot: one tile, no element boxes (the page's layout stays as it was), usable at once. */
    public long upload(int siteId, long pageId, String device, String url, Image image, int width, int height) {
        return jdbi.inTransaction(h -> {
            long id = h.createQuery("""
                            INSERT INTO capture (site_id, page_id, device, source, requested_by, url, status, captured_at, width, height)
                            VALUES (:site, :page, :device::device_class, 'upload', 'upload', :url, 'ok', now(), :width, :height)
                            RETURNING capture_id""")
                    .bind("site", siteId).bind("page", pageId).bind("device", device).bind("url", url)
                    .bind("width", width).bind("height", height)
                    .mapTo(Long.class).one();
            insertTile(h, siteId, id, 0, 0, height, image);
            return id;
        });
    }

    private static void insertTile(Handle h, int siteId, long captureId, int index, int y, int height, Image image) {
        h.createUpdate("""
                        INSERT INTO capture_tile (site_id, capture_id, tile, y, height, content_type, image)
                        VALUES (:site, :id, :tile, :y, :height, :type, :image)""")
                .bind("site", siteId).bind("id", captureId).bind("tile", (short) index).bind("y", y).bind("height", height)
                .bind("type", image.contentType()).bind("image", image.bytes())
                .execute();
    }

    /**
     * A flagged capture a user wants as the background anyway (the heuristics can be wrong: a page may simply have a
     * password field). Its boxes become the layout. Empty when there is no such capture; a capture that is not
     * flagged is returned unchanged.
     */
    public Optional<Capture> accept(int siteId, long captureId) {
        return jdbi.inTransaction(h -> {
            Optional<Capture> capture = find(h, siteId, captureId);
            if (capture.isEmpty() || !capture.get().status().equals("flagged") || capture.get().accepted()) return capture;
            h.createUpdate("UPDATE capture SET accepted = true WHERE site_id = :site AND capture_id = :id")
                    .bind("site", siteId).bind("id", captureId).execute();
            Capture c = capture.get();
            if (c.source().equals("browser")) useLayout(h, siteId, c.pageId(), c.device(), captureId, c.capturedAt());
            return find(h, siteId, captureId);
        });
    }

    /** The capture's boxes become the page's layout, if it is the newest usable capture of a browser. */
    private static void useLayout(Handle h, int siteId, long pageId, String device, long captureId, Instant capturedAt) {
        List<Layouts.Box> boxes = h.createQuery("""
                        SELECT selector, x, y, width, height FROM capture_element WHERE site_id = :site AND capture_id = :id""")
                .bind("site", siteId).bind("id", captureId)
                .map((rs, ctx) -> new Layouts.Box(rs.getString(1), rs.getInt(2), rs.getInt(3), rs.getInt(4), rs.getInt(5)))
                .list();
        Layouts.replace(h, siteId, pageId, device, boxes, capturedAt);
    }

    /** Newest first; {@code device} null for every device class. */
    public List<Capture> history(int siteId, long pageId, String device) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + """

                         FROM capture c
                        WHERE c.site_id = :site AND c.page_id = :page AND (CAST(:device AS text) IS NULL OR c.device::text = :device)
                        ORDER BY c.requested_at DESC, c.capture_id DESC""")
                .bind("site", siteId).bind("page", pageId).bind("device", device)
                .map(CAPTURE).list());
    }

    public Optional<Capture> find(int siteId, long captureId) {
        return jdbi.withHandle(h -> find(h, siteId, captureId));
    }

    private static Optional<Capture> find(Handle h, int siteId, long captureId) {
        return h.createQuery("SELECT " + COLUMNS + "\nFROM capture c WHERE c.site_id = :site AND c.capture_id = :id")
                .bind("site", siteId).bind("id", captureId)
                .map(CAPTURE).findOne();
    }

    public Optional<Image> tile(int siteId, long captureId, int tile) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT content_type, image FROM capture_tile WHERE site_id = :site AND capture_id = :id AND tile = :tile""")
                .bind("site", siteId).bind("id", captureId).bind("tile", (short) tile)
                .map((rs, ctx) -> new Image(rs.getString(1), rs.getBytes(2)))
                .findOne());
    }

    public List<ElementBox> elements(int siteId, long captureId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT selector, x, y, width, height FROM capture_element WHERE site_id = :site AND capture_id = :id
                        ORDER BY y, x, selector""")
                .bind("site", siteId).bind("id", captureId)
                .map((rs, ctx) -> new ElementBox(rs.getString(1), rs.getInt(2), rs.getInt(3), rs.getInt(4), rs.getInt(5)))
                .list());
    }

    /**
     * Queues a capture for every page and device class with counted events since {@code since} that has never had
     * one. The unique index on first-events captures keeps dashboards that notice a page at the same time from
     * queueing it twice. Returns how many were queued.
     */
    public int queueFirstEvents(LocalDate since) {
        return jdbi.withHandle(h -> h.createUpdate("""
                        INSERT INTO capture (site_id, page_id, device, source, requested_by, url, status)
                        SELECT d.site_id, d.page_id, d.device, 'browser', 'first-events', p.url, 'queued'
                        FROM (SELECT DISTINCT site_id, page_id, device FROM page_day WHERE day >= :since) d
                        JOIN page p ON p.site_id = d.site_id AND p.page_id = d.page_id
                        WHERE NOT EXISTS (SELECT 1 FROM capture c
                                          WHERE c.site_id = d.site_id AND c.page_id = d.page_id AND c.device = d.device)
                        ON CONFLICT DO NOTHING""")
                .bind("since", since)
                .execute());
    }

    private static List<TileRef> tiles(Array ys, Array heights) throws SQLException {
        if (ys == null) return List.of();
        Integer[] y = (Integer[]) ys.getArray(), height = (Integer[]) heights.getArray();
        TileRef[] tiles = new TileRef[y.length];
        for (int i = 0; i < y.length; i++) tiles[i] = new TileRef(i, y[i], height[i]);
        return List.of(tiles);
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
