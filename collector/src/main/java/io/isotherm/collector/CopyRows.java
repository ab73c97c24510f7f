package io.isotherm.collector;

import io.isotherm.db.device.DeviceWidths;
import io.isotherm.db.site.Site;

import java.time.Instant;

/**
 * The raw_event rows the collector COPYs for a batch, for tools that must store exactly the same rows without
 * going through HTTP (the bench's COPY ceiling). Validates like the endpoint does.
 */
public final class CopyRows {
    public static final String COPY_SQL = EventCopyEncoder.COPY_SQL;

    private CopyRows() {
    }

    /** @throws CollectRejection where the endpoint would refuse the batch */
    public static byte[] of(CollectBatch batch, Site site, long pageId, Instant receivedAt) {
        return of(batch, site, pageId, receivedAt, DeviceWidths.DEFAULT);
    }

    public static byte[] of(CollectBatch batch, Site site, long pageId, Instant receivedAt, DeviceWidths deviceWidths) {
        String pageUrl = BatchValidator.pageUrl(batch, site);
        return EventCopyEncoder.encode(BatchValidator.validate(batch, site, pageUrl, url -> pageId, receivedAt, deviceWidths));
    }
}
