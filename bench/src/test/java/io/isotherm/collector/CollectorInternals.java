package io.isotherm.collector;

import io.isotherm.db.device.DeviceWidths;
import io.isotherm.db.site.Origins;
import io.isotherm.db.site.Site;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

/**
 * Test-only bridge to the collector's package-private ingest path, so the bench's tests can check that its
 * generated bodies pass the collector's parsing and validation and that its CSV equals the collector's.
 */
public final class CollectorInternals {
    private CollectorInternals() {
    }

    /**
     * Runs a body through the collector's checks (bot filter, parsing, site key, URL, origins, validation) and returns
     * the CSV its writer would COPY; throws {@link CollectRejection} where the collector would refuse it.
     */
    public static String copyRows(String userAgent, String originHeader, byte[] body, Site site, Map<String, Long> pageIds,
                                  Instant receivedAt) throws Exception {
        if (BotFilter.isBot(userAgent)) {
            throw new IllegalArgumentException("the collector would drop this user agent as a bot");
        }
        CollectBatch batch = CollectHandler.JSON.readValue(body, CollectBatch.class);
        if (!BatchValidator.siteKey(batch).equals(site.publicKey())) {
            throw new IllegalArgumentException("wrong site key");
        }
        String pageUrl = BatchValidator.pageUrl(batch, site);
        if (!Origins.allowed(site.origins(), originHeader) || !Origins.allowed(site.origins(), Origins.of(URI.create(pageUrl)))) {
            throw new IllegalArgumentException("origin not allowed");
        }
        AcceptedBatch accepted = BatchValidator.validate(batch, site, pageUrl, pageIds::get, receivedAt, DeviceWidths.DEFAULT);
        return new String(EventCopyEncoder.encode(accepted), StandardCharsets.UTF_8);
    }

    public static String copySql() {
        return EventCopyEncoder.COPY_SQL;
    }
}
