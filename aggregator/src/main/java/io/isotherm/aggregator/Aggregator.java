package io.isotherm.aggregator;

/**
 * The aggregator role. Not built yet: it starts, reports itself as a placeholder on /health, and does no work.
 * Raw events wait in ingest_batch/raw_event (aggregated_at IS NULL) until it arrives.
 */
public final class Aggregator implements AutoCloseable {

    public String status() {
        return "placeholder: not built yet";
    }

    @Override
    public void close() {
    }
}
