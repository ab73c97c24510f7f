package io.isotherm.collector;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/** A nanosecond clock that stands still until a test moves it: rate limits that refill only when the test says. */
final class ManualClock implements LongSupplier {
    private final AtomicLong nanos = new AtomicLong(System.nanoTime());

    @Override
    public long getAsLong() {
        return nanos.get();
    }

    void advance(Duration by) {
        nanos.addAndGet(by.toNanos());
    }
}
