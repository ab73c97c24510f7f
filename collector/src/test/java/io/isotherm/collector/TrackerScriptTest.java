package io.isotherm.collector;

import io.isotherm.db.Database;
import io.isotherm.db.TestPostgres;
import io.isotherm.tracker.TrackerScript;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /t.js} as tracker-js/README.md promises it: cacheable, revalidated by ETag, gzip-encoded, loadable from
 * any site.
 */
class TrackerScriptTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static Database db;
    private static CollectorServer server;
    private static URI script;

    @BeforeAll
    static void start() {
        db = TestPostgres.open();
        server = CollectorServer.start(db);
        script = server.endpoint().resolve("/t.js");
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
        if (db != null) db.close();
    }

    @Test
    void serves_the_minified_tracker_gzipped_with_cache_and_cors_headers() throws Exception {
        HttpResponse<byte[]> response = get(HttpRequest.newBuilder(script).header("Accept-Encoding", "gzip, deflate, br"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("text/javascript"));
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("public, max-age=3600, stale-while-revalidate=86400");
        assertThat(response.headers().firstValue("ETag")).hasValue(TrackerScript.load().etag())
                .hasValueSatisfying(etag -> assertThat(etag).as("a strong ETag").matches("\"[^\"]+\""));
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        assertThat(response.headers().firstValue("Cross-Origin-Resource-Policy")).hasValue("cross-origin");
        byte[] minified = TrackerScript.load().minified();
        assertThat(gunzip(response.body())).isEqualTo(minified);
        assertThat(response.body().length).isLessThan(minified.length);
    }

    @Test
    void answers_head_with_the_headers_of_get_and_no_body() throws Exception {
        for (String encoding : new String[]{"gzip", "identity"}) {
            HttpResponse<byte[]> got = get(HttpRequest.newBuilder(script).header("Accept-Encoding", encoding));
            HttpResponse<byte[]> head = HTTP.send(HttpRequest.newBuilder(script).header("Accept-Encoding", encoding)
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());

            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.body()).isEmpty();
            assertThat(got.headers().firstValue("Content-Length")).hasValue(String.valueOf(got.body().length));
            for (String name : new String[]{"Content-Type", "Content-Length", "Content-Encoding", "Cache-Control", "ETag", "Vary",
                    "Access-Control-Allow-Origin", "Cross-Origin-Resource-Policy", "X-Content-Type-Options"}) {
                assertThat(head.headers().allValues(name)).as(encoding + " " + name).isEqualTo(got.headers().allValues(name));
            }
        }
    }

    @Test
    void serves_the_same_script_uncompressed_to_clients_without_gzip() throws Exception {
        HttpResponse<byte[]> response = get(HttpRequest.newBuilder(script));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(response.body()).isEqualTo(TrackerScript.load().minified());
    }

    @Test
    void answers_304_without_a_body_to_a_matching_if_none_match_and_200_to_another() throws Exception {
        String etag = get(HttpRequest.newBuilder(script)).headers().firstValue("ETag").orElseThrow();

        HttpResponse<byte[]> same = get(HttpRequest.newBuilder(script)
                .header("If-None-Match", etag).header("Accept-Encoding", "gzip"));
        assertThat(same.statusCode()).isEqualTo(304);
        assertThat(same.body()).isEmpty();
        assertThat(same.headers().firstValue("ETag")).hasValue(etag);
        assertThat(same.headers().firstValue("Cache-Control")).hasValue("public, max-age=3600, stale-while-revalidate=86400");

        // A list, and a weak tag (If-None-Match compares weakly).
        assertThat(get(HttpRequest.newBuilder(script).header("If-None-Match", "\"other\", W/" + etag)).statusCode())
                .isEqualTo(304);
        assertThat(get(HttpRequest.newBuilder(script).header("If-None-Match", "\"other\"")).statusCode()).isEqualTo(200);
    }

    private static HttpResponse<byte[]> get(HttpRequest.Builder request) throws IOException, InterruptedException {
        return HTTP.send(request.GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static byte[] gunzip(byte[] gzipped) throws IOException {
        try (var in = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
            return in.readAllBytes();
        }
    }
}
