package io.isotherm.launcher;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A load client as the tracker behaves: each batch is sent until it is answered 202, the same batch again after any
 * failure (an error status, a refused or broken connection, a timeout). It keeps which batches were acknowledged.
 */
final class RetryingLoad implements AutoCloseable {
    static final int EVENTS_PER_BATCH = 3;
    private static final String USER_AGENT = io.isotherm.testing.Chromium.USER_AGENT;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final URI collect;
    private final String siteKey;
    private final Set<UUID> acknowledged = ConcurrentHashMap.newKeySet();
    private final AtomicInteger failedAttempts = new AtomicInteger();
    /** Statuses other than 202 and 503 (a batch that is refused is a bug of this client or of the server). */
    private final Set<Integer> unexpected = ConcurrentHashMap.newKeySet();
    private final AtomicInteger retriedBatches = new AtomicInteger();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopping;

    private RetryingLoad(int port, String siteKey) {
        this.collect = URI.create("http://127.0.0.1:" + port + "/api/collect");
        this.siteKey = siteKey;
    }

    static RetryingLoad start(int port, String siteKey, int clients) {
        var load = new RetryingLoad(port, siteKey);
        for (int i = 0; i < clients; i++) {
            Thread t = new Thread(load::run, "retrying-load-" + i);
            t.setDaemon(true);
            load.threads.add(t);
            t.start();
        }
        return load;
    }

    private void run() {
        while (!stopping) {
            UUID pageview = UUID.randomUUID();
            String body = batch(pageview);
            boolean failedOnce = false;
            while (true) { // a batch once sent is sent until acknowledged, even while stopping
                try {
                    HttpResponse<Void> r = client.send(HttpRequest.newBuilder(collect).timeout(Duration.ofSeconds(15))
                            .header("Content-Type", "text/plain").header("User-Agent", USER_AGENT)
                            .header("Origin", "https://shop.example")
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding());
                    if (r.statusCode() == 202) {
                        acknowledged.add(pageview);
                        if (failedOnce) retriedBatches.incrementAndGet();
                        break;
                    }
                    if (r.statusCode() != 503) unexpected.add(r.statusCode());
                } catch (InterruptedException e) {
                    return;
                } catch (java.io.IOException e) {
                    // refused, reset or timed out: the outcome is unknown, so the same batch goes again
                }
                failedOnce = true;
                failedAttempts.incrementAndGet();
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private String batch(UUID pageview) {
        long now = Instant.now().toEpochMilli();
        StringBuilder events = new StringBuilder();
        for (int i = 0; i < EVENTS_PER_BATCH; i++) {
            if (i > 0) events.append(',');
            events.append("{\"kind\":\"click\",\"t\":").append(now + i).append(",\"x\":").append(100 + i)
                    .append(",\"y\":200,\"selector\":\"#buy\",\"boxX\":0.5,\"boxY\":0.5,\"interactive\":true}");
        }
        return """
                {"site":"%s","pageview":"%s","seq":0,"sentAt":%d,"url":"https://shop.example/",
                 "viewport":{"width":1280,"height":720},"document":{"width":1280,"height":2400},"events":[%s]}
                """.formatted(siteKey, pageview, now, events);
    }

    /** Waits until at least {@code count} batches are acknowledged in all (a liveness bound of {@code seconds}). */
    void awaitAcknowledged(int count, int seconds) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (acknowledged.size() < count) {
            if (System.nanoTime() > end) {
                throw new AssertionError("only " + acknowledged.size() + " of " + count + " batches acknowledged within "
                        + seconds + " s (" + failedAttempts.get() + " failed attempts, unexpected statuses " + unexpected + ")");
            }
            Thread.sleep(20);
        }
    }

    int acknowledgedCount() {
        return acknowledged.size();
    }

    Set<UUID> acknowledged() {
        return Set.copyOf(acknowledged);
    }

    Set<Integer> unexpectedStatuses() {
        return Set.copyOf(unexpected);
    }

    int failedAttempts() {
        return failedAttempts.get();
    }

    int retriedBatches() {
        return retriedBatches.get();
    }

    /** Stops starting new batches, and waits for the ones in flight to be acknowledged. */
    @Override
    public void close() throws InterruptedException {
        stopping = true;
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(60));
            if (t.isAlive()) {
                t.interrupt();
                throw new AssertionError("a batch in flight was never acknowledged");
            }
        }
    }
}
