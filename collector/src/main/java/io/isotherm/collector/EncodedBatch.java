package io.isotherm.collector;

/**
 * A batch as the group commit takes it: its receipt, and its raw_event rows already encoded as COPY CSV (on the
 * request thread, so that the writer's transaction only concatenates bytes).
 */
public record EncodedBatch(BatchReceipt receipt, byte[] rows) {
    static EncodedBatch of(AcceptedBatch batch) {
        return new EncodedBatch(batch.receipt(), EventCopyEncoder.encode(batch.rows()));
    }
}
