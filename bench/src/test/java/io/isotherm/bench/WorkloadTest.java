package io.isotherm.bench;

import io.isotherm.collector.CollectBatch;
import io.isotherm.collector.CollectorInternals;
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
    void everyBodyPassesTheCollectorAndTheCeilingCopiesTheCollectorsRows() throws Exception {
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
                // As the benchmarks send it: a fresh pageview id spliced into the rendered body.
                byte[] body = Workload.json(b).getBytes(StandardCharsets.UTF_8);
                UUID id = UUID.randomUUID();
                int[] offsets = Workload.placeholderOffsets(body);
                assertThat(offsets).hasSize(1);
                Workload.writeUuid(body, offsets[0], id.getMostSignificantBits(), id.getLeastSignificantBits());

                String collectorRows = CollectorInternals.copyRows(IngestLoad.USER_AGENT, "http://bench.example", body, SITE,
                        pageIds, Instant.ofEpochMilli(b.sentAt()));
                String benchRows = Workload.csv(b, SITE, pageIds.get(url)).replace(Workload.PLACEHOLDER_PAGEVIEW, id.toString());
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

    @Test
    void theCeilingCopiesTheCollectorsColumns() {
        assertThat(CopyCeiling.COPY_SQL).isEqualTo(CollectorInternals.copySql());
    }
}
