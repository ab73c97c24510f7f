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
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a page view can hold, on a real port: more events over its life than the limit are refused as implausible
 * (422, not retried), more new page views per second from one address get 429; both are counted for the site in
 * the installation check's counts, and nothing of a refused batch is stored.
 */
class PlausibilityTest {
    private static Database db;
    private final ManualClock clock = new ManualClock();
    /** A site of each test's own, for counts of its own (JUnit makes the instance after {@link #open}). */
    private final Site site = new SiteDao(db.jdbi()).add("Shop", List.of(CollectorServer.ORIGIN), List.of());

    @BeforeAll
    static void open() {
        db = TestPostgres.open();
    }

    @AfterAll
    static void close() {
        if (db != null) db.close();
    }

    private CollectorServer start(CollectLimits limits) {
        return CollectorServer.start(db, CollectorSettings.defaults().withLimits(limits)
                .withOutcomeFlushInterval(Duration.ofHours(1)), clock);
    }

    private HttpResponse<String> post(CollectorServer server, UUID pageview, int seq, int events) {
        return server.post(Batches.simple(site.publicKey(), pageview, seq, events));
    }

    private static long stored(UUID pageview, int seq) {
        return Stored.count(db, "SELECT count(*) FROM ingest_batch WHERE pageview_id = ? AND seq = ?", pageview, seq);
    }

    private static long events(UUID pageview) {
        return Stored.count(db, "SELECT count(*) FROM raw_event WHERE pageview_id = ?", pageview);
    }

    @Test
    void a_page_view_over_its_event_limit_is_refused_as_implausible_and_counted_and_a_resend_is_not_counted_twice() {
        UUID pageview = UUID.randomUUID();
        try (var server = start(CollectLimits.none().withMaxEventsPerPageview(10))) {
            assertThat(post(server, pageview, 0, 4).statusCode()).isEqualTo(202);
            assertThat(post(server, pageview, 1, 4).statusCode()).isEqualTo(202);
            assertThat(post(server, pageview, 1, 4).statusCode()).as("a resend, stored once and counted once").isEqualTo(202);

            HttpResponse<String> over = post(server, pageview, 2, 3);

            assertThat(over.statusCode()).as(over.body()).isEqualTo(422);
            assertThat(over.headers().firstValue("Retry-After")).as("not to be sent again").isEmpty();
            JsonNode body = Batches.parse(over.body());
            assertThat(body.path("limit").asText()).isEqualTo("events per pageview");
            assertThat(body.path("error").asText()).isEqualTo("a page view holds at most 10 events; this one has 8 and the batch 3 more");
            assertThat(stored(pageview, 2)).isZero();
            assertThat(post(server, pageview, 3, 2).statusCode()).as("what still fits").isEqualTo(202);
            assertThat(post(server, pageview, 4, 1).statusCode()).isEqualTo(422);
            assertThat(events(pageview)).isEqualTo(10);

            assertThat(post(server, UUID.randomUUID(), 0, 10).statusCode()).as("another page view").isEqualTo(202);
            assertThat(server.counter("isotherm.collect.batches.rejected", "reason", "implausible")).isEqualTo(2);
            assertThat(server.flushOutcomes()).isTrue();
            assertThat(OutcomeCounts.of(db, site.id()))
                    .containsEntry("implausible events per pageview", 2L)
                    .containsEntry("stored", 4L)
                    .containsEntry("duplicate", 1L);
        }
    }

    @Test
    void an_address_starting_page_views_faster_than_allowed_gets_429_while_its_page_views_go_on() {
        try (var server = start(CollectLimits.none().withPageviewsPerAddress(1, 2))) {
            UUID first = UUID.randomUUID();
            UUID second = UUID.randomUUID();
            UUID third = UUID.randomUUID();
            assertThat(post(server, first, 0, 2).statusCode()).isEqualTo(202);
            assertThat(post(server, second, 0, 2).statusCode()).isEqualTo(202);

            HttpResponse<String> over = post(server, third, 0, 2);

            assertThat(over.statusCode()).as(over.body()).isEqualTo(429);
            assertThat(over.headers().firstValue("Retry-After")).isPresent();
            assertThat(Batches.parse(over.body()).path("limit").asText()).isEqualTo("new page views per address");
            assertThat(stored(third, 0)).isZero();
            assertThat(post(server, first, 1, 2).statusCode()).as("a page view already under way").isEqualTo(202);
            clock.advance(Duration.ofSeconds(1));
            assertThat(post(server, third, 0, 2).statusCode()).as("the refused one, a second later").isEqualTo(202);
            assertThat(stored(third, 0)).isEqualTo(1);

            assertThat(server.flushOutcomes()).isTrue();
            assertThat(OutcomeCounts.of(db, site.id())).containsEntry("rate_limited new page views per address", 1L);
        }
    }
}
