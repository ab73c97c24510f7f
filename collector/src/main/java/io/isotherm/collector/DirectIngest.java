package io.isotherm.collector;

import io.isotherm.db.device.DeviceWidths;
import io.isotherm.db.site.Site;

import java.time.Instant;
import java.util.Optional;
import java.util.function.ToLongFunction;

/**
 * {@code POST /api/collect} without HTTP or a database, for tools that must store exactly what the collector stores
 * (the bench's COPY ceiling): a body goes through the endpoint's own steps and comes out as the receipt and rows its
 * writer would store with {@link IngestTransaction}, or as the {@link Drop} it would answer.
 */
public final class DirectIngest {
    /** Loaded once: the referrer list and the user agent parser take a moment to read. */
    private static final VisitClassifier VISITS = VisitClassifier.standard();

    private DirectIngest() {
    }

    /**
     * @param site    the one site there is
     * @param pageIds the page id of each normalized page URL
     * @throws Drop where the endpoint would drop the batch
     */
    public static EncodedBatch encode(String userAgent, String originHeader, byte[] body, Site site, ToLongFunction<String> pageIds,
                                      Instant receivedAt) {
        if (BotFilter.isBot(userAgent)) {
            throw Drop.bot();
        }
        var steps = new IngestSteps(key -> key.equals(site.publicKey()) ? Optional.of(site) : Optional.empty(),
                (siteId, url) -> pageIds.applyAsLong(url), DeviceWidths.DEFAULT, VISITS);
        CollectBatch batch = BatchParser.parse(body);
        Site found = steps.findSite(batch);
        return EncodedBatch.of(steps.accept(batch, found, originHeader, userAgent, receivedAt));
    }
}
