package io.isotherm.grid;

import io.isotherm.db.Columns;
import io.isotherm.grid.ViewStore.ViewKey;
import org.jdbi.v3.core.Handle;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/**
 * The current layout of a page on a device class: its element boxes by the tracker's selectors, written by the
 * screenshot capture. Heatmaps draw anchored clicks onto these boxes, so a new layout moves the page's clicks.
 */
public final class Layouts {
    /** An element's box in layout px, with the label the capture took from the page (null when none). */
    public record Box(String selector, int x, int y, int width, int height, String label) {
        /** A box without a label. */
        public Box(String selector, int x, int y, int width, int height) {
            this(selector, x, y, width, height, null);
        }
    }

    /**
     * The most boxes a capture records. A layout with this many may lack elements that are on the screenshot, so
     * heatmaps draw clicks on elements it does not know from their cells, as before any capture.
     */
    public static final int MAX_ELEMENTS = 10_000;

    private Layouts() {
    }

    /**
     * Makes {@code boxes} the page's layout on that device class, in the caller's transaction. Its stored click views
     * were drawn on the old boxes: they are dropped (reads compute afresh) and marked for the next refresh.
     */
    public static void replace(Handle h, int siteId, long pageId, String device, List<Box> boxes, Instant capturedAt) {
        h.createUpdate("DELETE FROM layout_element WHERE site_id = :site AND page_id = :page AND device = :device::device_class")
                .bind("site", siteId).bind("page", pageId).bind("device", device)
                .execute();
        Columns rows = new Columns("selector", String.class, "x", Integer.class, "y", Integer.class,
                "width", Integer.class, "height", Integer.class, "label", String.class);
        boxes.forEach(b -> rows.add(b.selector(), b.x(), b.y(), b.width(), b.height(), b.label()));
        if (!rows.isEmpty()) {
            rows.bind(h.createUpdate("""
                            INSERT INTO layout_element (site_id, page_id, device, selector, x, y, width, height, label, captured_at)
                            SELECT :site, :page, :device::device_class, selector, x, y, width, height, label, :at
                            FROM unnest(:selector, :x, :y, :width, :height, :label) AS b(selector, x, y, width, height, label)
                            ON CONFLICT DO NOTHING"""))
                    .bind("site", siteId).bind("page", pageId).bind("device", device)
                    .bind("at", capturedAt.atOffset(ZoneOffset.UTC))
                    .execute();
        }
        h.createUpdate("""
                        DELETE FROM heatmap_view
                        WHERE site_id = :site AND page_id = :page AND device = :device::device_class AND kind = 'click'""")
                .bind("site", siteId).bind("page", pageId).bind("device", device)
                .execute();
        ViewStore.markDirty(h, List.of(new ViewKey(siteId, pageId, device, "click")));
    }
}
