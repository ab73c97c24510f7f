package io.isotherm.collector;

import java.time.Instant;
import java.util.UUID;

/**
 * One row of ingest_batch as the collector inserts it: the receipt that makes a redelivered batch a no-op.
 * {@code firstEventAt} and {@code lastEventAt}: when its earliest and latest events happened, exactly as their rows
 * store it (to the microsecond), so the aggregator reads them from that range of raw_event; null without events.
 */
public record BatchReceipt(
        int siteId,
        UUID pageviewId,
        int seq,
        long pageId,
        int eventCount,
        Float devicePixelRatio,
        String timeZone,
        Visit visit,
        Instant firstEventAt,
        Instant lastEventAt) {

    /** What identifies a batch: the tracker sends it again under the same key until it is acknowledged. */
    public record Key(int siteId, UUID pageviewId, int seq) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            int c = Integer.compare(siteId, o.siteId);
            if (c == 0) c = pageviewId.compareTo(o.pageviewId);
            return c != 0 ? c : Integer.compare(seq, o.seq);
        }
    }

    public Key key() {
        return new Key(siteId, pageviewId, seq);
    }

    /** The same receipt under another pageview id: for tools that replay one batch as many new ones. */
    public BatchReceipt withPageview(UUID id) {
        return new BatchReceipt(siteId, id, seq, pageId, eventCount, devicePixelRatio, timeZone, visit, firstEventAt, lastEventAt);
    }
}
