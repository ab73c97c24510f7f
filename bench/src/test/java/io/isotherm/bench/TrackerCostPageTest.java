package io.isotherm.bench;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** The tracker cost benchmark compares two pages; that comparison only means something if they differ in the tag alone. */
class TrackerCostPageTest {
    @Test
    void the_two_variants_differ_only_in_the_tracker_tag() {
        String with = TrackerCostServer.page(true), without = TrackerCostServer.page(false);

        assertThat(with).containsOnlyOnce(TrackerCostServer.TRACKER_TAG);
        assertThat(with.replace(TrackerCostServer.TRACKER_TAG, "")).isEqualTo(without);
        assertThat(without).doesNotContain("/t.js");
    }

    @Test
    void the_harness_loads_before_the_tracker_so_that_its_manual_clock_is_the_one_the_tracker_keeps() {
        String with = TrackerCostServer.page(true);

        assertThat(with.indexOf("<script src=\"/bench.js\">")).isBetween(0, with.indexOf(TrackerCostServer.TRACKER_TAG));
        assertThat(TrackerCostServer.resource("bench.js")).contains("window.trackerCost", "Date.now = ");
    }

    @Test
    void serves_both_pages_their_assets_the_tracker_and_a_stub_collect_endpoint() throws Exception {
        var http = HttpClient.newHttpClient();
        try (var server = new TrackerCostServer()) {
            for (String path : new String[]{TrackerCostServer.WITH_TRACKER, TrackerCostServer.WITHOUT_TRACKER}) {
                HttpResponse<String> page = http.send(get(server, path), HttpResponse.BodyHandlers.ofString());
                assertThat(page.statusCode()).isEqualTo(200);
                // Cross-origin isolated, for performance.now() in 5 µs steps.
                assertThat(page.headers().firstValue("Cross-Origin-Embedder-Policy")).hasValue("require-corp");
                assertThat(page.headers().firstValue("Cross-Origin-Opener-Policy")).hasValue("same-origin");
            }
            for (String path : new String[]{"/bench.js", "/page.js", "/page.css", "/t.js"}) {
                assertThat(http.send(get(server, path), HttpResponse.BodyHandlers.ofString()).body()).as(path).isNotBlank();
            }
            var post = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/collect"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"events\":[{\"kind\":\"click\"},{\"kind\":\"move\"}]}")).build();
            assertThat(http.send(post, HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(202);
            assertThat(server.received()).isEqualTo("batches=1 moves=1 clicks=1 scrolls=0");
        }
    }

    private static HttpRequest get(TrackerCostServer server, String path) {
        return HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).build();
    }
}
