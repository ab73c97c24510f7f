package io.isotherm.collector;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.isotherm.db.Database;
import io.isotherm.db.TestPostgres;
import io.isotherm.db.site.Site;
import io.isotherm.db.site.SiteDao;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.isotherm.collector.Batches.click;
import static io.isotherm.collector.Batches.events;
import static io.isotherm.collector.Batches.move;
import static io.isotherm.collector.Batches.scroll;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Damaged batches through the real endpoint into the real database: never a 5xx, never a hang, and a batch is
 * stored whole (its receipt and every one of its events) or not at all.
 */
class CollectEndpointPropertiesTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private static Database db;
    private static Site site;
    private static CollectorServer server;

    @BeforeContainer
    static void start() {
        db = TestPostgres.open();
        site = new SiteDao(db.jdbi()).add("Mutated", List.of("https://shop.example"), List.of());
        server = CollectorServer.start(db);
    }

    @AfterContainer
    static void stop() {
        if (server != null) server.close();
        if (db != null) db.close();
    }

    @Property(tries = 60)
    void a_damaged_batch_is_never_a_5xx_and_is_stored_whole_or_not_at_all(@ForAll("mutations") Mutations damage) throws Exception {
        ObjectNode batch = validBatch();
        byte[] body = damage.apply(batch);
        long receipts = Stored.count(db, "SELECT count(*) FROM ingest_batch WHERE site_id = ?", site.id());
        long events = Stored.count(db, "SELECT count(*) FROM raw_event WHERE site_id = ?", site.id());

        HttpResponse<String> answer;
        try {
            answer = HTTP.send(server.request(HttpRequest.BodyPublishers.ofByteArray(body)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw new AssertionError("no answer within 10 s to " + new String(body, java.nio.charset.StandardCharsets.UTF_8), e);
        }

        assertThat(answer.statusCode()).as(answer.body()).isLessThan(500);
        Statistics.label("answer").collect(answer.statusCode() == 202 ? "stored" : "refused");
        // Both ways are walked: some batches stay valid enough to be stored.
        Statistics.label("answer").coverage(answers -> {
            answers.check("stored").count(n -> n > 0);
            answers.check("refused").count(n -> n > 0);
        });
        long newReceipts = Stored.count(db, "SELECT count(*) FROM ingest_batch WHERE site_id = ?", site.id()) - receipts;
        long newEvents = Stored.count(db, "SELECT count(*) FROM raw_event WHERE site_id = ?", site.id()) - events;
        if (answer.statusCode() == 202) {
            // Stored whole: the receipt and as many events as the body it names has (read back as the server read it).
            assertThat(newReceipts).isEqualTo(1);
            assertThat(newEvents).isEqualTo(BatchParser.parse(body).events().size());
        } else {
            assertThat(answer.statusCode()).isBetween(400, 499);
            assertThat(Batches.parse(answer.body()).path("error").asText()).isNotBlank();
            assertThat(newReceipts).isZero();
            assertThat(newEvents).isZero();
        }
    }

    /** Up to three mutations, and now and then none. */
    @Provide
    Arbitrary<Mutations> mutations() {
        return Mutations.any(0);
    }

    /** A click with every field, a move and a scroll, on a page view of its own. */
    private static ObjectNode validBatch() {
        long now = Instant.now().toEpochMilli();
        ObjectNode batch = Batches.batch(site.publicKey(), UUID.randomUUID(), 0, now, "https://shop.example/mutated");
        batch.put("device", "desktop").put("dpr", 2).put("tz", "Europe/Berlin");
        events(batch).add(click(now - 300, 10, 20).put("selector", "#buy").put("boxX", 0.5).put("boxY", 0.5)
                .put("fixed", false).put("interactive", true).put("rage", false));
        events(batch).add(move(now - 200, 30, 40));
        events(batch).add(scroll(now - 100, 720, 1000).put("depth", 0.5));
        return batch;
    }
}
