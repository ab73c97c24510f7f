package io.isotherm.collector;

import java.util.List;

/**
 * One request body of {@code POST /api/collect}, exactly as the tracker sends it (documented in docs/COLLECT-API.md).
 * Boxed types let validation tell a missing field from a zero.
 *
 * @param referrer the host of the page that referred the visitor ({@code document.referrer}'s), the page's own host
 *                 for a later page view of a single-page app; absent: none
 * @param query    the landing URL's query string ({@code location.search}), of which only the utm values are kept
 * @param variant  the experiment variant the page set on the script tag ({@code data-variant}); absent: none
 */
public record CollectBatch(
        String site,
        String pageview,
        Integer seq,
        Long sentAt,
        String url,
        String referrer,
        String query,
        String variant,
        Size viewport,
        Size document,
        String device,
        Double dpr,
        String tz,
        List<Event> events) {

    public record Size(Integer width, Integer height) {
    }

    /**
     * @param kind        click, move or scroll
     * @param t           client time in epoch ms (only its distance to {@code sentAt} is trusted)
     * @param x           page px (viewport px when {@code fixed}); not sent for scroll
     * @param y           page px (viewport px when {@code fixed}); for scroll, the bottom of the viewport
     * @param selector    clicks: CSS selector of the target
     * @param boxX        clicks: position inside the target's box, 0..1 from its left edge
     * @param boxY        clicks: position inside the target's box, 0..1 from its top edge
     * @param fixed       clicks: target sits in a position:fixed/sticky container
     * @param interactive clicks: target or an ancestor is a link, button, input or looks clickable
     * @param rage        clicks: part of a rage-click burst
     * @param dwell       scroll: ms the viewport stayed at this depth; absent: the deepest point reached so far
     * @param depth       scroll: y as a fraction of the document height when the event happened
     */
    public record Event(
            String kind,
            Long t,
            Double x,
            Double y,
            String selector,
            Double boxX,
            Double boxY,
            Boolean fixed,
            Boolean interactive,
            Boolean rage,
            Long dwell,
            Double depth) {
    }
}
