package io.isotherm.collector;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.isotherm.db.Database;
import io.isotherm.db.TestPostgres;
import io.isotherm.db.event.RawEvent;
import io.isotherm.db.site.Site;
import io.isotherm.db.site.SiteDao;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A shop with the tracker installed, as in production but all on this machine: its pages (the HTML files under
 * {@code tracker-pages/}) are served from http://localhost:PORT, a second origin, and the tracker and the collector
 * from http://127.0.0.1:PORT. The site is registered for the pages' origin in the given database.
 *
 * <p>A page is reached under any folder: {@code /rage/layout.html} serves {@code tracker-pages/layout.html}. Tests
 * pick a folder of their own, so each test has pages (rows in {@code page}) of its own. In a page,
 * {@code {{collector}}} becomes the collector's base URL, {@code {{site}}} the site key, and {@code {{attrs}}} the
 * query parameters named {@code data-*} as attributes (for {@code <script ... {{attrs}}>}).
 */
final class TestSite implements AutoCloseable {
    /** How long to wait for data that should arrive; generous, the machine is shared. */
    static final long PATIENCE_MILLIS = 15_000;

    final Database db;
    final CollectorServer collector;
    final Site site;
    private final boolean ownsDb;
    private final HttpServer pages;
    private final String origin;

    private TestSite(Database db, boolean ownsDb, CollectorSettings settings, LongSupplier clock) {
        this.db = db;
        this.ownsDb = ownsDb;
        try {
            pages = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        origin = "http://localhost:" + pages.getAddress().getPort();
        site = new SiteDao(db.jdbi()).add("Test shop", List.of(origin), List.of());
        collector = CollectorServer.start(db, settings, clock);
        pages.createContext("/", this::serve);
        pages.start();
    }

    /** A site in a fresh database of the shared embedded PostgreSQL. */
    static TestSite start() {
        return start(CollectorSettings.defaults(), System::nanoTime);
    }

    /** A site in a fresh database, with a collector set up so whose rate limits refill by {@code clock}. */
    static TestSite start(CollectorSettings settings, LongSupplier clock) {
        return new TestSite(TestPostgres.open(), true, settings, clock);
    }

    /** A site in the given database, which the caller closes. */
    static TestSite start(Database db) {
        return new TestSite(db, false, CollectorSettings.defaults(), System::nanoTime);
    }

    /** The absolute URL of a page, e.g. {@code url("rage/layout.html")}. */
    String url(String path) {
        return origin + "/" + path;
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String name = path.substring(path.lastIndexOf('/') + 1);
            byte[] html = name.matches("[a-z-]+\\.html") ? page(name, exchange.getRequestURI().getRawQuery()) : null;
            if (html == null) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.sendResponseHeaders(200, html.length);
            exchange.getResponseBody().write(html);
        }
    }

    private byte[] page(String name, String query) throws IOException {
        try (InputStream in = TestSite.class.getResourceAsStream("/tracker-pages/" + name)) {
            if (in == null) {
                return null;
            }
            String collectorBase = collector.endpoint().resolve("/").toString();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("{{collector}}", collectorBase.substring(0, collectorBase.length() - 1))
                    .replace("{{site}}", site.publicKey())
                    .replace("{{attrs}}", attributes(query))
                    .getBytes(StandardCharsets.UTF_8);
        }
    }

    private static String attributes(String query) {
        StringBuilder attrs = new StringBuilder();
        if (query != null) {
            for (String pair : query.split("&")) {
                String[] nameValue = pair.split("=", 2);
                String name = URLDecoder.decode(nameValue[0], StandardCharsets.UTF_8);
                if (name.matches("data-[a-z-]+") && nameValue.length == 2) {
                    String value = URLDecoder.decode(nameValue[1], StandardCharsets.UTF_8);
                    String escaped = value.replace("&", "&amp;").replace("\"", "&quot;");
                    attrs.append(' ').append(name).append("=\"").append(escaped).append('"');
                }
            }
        }
        return attrs.toString();
    }

    /** The page views recorded on a page (its URL as the collector normalizes it), in the order they arrived. */
    List<UUID> pageviews(String path) {
        return db.jdbi().withHandle(h -> h.createQuery("""
                        SELECT b.pageview_id FROM ingest_batch b
                        JOIN page p ON p.site_id = b.site_id AND p.page_id = b.page_id
                        WHERE p.site_id = :site AND p.url = :url
                        GROUP BY b.pageview_id ORDER BY min(b.received_at)""")
                .bind("site", site.id())
                .bind("url", url(path))
                .mapTo(UUID.class)
                .list());
    }

    /** Every stored event of a page: page view by page view, each in the order of seq and time. */
    List<RawEvent> events(String path) {
        List<RawEvent> events = new ArrayList<>();
        for (UUID pageview : pageviews(path)) {
            events.addAll(Stored.events(db, pageview));
        }
        return events;
    }

    /** The batches stored for a page. */
    long batches(String path) {
        return Stored.count(db, """
                SELECT count(*) FROM ingest_batch b JOIN page p ON p.site_id = b.site_id AND p.page_id = b.page_id
                WHERE p.site_id = ? AND p.url = ?""", site.id(), url(path));
    }

    /** Polls a page's events until it has at least {@code count} clicks, and returns all its events. */
    List<RawEvent> awaitClicks(String path, int count) {
        return awaitEvents(path, events -> ofKind(events, "click").size() >= count);
    }

    /** The events of one kind ({@code click}, {@code move} or {@code scroll}), in their order. */
    static List<RawEvent> ofKind(List<RawEvent> events, String kind) {
        return events.stream().filter(e -> e.kind().equals(kind)).toList();
    }

    /** Polls a page's events every 100 ms until {@code complete} holds, and returns them. */
    List<RawEvent> awaitEvents(String path, Predicate<List<RawEvent>> complete) {
        return await("events of " + path, () -> events(path), complete);
    }

    /** Polls {@code probe} every 100 ms until {@code done} holds for its value, and returns that value. */
    static <T> T await(String what, Supplier<T> probe, Predicate<T> done) {
        return await(what, probe, done, PATIENCE_MILLIS);
    }

    static <T> T await(String what, Supplier<T> probe, Predicate<T> done, long patienceMillis) {
        long deadline = System.nanoTime() + patienceMillis * 1_000_000;
        while (true) {
            T value = probe.get();
            if (done.test(value)) {
                return value;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("gave up after " + patienceMillis + " ms waiting for " + what + "; last seen: " + value);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
        }
    }

    @Override
    public void close() {
        pages.stop(0);
        collector.close();
        if (ownsDb) {
            db.close();
        }
    }
}
