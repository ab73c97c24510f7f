package io.isotherm.capture;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.util.List;
import java.util.Optional;

import static io.isotherm.capture.CaptureRows.CAPTURE;
import static io.isotherm.capture.CaptureRows.CAPTURE_COLUMNS;
import static io.isotherm.capture.CaptureRows.ELEMENT_BOX;

/** Stored captures as the API and the command line show them: a page's history, one capture, its tiles and boxes. */
public final class CaptureReads {
    private final Jdbi jdbi;

    public CaptureReads(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Newest first; {@code device} null for every device class. */
    public List<Capture> history(int siteId, long pageId, String device) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + CAPTURE_COLUMNS + """

                         FROM capture c
                        WHERE c.site_id = :site AND c.page_id = :page AND (CAST(:device AS text) IS NULL OR c.device::text = :device)
                        ORDER BY c.requested_at DESC, c.capture_id DESC""")
                .bind("site", siteId).bind("page", pageId).bind("device", device)
                .map(CAPTURE).list());
    }

    public Optional<Capture> find(int siteId, long captureId) {
        return jdbi.withHandle(h -> find(h, siteId, captureId));
    }

    /** {@link #find(int, long)} in the caller's transaction. */
    static Optional<Capture> find(Handle h, int siteId, long captureId) {
        return h.createQuery("SELECT " + CAPTURE_COLUMNS + "\nFROM capture c WHERE c.site_id = :site AND c.capture_id = :id")
                .bind("site", siteId).bind("id", captureId)
                .map(CAPTURE).findOne();
    }

    public Optional<CaptureImage> tile(int siteId, long captureId, int tile) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT content_type, image FROM capture_tile WHERE site_id = :site AND capture_id = :id AND tile = :tile""")
                .bind("site", siteId).bind("id", captureId).bind("tile", (short) tile)
                .map((rs, ctx) -> new CaptureImage(rs.getString(1), rs.getBytes(2)))
                .findOne());
    }

    /** Top to bottom, left to right. */
    public List<ElementBox> elements(int siteId, long captureId) {
        return jdbi.withHandle(h -> elements(h, siteId, captureId));
    }

    /** {@link #elements(int, long)} in the caller's transaction. */
    static List<ElementBox> elements(Handle h, int siteId, long captureId) {
        return h.createQuery("""
                        SELECT selector, x, y, width, height, label FROM capture_element WHERE site_id = :site AND capture_id = :id
                        ORDER BY y, x, selector""")
                .bind("site", siteId).bind("id", captureId)
                .map(ELEMENT_BOX).list();
    }
}
