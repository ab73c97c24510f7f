package io.isotherm.capture;

import java.time.Instant;
import java.util.List;

/**
 * A stored capture as the API shows it; width, height and tiles are null/empty until it is captured. {@code title} is
 * the page's {@code document.title} as the capture saw it, null for uploads and pages without one.
 *
 * @param current the page's background on that device class: its newest usable capture
 */
public record Capture(long id, long pageId, String device, String source, String requestedBy, String status, String flag,
                      boolean accepted, Integer httpStatus, String url, String finalUrl, String title, String message,
                      Instant requestedAt, Instant startedAt, Instant capturedAt, Integer width, Integer height, boolean truncated,
                      int elementCount, boolean current, List<TileRef> tiles) {

    /** Where a stored tile sits in the page; its image is fetched by index. */
    public record TileRef(int index, int y, int height) {}

    /** Usable as the page's background: captured cleanly, or flagged and accepted by a user. */
    public boolean usable() {
        return status.equals("ok") || (status.equals("flagged") && accepted);
    }
}
