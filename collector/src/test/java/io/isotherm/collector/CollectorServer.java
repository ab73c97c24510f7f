package io.isotherm.collector;

import com.fasterxml.jackson.databind.JsonNode;
import io.isotherm.db.Database;
import io.isotherm.testing.TestServer;
import io.javalin.Javalin;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A real collector on a real, random HTTP port, in front of the given database, and the requests the tests send
 * to it. By default a request looks like the tracker's: POST, {@code text/plain}, a desktop Chrome user agent and
 * the Origin of the shop the test sites are registered for.
 */
final class CollectorServer implements AutoCloseable {
    static final String CHROME_UA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            + "Chrome/131.0.0.0 Safari/537.36";
    static final String ORIGIN = "https://shop.example";

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Collector collector;
    private final Javalin app;
    private final URI endpoint;

    private CollectorServer(Database db, CollectorSettings settings, LongSupplier nanoTime) {
        this.collector = new Collector(db, settings, 7, registry, nanoTime);
        Javalin started;
        try {
            started = TestServer.start("0.0.0.0", collector::routes);
        } catch (RuntimeException e) {
            collector.close();
            throw e;
        }
        this.app = started;
        this.endpoint = URI.create("http://127.0.0.1:" + app.port() + "/api/collect");
    }

    static CollectorServer start(Database db) {
        return start(db, CollectorSettings.defaults());
    }

    static CollectorServer start(Database db, CollectorSettings settings) {
        return new CollectorServer(db, settings, System::nanoTime);
    }

    /** A collector whose rate limits refill by {@code clock} (a {@link ManualClock}, say). */
    static CollectorServer start(Database db, CollectorSettings settings, LongSupplier clock) {
        return new CollectorServer(db, settings, clock);
    }

    URI endpoint() {
        return endpoint;
    }

    /** A tracker-like POST of {@code body}, ready for more headers. */
    HttpRequest.Builder request(HttpRequest.BodyPublisher body) {
        return HttpRequest.newBuilder(endpoint)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "text/plain;charset=UTF-8")
                .header("User-Agent", CHROME_UA)
                .header("Origin", ORIGIN)
                .POST(body);
    }

    HttpRequest.Builder request(String body) {
        return request(HttpRequest.BodyPublishers.ofString(body));
    }

    HttpResponse<String> post(JsonNode batch) {
        return post(Batches.json(batch));
    }

    HttpResponse<String> post(String body) {
        return send(request(body).build());
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Writes the collector's outcome counts now; false when the database could not take them. */
    boolean flushOutcomes() {
        return collector.flushOutcomes();
    }

    /** The current value of a counter of the collector's registry (0 when it was never registered). */
    double counter(String name, String... tags) {
        var counter = registry.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    @Override
    public void close() {
        app.stop();
        collector.close();
    }
}
