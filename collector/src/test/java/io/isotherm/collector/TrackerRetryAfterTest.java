package io.isotherm.collector;

import io.isotherm.db.event.RawEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import static io.isotherm.collector.TestSite.ofKind;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The tracker in a real Chromium against a collector whose site is over its rate limit: the batch answered 429 stays
 * in the page, is sent again once the answer's Retry-After has passed (not after the tracker's own shorter backoff),
 * and is then stored exactly once.
 */
class TrackerRetryAfterTest {
    private static final Duration RETRY_AFTER = Duration.ofSeconds(2);
    private static final String NO_TIMER = "window.setInterval = () => 0;"; // only the 50-event rule sends

    @TempDir
    Path profile;

    @Test
    void a_batch_refused_with_429_is_sent_again_after_retry_after_and_stored_once() {
        ManualClock clock = new ManualClock(); // the site's allowance comes back only when the test says
        CollectorSettings settings = new CollectorSettings(64 * 1024, 10_000, 2, 0, 20_000, Duration.ofSeconds(10), RETRY_AFTER,
                io.isotherm.db.device.DeviceWidths.DEFAULT).withLimits(CollectLimits.defaults().withBatchesPerSite(1, 1));
        try (TestSite site = TestSite.start(settings, clock); BrowserSession browser = BrowserSession.start(profile)) {
            String page = "limited/layout.html";
            browser.newTab();
            browser.beforeLoad(NO_TIMER);
            browser.load(site.url(page));
            int[][] points = new int[100][];
            for (int i = 0; i < points.length; i++) { // 40 px apart: no rage bursts
                points[i] = new int[]{400 + 40 * (i % 10), 200 + 40 * (i / 10)};
            }
            browser.clicks(points); // batches of 50 events: the first takes the site's one batch, the second gets 429

            TestSite.await("the second batch refused", () -> rateLimited(site), n -> n >= 1);
            clock.advance(Duration.ofSeconds(1)); // the site may send one batch again
            TestSite.await("the second batch stored", () -> site.batches(page), n -> n >= 2);
            List<UUID> pageviews = site.pageviews(page);
            assertThat(pageviews).hasSize(1);
            // Sent again no sooner than Retry-After after the refusal, which came after the first batch was stored.
            Duration between = Duration.between(received(site, pageviews.get(0), 0), received(site, pageviews.get(0), 1));
            assertThat(between).isGreaterThanOrEqualTo(RETRY_AFTER);

            clock.advance(Duration.ofSeconds(1));
            browser.closeTab(); // the rest goes by beacon
            List<RawEvent> events = site.awaitClicks(page, 100);
            assertThat(ofKind(events, "click")).extracting(RawEvent::x, RawEvent::y)
                    .containsExactlyInAnyOrderElementsOf(Arrays.stream(points).map(p -> tuple(p[0], p[1])).toList());
            assertThat(site.batches(page)).isEqualTo(3);
            assertThat(events).extracting(RawEvent::seq).containsOnly(0, 1, 2);
            assertThat(rateLimited(site)).isGreaterThanOrEqualTo(1);
        }
    }

    private static double rateLimited(TestSite site) {
        return site.collector.counter("isotherm.collect.batches.rejected", "reason", DropReason.RATE_LIMITED.metricTag());
    }

    private static Instant received(TestSite site, UUID pageview, int seq) {
        return site.db.jdbi().withHandle(h -> h.createQuery("SELECT received_at FROM ingest_batch WHERE pageview_id = :p AND seq = :s")
                .bind("p", pageview).bind("s", seq).mapTo(Instant.class).one());
    }
}
