package io.isotherm.capture;

import java.time.Duration;

/** The end of a capture's time budget; every wait inside a capture is capped by what is left. */
record Deadline(long endNanos) {

    static Deadline after(Duration budget) {
        return new Deadline(System.nanoTime() + budget.toNanos());
    }

    Duration remaining() {
        return Duration.ofNanos(Math.max(0, endNanos - System.nanoTime()));
    }

    /** The shorter of {@code bound} and what is left. */
    Duration cap(Duration bound) {
        Duration left = remaining();
        return left.compareTo(bound) < 0 ? left : bound;
    }
}
