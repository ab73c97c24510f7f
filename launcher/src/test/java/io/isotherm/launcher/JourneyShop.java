package io.isotherm.launcher;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The newcomer's own website for {@link NewcomerJourneyTest}: one landing page with a big "Buy now" button, on
 * 127.0.0.1 and a free port. Its {@code <head>} carries whatever tag the newcomer pasted (none at first), read at every
 * request, as a page served by a CMS would be.
 */
final class JourneyShop implements AutoCloseable {
    static final String PAGE = "/landing";

    private final HttpServer server;
    private final AtomicReference<String> tag = new AtomicReference<>("");

    JourneyShop() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            try (exchange) {
                byte[] body;
                int status;
                if (exchange.getRequestURI().getPath().equals(PAGE)) {
                    status = 200;
                    body = page().getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
                } else {
                    status = 404;
                    body = "not found".getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
                }
                exchange.getResponseHeaders().set("Cache-Control", "no-store");
                exchange.sendResponseHeaders(status, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        server.start();
    }

    /** The origin to register for the site: {@code http://127.0.0.1:PORT}. */
    String origin() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The landing page's address. */
    String pageUrl() {
        return origin() + PAGE;
    }

    /** Pastes a tag into the page's head, as the newcomer does with the snippet the Install tab shows. */
    void paste(String snippet) {
        tag.set(snippet);
    }

    private String page() {
        return """
                <!doctype html>
                <html lang="en">
                <head>
                  <meta charset="utf-8">
                  <title>Shop · Landing</title>
                  %s
                </head>
                <body style="margin: 0; font-family: sans-serif">
                  <main style="padding: 40px">
                    <h1>Our shop</h1>
                    <p>Everything you need, at a fair price.</p>
                    <button id="buy" type="button" style="width: 480px; height: 200px; font-size: 48px">Buy now</button>
                    <div style="height: 1400px"></div>
                  </main>
                </body>
                </html>
                """.formatted(tag.get());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
