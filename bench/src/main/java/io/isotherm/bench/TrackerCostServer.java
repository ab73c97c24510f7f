package io.isotherm.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.isotherm.tracker.TrackerScript;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the tracker cost page needs, on 127.0.0.1: the two variants of the page, its script and style, the minified
 * tracker as the collector serves it, and a stub {@code POST /api/collect} that answers 202 and only counts what
 * arrives (the benchmark measures main-thread time in the page; the network part of sending is asynchronous).
 *
 * <p>Documents are served cross-origin isolated (COOP + COEP): there Chromium's {@code performance.now()} steps by
 * 5 µs instead of 100 µs.
 */
final class TrackerCostServer implements AutoCloseable {
    static final String WITH_TRACKER = "/with-tracker.html";
    static final String WITHOUT_TRACKER = "/without-tracker.html";
    static final String TRACKER_TAG = "<script src=\"/t.js\" data-site=\"bench\" data-api=\"/api/collect\"></script>";
    private static final String MARKER = "<!-- TRACKER -->";
    private static final Map<String, String> ASSETS = Map.of(
            "/bench.js", "text/javascript", "/page.js", "text/javascript", "/page.css", "text/css");
    private static final Pattern KIND = Pattern.compile("\"kind\":\"(\\w+)\"");

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(2);
    private final byte[] tracker = TrackerScript.load().minified();
    private final LongAdder batches = new LongAdder();
    private final LongAdder moves = new LongAdder();
    private final LongAdder clicks = new LongAdder();
    private final LongAdder scrolls = new LongAdder();

    TrackerCostServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Batches and events by kind received so far, e.g. "batches=40 moves=812 clicks=1180 scrolls=22". */
    String received() {
        return "batches=" + batches + " moves=" + moves + " clicks=" + clicks + " scrolls=" + scrolls;
    }

    long batchesReceived() {
        return batches.sum();
    }

    /** The page with or without the tracker tag; otherwise byte for byte the same. */
    static String page(boolean withTracker) {
        String template = resource("page.html");
        if (template.indexOf(MARKER) < 0 || template.indexOf(MARKER) != template.lastIndexOf(MARKER)) {
            throw new IllegalStateException("page.html must hold the tracker marker exactly once");
        }
        return template.replace(MARKER, withTracker ? TRACKER_TAG : "");
    }

    static String resource(String name) {
        try (InputStream in = TrackerCostServer.class.getResourceAsStream("/tracker-cost/" + name)) {
            if (in == null) {
                throw new IllegalStateException("tracker-cost/" + name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            if (method.equals("POST") && path.equals("/api/collect")) {
                count(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                exchange.sendResponseHeaders(202, -1);
            } else if (!method.equals("GET")) {
                exchange.sendResponseHeaders(405, -1);
            } else if (path.equals(WITH_TRACKER) || path.equals(WITHOUT_TRACKER)) {
                var headers = exchange.getResponseHeaders();
                headers.set("Cross-Origin-Opener-Policy", "same-origin");
                headers.set("Cross-Origin-Embedder-Policy", "require-corp");
                send(exchange, "text/html; charset=utf-8", page(path.equals(WITH_TRACKER)).getBytes(StandardCharsets.UTF_8));
            } else if (path.equals("/t.js")) {
                send(exchange, "text/javascript", tracker);
            } else if (ASSETS.containsKey(path)) {
                send(exchange, ASSETS.get(path) + "; charset=utf-8",
                        resource(path.substring(1)).getBytes(StandardCharsets.UTF_8));
            } else {
                exchange.sendResponseHeaders(404, -1);
            }
        }
    }

    private static void send(HttpExchange exchange, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
    }

    private void count(String body) {
        batches.increment();
        Matcher m = KIND.matcher(body);
        while (m.find()) {
            switch (m.group(1)) {
                case "move" -> moves.increment();
                case "click" -> clicks.increment();
                case "scroll" -> scrolls.increment();
                default -> { }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
