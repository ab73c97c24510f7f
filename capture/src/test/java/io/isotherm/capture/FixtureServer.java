package io.isotherm.capture;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/** A fixture web server on a loopback address and a random port, counting the requests it gets per path. */
final class FixtureServer implements AutoCloseable {

    record Response(int status, String contentType, byte[] body, Map<String, String> headers) {
        static Response html(String html) {
            return html(200, html);
        }

        static Response html(int status, String html) {
            return new Response(status, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8), Map.of());
        }

        static Response resource(String name) {
            try (InputStream in = FixtureServer.class.getResourceAsStream("/capture/" + name)) {
                if (in == null) throw new IllegalArgumentException("no fixture " + name);
                return new Response(200, "text/html; charset=utf-8", in.readAllBytes(), Map.of());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        static Response png(byte[] png) {
            return new Response(200, "image/png", png, Map.of());
        }

        static Response redirect(String location) {
            return new Response(302, "text/plain", new byte[0], Map.of("Location", location));
        }

        static Response empty(int status) {
            return new Response(status, "text/plain", new byte[0], Map.of());
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final Map<String, Supplier<Response>> routes = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    private final Map<String, String> userAgents = new ConcurrentHashMap<>();
    private final CountDownLatch released = new CountDownLatch(1);

    private FixtureServer(String host) throws IOException {
        server = HttpServer.create(new InetSocketAddress(host, 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor); // a held response must not hold up the others
        server.start();
    }

    /**
     * The real tracker's tag with these attributes (its script served by {@link #withTracker}), after a script that
     * keeps what it sends in {@code window.sent} (fetch and sendBeacon replaced), so a test reads the batches back.
     */
    static String recordingTracker(String attributes) {
        return "<script>window.sent = []; navigator.sendBeacon = (url, body) => "
                + "{ window.sent.push(String(body)); return true; }; window.fetch = (url, init) => "
                + "{ window.sent.push(String(init.body)); return Promise.resolve(new Response(null, {status: 202})); };</script>\n"
                + "<script src=\"/t.js\" " + attributes + "></script>\n";
    }

    /** Serves the tracker's source (tracker-js/src/t.js) at /t.js, as the collector serves its minified copy. */
    FixtureServer withTracker() {
        try {
            return route("/t.js", new Response(200, "text/javascript", Files.readAllBytes(Path.of("../tracker-js/src/t.js")), Map.of()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static FixtureServer start(String host) {
        try {
            return new FixtureServer(host);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    FixtureServer route(String path, Response response) {
        return route(path, () -> response);
    }

    FixtureServer route(String path, Supplier<Response> response) {
        routes.put(path, response);
        return this;
    }

    /** A path that never answers (until the server closes). */
    FixtureServer hold(String path) {
        return route(path, () -> {
            try {
                released.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Response.empty(500);
        });
    }

    String origin() {
        return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort();
    }

    String url(String path) {
        return origin() + path;
    }

    int hits(String path) {
        return hits.getOrDefault(path, new AtomicInteger()).get();
    }

    int totalHits() {
        return hits.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    /** The paths requested, with their counts (for failure messages). */
    Map<String, Integer> hitsByPath() {
        Map<String, Integer> copy = new java.util.TreeMap<>();
        hits.forEach((path, count) -> copy.put(path, count.get()));
        return copy;
    }

    String userAgent(String path) {
        return userAgents.get(path);
    }

    List<String> origins() {
        return List.of(origin());
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            String agent = exchange.getRequestHeaders().getFirst("User-Agent");
            if (agent != null) userAgents.put(path, agent);
            Supplier<Response> route = routes.get(path);
            Response response = route == null ? Response.empty(404) : route.get();
            exchange.getResponseHeaders().set("Content-Type", response.contentType());
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            response.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
            exchange.sendResponseHeaders(response.status(), response.body().length == 0 ? -1 : response.body().length);
            if (response.body().length > 0) exchange.getResponseBody().write(response.body());
        }
    }

    @Override
    public void close() {
        released.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
