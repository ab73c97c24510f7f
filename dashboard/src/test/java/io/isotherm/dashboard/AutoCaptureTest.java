package io.isotherm.dashboard;

import io.isotherm.capture.CaptureQueue;
import io.isotherm.db.site.Site;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Automatic captures: a page anyone can create by posting to the collector is not loaded by the server's Chromium
 * until it has real traffic (several page views, counted by the real aggregator), and each site gets at most so many
 * automatic captures an hour, however many dashboards scan at once. Captures people ask for are not limited.
 */
class AutoCaptureTest {
    private static final LocalDate SINCE = DashboardServer.TODAY.minusDays(7);
    private static final Instant AT = DashboardServer.TODAY.atTime(10, 0).toInstant(ZoneOffset.UTC);

    private static DashboardServer server;
    private static Traffic traffic;
    private static CaptureQueue queue;

    @BeforeAll
    static void start() {
        server = DashboardServer.start();
        traffic = server.traffic();
        queue = new CaptureQueue(server.db().jdbi());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static void pageviews(Site site, long page, int count) {
        for (int i = 0; i < count; i++) {
            traffic.visit(site, page).click(AT.plusSeconds(i), 100, 100, "#a").send();
        }
    }

    private static List<String> automatic(Site site) {
        return server.db().jdbi().withHandle(h -> h.createQuery("""
                        SELECT p.url || ' ' || c.device FROM capture c JOIN page p ON p.site_id = c.site_id AND p.page_id = c.page_id
                        WHERE c.site_id = :site AND c.requested_by = 'first-events' ORDER BY p.url, c.device""")
                .bind("site", site.id()).mapTo(String.class).list());
    }

    @Test
    void a_page_is_captured_automatically_only_once_it_has_several_page_views() {
        Site site = traffic.site("UTC");
        long page = traffic.page(site, "https://shop.example/new");
        var visit = traffic.visit(site, page);
        visit.click(AT, 100, 100, "#a").send();
        visit.click(AT.plusSeconds(1), 110, 100, "#a").send();
        visit.click(AT.plusSeconds(2), 120, 100, "#a").send(); // three batches, one page view
        traffic.aggregate();

        assertThat(queue.queueFirstEvents(SINCE, 3, 60)).isZero();
        assertThat(automatic(site)).isEmpty();

        pageviews(site, page, 1);
        traffic.aggregate();
        assertThat(queue.queueFirstEvents(SINCE, 3, 60)).isZero();

        pageviews(site, page, 1);
        traffic.aggregate();
        assertThat(queue.queueFirstEvents(SINCE, 3, 60)).isEqualTo(1);
        assertThat(automatic(site)).containsExactly("https://shop.example/new desktop");
    }

    @Test
    void automatic_captures_are_limited_per_site_and_hour_across_dashboards_but_requested_ones_are_not() throws Exception {
        Site busy = traffic.site("UTC");
        Site other = traffic.site("UTC");
        List<Long> pages = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            long page = traffic.page(busy, "https://shop.example/product/" + i);
            pageviews(busy, page, 3 + i); // product/5 is the busiest
            pages.add(page);
        }
        pageviews(other, traffic.page(other, "https://shop.example/"), 3);
        traffic.aggregate();

        // Two dashboards scan at the same time: together they queue no more than the limit of each site.
        ExecutorService pool = Executors.newFixedThreadPool(2);
        int queued = 0;
        try {
            List<Callable<Integer>> scans = List.of(() -> new CaptureQueue(server.db().jdbi()).queueFirstEvents(SINCE, 3, 2),
                    () -> new CaptureQueue(server.db().jdbi()).queueFirstEvents(SINCE, 3, 2));
            for (Future<Integer> scan : pool.invokeAll(scans)) queued += scan.get();
        } finally {
            pool.shutdown();
        }
        assertThat(queued).isEqualTo(3);
        assertThat(automatic(busy)).containsExactly("https://shop.example/product/4 desktop", "https://shop.example/product/5 desktop");
        assertThat(automatic(other)).containsExactly("https://shop.example/ desktop");
        assertThat(queue.queueFirstEvents(SINCE, 3, 2)).isZero();

        // People may ask for as many captures as they like, and those do not use up the automatic ones.
        for (long page : pages) queue.queue(busy.id(), page, "mobile", "https://shop.example/asked", "viewer");
        assertThat(queue.queueFirstEvents(SINCE, 3, 2)).isZero();

        // An hour later the site has room for two more.
        server.db().jdbi().useHandle(h -> h.execute("""
                UPDATE capture SET requested_at = requested_at - interval '61 minutes'
                WHERE site_id = ? AND requested_by = 'first-events'""", busy.id()));
        assertThat(queue.queueFirstEvents(SINCE, 3, 2)).isEqualTo(2);
        assertThat(automatic(busy)).hasSize(4).contains("https://shop.example/product/2 desktop", "https://shop.example/product/3 desktop");
    }
}
