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
 * A site owner's website for the journey tests, on 127.0.0.1 and a free port: HTML pages by path, each with whatever
 * tag the owner pasted (none at first), read at every request as a page served by a CMS would be; 404 for other paths.
 */
class TaggedSite implements AutoCloseable {
    /** The page at a path (without its query string), with the tag in it; null when there is none. */
    interface Pages {
        String page(String path, String tag);
    }

    private final HttpServer server;
    private final AtomicReference<String> tag = new AtomicReference<>("");

    TaggedSite(Pages pages) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            try (exchange) {
                String page = pages.page(exchange.getRequestURI().getPath(), tag.get());
                byte[] body = (page == null ? "not found" : page).getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", page == null ? "text/plain; charset=utf-8" : "text/html; charset=utf-8");
                exchange.getResponseHeaders().set("Cache-Control", "no-store");
                exchange.sendResponseHeaders(page == null ? 404 : 200, body.length);
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

    /** Pastes the site's tag into every page, as the owner does with the snippet the Install tab shows. */
    void paste(String snippet) {
        tag.set(snippet);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
