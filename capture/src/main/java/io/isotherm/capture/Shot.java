package io.isotherm.capture;

import java.net.URI;
import java.util.List;

/**
 * A full-page capture.
 *
 * @param finalUrl   where the browser ended up (after redirects)
 * @param httpStatus the main document's status, null when unknown
 * @param flag       null when the capture looks like the real page
 * @param flagReason a short sentence for the operator, null when not flagged
 * @param width      the layout width, CSS px (= image px)
 * @param height     the captured height: the document height, or maxHeight when truncated
 * @param truncated  the page is taller than what was captured
 * @param tiles      top to bottom, their heights add up to height
 * @param elements   rendered elements in document order, one per selector
 * @param title      the page's own {@code document.title}, trimmed, at most 300 chars; null when it has
 *                   none
 */
public record Shot(URI finalUrl, Integer httpStatus, Flag flag, String flagReason, int width, int height,
                   boolean truncated, List<Tile> tiles, List<ElementBox> elements, String title) {

    public Shot {
        tiles = List.copyOf(tiles);
        elements = List.copyOf(elements);
    }

    /** A shot of a page without a title. */
    public Shot(URI finalUrl, Integer httpStatus, Flag flag, String flagReason, int width, int height,
                boolean truncated, List<Tile> tiles, List<ElementBox> elements) {
        this(finalUrl, httpStatus, flag, flagReason, width, height, truncated, tiles, elements, null);
    }
}
