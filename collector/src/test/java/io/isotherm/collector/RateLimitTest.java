package io.isotherm.collector;

import com.fasterxml.jackson.databind.JsonNode;
import io.isotherm.db.Database;
import io.isotherm.db.TestPostgres;
import io.isotherm.db.site.Site;
import io.isotherm.db.site.SiteDao;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The batch rate limits on a real port: over its address's or its site's allowance a batch gets 429 with
 * Retry-After and a JSON error naming the limit, nothing of it is stored, and the refusal is counted for the site.
 * Clients are told apart by {@code X-Forwarded-For}, as behind a proxy: every test request comes from loopback.
 * The limits' clock stands still ({@link ManualClock}), so no bucket refills while a test runs unless it says so.
 */
class RateLimitTest {
    private static final String FORWARDED_FOR = "X-Forwarded-For";
    private static Database db;
    private static SiteDao sites;

    @BeforeAll
    static void open() {
        db = TestPostgres.open();
        sites = new SiteDao(db.jdbi());
    }

    @AfterAll
    static void close() {
        if (db != null) db.close();
    }

    private final ManualClock clock = new ManualClock();

    private CollectorServer start(CollectLimits limits) {
        return CollectorServer.start(db, limited(limits), clock);
    }

    private static Site newSite() {
        return sites.add("Shop", List.of(CollectorServer.ORIGIN), List.of());
    }

    private static CollectorSettings limited(CollectLimits limits) {
        return CollectorSettings.defaults().withLimits(limits.withClientAddressHeader(FORWARDED_FOR))
                .withOutcomeFlushInterval(Duration.ofHours(1)); // flushed by the tests
    }

    /** A new page view's first batch of 3 events from {@code address}. */
    private static HttpResponse<String> post(CollectorServer server, Site site, UUID pageview, String address) {
        return server.send(server.request(Batches.json(Batches.simple(site.publicKey(), pageview, 0, 3)))
                .header(FORWARDED_FOR, address).build());
    }

    private static long stored(UUID pageview) {
        return Stored.count(db, "SELECT count(*) FROM ingest_batch WHERE pageview_id = ?", pageview)
                + Stored.count(db, "SELECT count(*) FROM raw_event WHERE pageview_id = ?", pageview);
    }

    private static void assertRateLimited(HttpResponse<String> response, String limit, String allowed) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(429);
        assertThat(response.headers().firstValue("Retry-After")).as("whole seconds, at least 1")
                .hasValueSatisfying(seconds -> assertThat(Long.parseLong(seconds)).isBetween(1L, 5L));
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).contains(CollectorServer.ORIGIN);
        assertThat(response.headers().firstValue("Access-Control-Expose-Headers")).contains("Retry-After");
        JsonNode body = Batches.parse(response.body());
        assertThat(body.path("limit").asText()).isEqualTo(limit);
        assertThat(body.path("error").asText()).contains(allowed);
    }

    @Test
    void an_address_over_its_batch_limit_gets_429_with_retry_after_and_nothing_is_stored_while_other_addresses_go_on() {
        Site site = newSite();
        CollectLimits limits = CollectLimits.none().withBatchesPerAddress(1, 3);
        try (var server = start(limits)) {
            for (int i = 0; i < 3; i++) {
                assertThat(post(server, site, UUID.randomUUID(), "203.0.113.7").statusCode()).as("batch %d of the burst", i).isEqualTo(202);
            }
            UUID refused = UUID.randomUUID();
            HttpResponse<String> over = post(server, site, refused, "203.0.113.7");

            assertRateLimited(over, "batches per address", "1 batches per second (3 at once) per client address");
            assertThat(stored(refused)).isZero();
            // A proxy appends the address it saw: what the client put before it does not make it someone else.
            assertThat(post(server, site, UUID.randomUUID(), "198.51.100.1, 203.0.113.7").statusCode()).isEqualTo(429);
            UUID other = UUID.randomUUID();
            assertThat(post(server, site, other, "203.0.113.8").statusCode()).as("another address").isEqualTo(202);
            assertThat(stored(other)).isEqualTo(1 + 3);
            // IPv6 clients are counted by their /64: a host cannot dodge the limit by changing its last bits.
            for (int i = 0; i < 3; i++) {
                assertThat(post(server, site, UUID.randomUUID(), "2001:db8:1:2::" + (i + 1)).statusCode()).isEqualTo(202);
            }
            assertThat(post(server, site, UUID.randomUUID(), "2001:db8:1:2:ffff::9").statusCode()).isEqualTo(429);

            assertThat(server.counter("isotherm.collect.batches.rejected", "reason", "rate_limited")).isEqualTo(3);
            assertThat(server.flushOutcomes()).isTrue();
            Map<String, Long> counts = OutcomeCounts.of(db, site.id());
            assertThat(counts).containsEntry("rate_limited batches per address", 3L).containsEntry("stored", 7L);
        }
    }

    @Test
    void a_site_over_its_batch_limit_gets_429_from_every_address_while_another_site_still_gets_in() {
        Site busy = newSite();
        Site quiet = newSite();
        try (var server = start(CollectLimits.none().withBatchesPerSite(1, 2))) {
            assertThat(post(server, busy, UUID.randomUUID(), "203.0.113.1").statusCode()).isEqualTo(202);
            assertThat(post(server, busy, UUID.randomUUID(), "203.0.113.2").statusCode()).isEqualTo(202);
            UUID refused = UUID.randomUUID();
            HttpResponse<String> over = post(server, busy, refused, "203.0.113.3");
            UUID admitted = UUID.randomUUID();
            HttpResponse<String> otherSite = post(server, quiet, admitted, "203.0.113.3");

            assertRateLimited(over, "batches per site", "1 batches per second (2 at once) per site");
            assertThat(stored(refused)).isZero();
            assertThat(otherSite.statusCode()).isEqualTo(202);
            assertThat(stored(admitted)).isEqualTo(1 + 3);
            assertThat(server.flushOutcomes()).isTrue();
            assertThat(OutcomeCounts.of(db, busy.id())).containsEntry("rate_limited batches per site", 1L);
            assertThat(OutcomeCounts.of(db, quiet.id())).doesNotContainKey("rate_limited batches per site");
        }
    }

    @Test
    void a_refused_batch_sent_again_after_its_retry_after_is_stored_once() {
        Site site = newSite();
        UUID pageview = UUID.randomUUID();
        String body = Batches.json(Batches.simple(site.publicKey(), pageview, 0, 4));
        CollectorSettings settings = limited(CollectLimits.none().withBatchesPerSite(1, 1));
        try (var server = CollectorServer.start(db, settings, clock)) {
            assertThat(post(server, site, UUID.randomUUID(), "203.0.113.1").statusCode()).isEqualTo(202);
            HttpResponse<String> refused = server.post(body);
            assertThat(refused.statusCode()).isEqualTo(429);
            // The collector's Retry-After (5 s by default) is the least a rate limit asks for, not the token's 1 s.
            assertThat(refused.headers().firstValue("Retry-After")).contains(Long.toString(settings.retryAfter().toSeconds()));

            assertThat(server.post(body).statusCode()).as("still within the second").isEqualTo(429);
            clock.advance(Duration.ofSeconds(1)); // a token is back; the tracker would have waited the whole Retry-After
            assertThat(server.post(body).statusCode()).isEqualTo(202);
            assertThat(Stored.count(db, "SELECT count(*) FROM ingest_batch WHERE pageview_id = ?", pageview)).isEqualTo(1);
            assertThat(Stored.count(db, "SELECT count(*) FROM raw_event WHERE pageview_id = ?", pageview)).isEqualTo(4);
        }
    }

    @Test
    void the_limits_are_as_configured_and_zero_turns_one_off() {
        Site site = newSite();
        try (var server = start(CollectLimits.defaults().withBatchesPerAddress(5, 20))) {
            assertThat(sendBatches(server, site, 30)).as("batches taken of 30 in an instant").isEqualTo(20);
            clock.advance(Duration.ofSeconds(1));
            assertThat(sendBatches(server, site, 10)).as("a second later").isEqualTo(5);
        }
        try (var server = start(CollectLimits.defaults().withBatchesPerAddress(0, 0))) {
            assertThat(sendBatches(server, site, 30)).as("without a limit per address").isEqualTo(30);
        }
    }

    /** Sends {@code n} batches of 3 page views from one address; returns how many were answered 202. */
    private static int sendBatches(CollectorServer server, Site site, int n) {
        UUID[] pageviews = {UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID()};
        int accepted = 0;
        for (int i = 0; i < n; i++) {
            var response = server.send(server.request(Batches.json(Batches.simple(site.publicKey(), pageviews[i % 3], i, 2)))
                    .header(FORWARDED_FOR, "203.0.113.50").build());
            if (response.statusCode() == 202) accepted++;
        }
        return accepted;
    }
}
