package io.isotherm.aggregator;

import java.time.Instant;
import java.util.UUID;

/** One row of raw_event, as the collector stored it (see docs/COLLECT-API.md for the fields' meaning). */
record RawEvent(
        int siteId,
        long pageId,
        UUID pageviewId,
        Instant occurredAt,
        String kind,
        String device,
        int x,
        int y,
        int documentWidth,
        int documentHeight,
        int viewportWidth,
        int viewportHeight,
        String selector,
        Float boxX,
        Float boxY,
        boolean fixed,
        boolean interactive,
        boolean rage,
        Integer dwellMs,
        Float depth) {
}
