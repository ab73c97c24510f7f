package io.isotherm.capture;

import io.isotherm.capture.CaptureQueue.Job;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.sql.Timestamp;
import java.time.Instant;

/** What became of a capture: a shot with its tiles and element boxes, the reason it failed, or an uploaded image. */
public final class CaptureResults {
    private final Jdbi jdbi;

    public CaptureResults(Jdbi jdbi) {
        this.jdbi = jdbi;
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
                insertTile(h, job.siteId(), job.captureId(), i, tile.y(), tile.height(), new CaptureImage(tile.contentType(), tile.image()));
            }
            var batch = h.prepareBatch("""
                    INSERT INTO capture_element (site_id, capture_id, selector, x, y, width, height, label)
                    VALUES (:site, :id, :selector, :x, :y, :width, :height, :label) ON CONFLICT DO NOTHING""");
            for (ElementBox box : shot.elements()) {
                batch.bind("site", job.siteId()).bind("id", job.captureId()).bind("selector", box.selector())
                        .bind("x", box.x()).bind("y", box.y()).bind("width", box.width()).bind("height", box.height())
                        .bind("label", box.label()).add();
            }
            if (!shot.elements().isEmpty()) batch.execute();
            if (shot.flag() == null) LayoutPromotion.promote(h, job.siteId(), job.pageId(), job.device(), job.captureId(), now);
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
    public long upload(int siteId, long pageId, String device, String url, CaptureImage image, int width, int height) {
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

    private static void insertTile(Handle h, int siteId, long captureId, int index, int y, int height, CaptureImage image) {
        h.createUpdate("""
                        INSERT INTO capture_tile (site_id, capture_id, tile, y, height, content_type, image)
                        VALUES (:site, :id, :tile, :y, :height, :type, :image)""")
                .bind("site", siteId).bind("id", captureId).bind("tile", (short) index).bind("y", y).bind("height", height)
                .bind("type", image.contentType()).bind("image", image.bytes())
                .execute();
    }
}
