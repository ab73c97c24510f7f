package io.isotherm.collector;

import java.time.Instant;

/** One validated event: the per-event columns of a raw_event row (the rest comes from its batch). */
record EventRow(
        Instant occurredAt,
        String kind,
        int x,
        int y,
        String selector,
        Float boxX,
        Float boxY,
        boolean fixed,
        boolean interactive,
        boolean rage,
        Integer dwellMs,
        Float depth) {
}
