package io.isotherm.collector;

import io.isotherm.db.device.DeviceClass;
import java.util.List;
import java.util.UUID;

/** A batch that passed every check, ready to be written. {@link #key()} makes redelivery a no-op. */
record AcceptedBatch(
        int siteId,
        long pageId,
        UUID pageviewId,
        int seq,
        DeviceClass device,
        int documentWidth,
        int documentHeight,
        int viewportWidth,
        int viewportHeight,
        Float devicePixelRatio,
        String timeZone,
        List<EventRow> events) {

    record Key(int siteId, UUID pageviewId, int seq) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            int c = Integer.compare(siteId, o.siteId);
            if (c == 0) c = pageviewId.compareTo(o.pageviewId);
            return c != 0 ? c : Integer.compare(seq, o.seq);
        }
    }

    Key key() {
        return new Key(siteId, pageviewId, seq);
    }
}
