package io.isotherm.bench;

import io.isotherm.collector.CollectBatch;
import io.isotherm.collector.DirectIngest;
import io.isotherm.collector.EncodedBatch;
import io.isotherm.db.page.PageUrl;
import io.isotherm.db.site.Site;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The benchmarks are only meaningful if what they send is what the collector accepts and what it would store. */
class WorkloadTest {
    private static final Site SITE = new Site(7, "benchkey", "bench", List.of("http://bench.example"), List.of(), "UTC");

    @Test
    void everyBodyPassesTheCollectorAndTheCeilingCopiesTheCollectorsRows() {
        long now = System.currentTimeMillis();
        List<Workload.Pageview> pageviews = new Workload(SITE.publicKey(), "http://bench.example", 1).pageviews(300, now);
        Map<String, Long> pageIds = new HashMap<>();
        int batches = 0, events = 0, clicks = 0, scrolls = 0, withSelector = 0;
        for (Workload.Pageview pv : pageviews) {
            String url = PageUrl.normalize(pv.url(), List.of());
            pageIds.putIfAbsent(url, 100L + pageIds.size());
            int expectedSeq = 0;
            for (CollectBatch b : pv.batches()) {
                assertThat(b.seq()).isEqualTo(expectedSeq++);
                assertThat(b.events()).hasSizeBetween(Workload.MIN_EVENTS, Workload.MAX_EVENTS);
                assertThat(b.events()).allSatisfy(e -> assertThat(e.t()).isBetween(b.sentAt() - Workload.BATCH_INTERVAL_MS, b.sentAt()));
                // As the HTTP benchmark sends it: a fresh pageview id spliced into the rendered body.
                byte[] rendered = Workload.json(b).getBytes(StandardCharsets.UTF_8);
                byte[] body = rendered.clone();
                UUID id = UUID.randomUUID();
                int[] offsets = Workload.placeholderOffsets(body);
                assertThat(offsets).hasSize(1);
                Workload.writeUuid(body, offsets[0], id.getMostSignificantBits(), id.getLeastSignificantBits());
                String collectorRows = rows(body, pageIds, b);
                // As the ceiling stores it: the rows of the rendered body with the id spliced in.
                String benchRows = rows(rendered, pageIds, b).replace(Workload.PLACEHOLDER_PAGEVIEW, id.toString());
                assertThat(benchRows).isEqualTo(collectorRows);

                batches++;
                events += b.events().size();
                clicks += (int) b.events().stream().filter(e -> e.kind().equals("click")).count();
                withSelector += (int) b.events().stream().filter(e -> e.selector() != null).count();
                scrolls += (int) b.events().stream().filter(e -> e.kind().equals("scroll")).count();
            }
        }
        assertThat(pageIds).hasSizeBetween(4, 6);
        assertThat((double) clicks / events).isBetween(0.03, 0.20);
        assertThat((double) scrolls / events).isBetween(0.05, 0.35);
        assertThat(withSelector).isGreaterThan(clicks * 9 / 10);
        assertThat(batches).isGreaterThan(300);
    }

    /** What the collector stores for a body sent by the HTTP benchmark, received at its sentAt. */
    private static String rows(byte[] body, Map<String, Long> pageIds, CollectBatch b) {
        EncodedBatch batch = DirectIngest.encode(IngestLoad.USER_AGENT, "http://bench.example", body, SITE, pageIds::get,
                Instant.ofEpochMilli(b.sentAt()));
        return new String(batch.rows(), StandardCharsets.UTF_8);
    }
}
