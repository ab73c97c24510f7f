package io.isotherm.launcher;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The app-like website of {@link AppPagesAccuracyTest}, on 127.0.0.1 and a free port: the pages under
 * {@code app-pages/} in the test resources, each served at its name without {@code .html} (any query string is the
 * page's own business), with the site's tag where the page says {@code <!--tag-->}.
 */
final class AppPagesSite implements AutoCloseable {
    private static final Set<String> PAGES = Set.of("app", "sticky", "drawer", "component", "frame", "frame-inner", "card");

    private final HttpServer server;
    private final AtomicReference<String> tag = new AtomicReference<>("");

    AppPagesSite() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            try (exchange) {
                String name = exchange.getRequestURI().getPath().substring(1);
                byte[] body = PAGES.contains(name) ? page(name).getBytes(StandardCharsets.UTF_8) : null;
                exchange.getResponseHeaders().set("Content-Type", body == null ? "text/plain; charset=utf-8" : "text/html; charset=utf-8");
                exchange.getResponseHeaders().set("Cache-Control", "no-store");
                if (body == null) body = "not found".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(PAGES.contains(name) ? 200 : 404, body.length);
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

    /** A page's address, e.g. {@code url("/card?w=1280")}. */
    String url(String pathAndQuery) {
        return origin() + pathAndQuery;
    }

    /** The site's tag, as the Install tab gives it, pasted into every page. */
    void paste(String snippet) {
        tag.set(snippet);
    }

    private String page(String name) {
        try (InputStream in = AppPagesSite.class.getResourceAsStream("/app-pages/" + name + ".html")) {
            if (in == null) throw new IllegalStateException("no fixture page app-pages/" + name + ".html");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("<!--tag-->", tag.get());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
