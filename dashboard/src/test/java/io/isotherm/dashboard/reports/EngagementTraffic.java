package io.isotherm.dashboard.reports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.isotherm.aggregator.Aggregator;
import io.isotherm.aggregator.AggregatorSettings;
import io.isotherm.dashboard.Dashboard;
import io.isotherm.dashboard.DashboardSettings;
import io.isotherm.dashboard.access.AccessMode;
import io.isotherm.db.Database;
import io.isotherm.db.TestPostgres;
import io.isotherm.db.event.RawEvent;
import io.isotherm.db.event.RawEventPartitions;
import io.isotherm.db.page.PageDao;
import io.isotherm.db.site.Site;
import io.isotherm.db.site.SiteDao;
import io.isotherm.grid.GridGeometry;
import io.isotherm.testing.StoredTraffic;
import io.isotherm.testing.TestServer;
import io.javalin.Javalin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The dashboard on a real port over a fresh database (local access mode, no capture worker), and page views stored
 * as the collector stores them, each with a known first instant, scroll reach, clicks and visit (segment values),
 * then counted by the real aggregator. Every request names its range: "today" is the machine's.
 */
final class EngagementTraffic implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    /** The days whose raw_event partitions exist. */
    static final LocalDate FIRST_DAY = LocalDate.of(2026, 3, 1);

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** A document ten first screens tall: a page view reaches 10 % by loading, more by scrolling. */
    private static final int VIEWPORT_HEIGHT = 400, DOCUMENT_HEIGHT = 4000;

    final Database db;
    private final Dashboard dashboard;
    private final Javalin app;

    EngagementTraffic() {
        this.db = TestPostgres.open();
        new RawEventPartitions(db.jdbi(), 0).ensure(FIRST_DAY, 31);
        this.dashboard = new Dashboard(db.jdbi(), GridGeometry.defaults(),
                DashboardSettings.defaults().withCaptureWorker(false, false).withAccess(AccessMode.LOCAL));
        this.app = TestServer.start("127.0.0.1", dashboard::routes);
    }

    Site site(String name, String timeZone) {
        Site site = new SiteDao(db.jdbi()).add(name, List.of("https://shop.example"), List.of());
        db.jdbi().useHandle(h -> h.execute("UPDATE site SET time_zone = ? WHERE site_id = ?", timeZone, site.id()));
        return site;
    }

    long page(Site site, String url) {
        return new PageDao(db.jdbi()).idFor(site, url);
    }

    /**
     * One page view on a device class ({@code desktop} or {@code mobile}) of a visit, first seen at {@code at}: it
     * scrolls to {@code reach} % (at least 10, its first screen), then clicks {@code clicks} times on a link,
     * {@code rage} times in rage on the same link and {@code dead} times on an element that does nothing. Its clicks
     * in all: clicks + rage + dead.
     */
    void pageview(Site site, long page, Instant at, String device, StoredTraffic.Visit visit, int reach, int clicks, int rage, int dead) {
        UUID id = UUID.randomUUID();
        int width = device.equals("mobile") ? 390 : 1440;
        List<RawEvent> events = new ArrayList<>();
        // Half a percent over the depth wanted, so that float rounding cannot take it below.
        events.add(new RawEvent(site.id(), page, id, 0, at, "scroll", device, 0, reach * DOCUMENT_HEIGHT / 100, width,
                DOCUMENT_HEIGHT, width, VIEWPORT_HEIGHT, null, null, null, false, false, false, null, (reach + 0.5f) / 100f));
        Instant t = at;
        for (int i = 0; i < clicks + rage + dead; i++) {
            t = t.plusSeconds(1);
            boolean isDead = i >= clicks + rage;
            events.add(new RawEvent(site.id(), page, id, 0, t, "click", device, 100, 100, width, DOCUMENT_HEIGHT, width,
                    VIEWPORT_HEIGHT, isDead ? "#hero > img" : "#buy", 0.5f, 0.5f, false, !isDead, i >= clicks && !isDead, null, null));
        }
        StoredTraffic.storeBatch(db.jdbi(), t.plusSeconds(5), events, visit);
    }

    void aggregate() {
        new Aggregator(db.jdbi(), AggregatorSettings.defaults()).aggregatePending();
    }

    String url() {
        return "http://127.0.0.1:" + app.port();
    }

    /** The path and query of a site's report: parameters as name, value, name, value … */
    static String path(Site site, String report, String... params) {
        StringBuilder query = new StringBuilder();
        for (int i = 0; i < params.length; i += 2) {
            query.append(query.isEmpty() ? "?" : "&").append(params[i]).append('=')
                    .append(URLEncoder.encode(params[i + 1], StandardCharsets.UTF_8));
        }
        return "/api/sites/" + site.publicKey() + "/" + report + query;
    }

    HttpResponse<String> get(String pathAndQuery) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url() + pathAndQuery)).timeout(Duration.ofSeconds(30)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The engagement report's JSON; fails unless it is a 200. */
    JsonNode engagement(Site site, String... params) {
        HttpResponse<String> response = get(path(site, "engagement", params));
        if (response.statusCode() != 200) throw new AssertionError(response.statusCode() + " " + response.body());
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        app.stop();
        dashboard.close();
        db.close();
    }
}
