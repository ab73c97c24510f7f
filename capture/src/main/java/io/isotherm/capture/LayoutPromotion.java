package io.isotherm.capture;

import io.isotherm.grid.Layouts;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A capture's element boxes becoming the page's layout for its device class, so the heatmaps place clicks on them:
 * at once for a clean shot, or when a user accepts a flagged one.
 */
public final class LayoutPromotion {
    private final Jdbi jdbi;

    public LayoutPromotion(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * A flagged capture a user wants as the background anyway (the heuristics can be wrong: a page may simply have a
     * password field). Its boxes become the layout. Empty when there is no such capture; a capture that is not
     * flagged is returned unchanged.
     */
    public Optional<Capture> accept(int siteId, long captureId) {
        return jdbi.inTransaction(h -> {
            Optional<Capture> capture = CaptureReads.find(h, siteId, captureId);
            if (capture.isEmpty() || !capture.get().status().equals("flagged") || capture.get().accepted()) return capture;
            h.createUpdate("UPDATE capture SET accepted = true WHERE site_id = :site AND capture_id = :id")
                    .bind("site", siteId).bind("id", captureId).execute();
            Capture c = capture.get();
            if (c.source().equals("browser")) promote(h, siteId, c.pageId(), c.device(), captureId, c.capturedAt());
            return CaptureReads.find(h, siteId, captureId);
        });
    }

    /** The capture's boxes become the page's layout, in the caller's transaction. */
    static void promote(Handle h, int siteId, long pageId, String device, long captureId, Instant capturedAt) {
        List<Layouts.Box> boxes = CaptureReads.elements(h, siteId, captureId).stream()
                .map(b -> new Layouts.Box(b.selector(), b.x(), b.y(), b.width(), b.height(), b.label()))
                .toList();
        Layouts.replace(h, siteId, pageId, device, boxes, capturedAt);
    }
}
