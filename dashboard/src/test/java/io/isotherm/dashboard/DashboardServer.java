package io.isotherm.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.isotherm.dashboard.access.AccessMode;
import io.isotherm.dashboard.access.AccessSettings;
import io.isotherm.db.Database;
import io.isotherm.db.TestPostgres;
import io.isotherm.db.site.Site;
import io.isotherm.grid.GridGeometry;
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
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The dashboard's routes on a real server at a random port, configured as the launcher's (Jackson for JSON), with
 * "today" fixed at {@link #TODAY} (noon UTC) so default ranges and weekdays are known.
 */
public final class DashboardServer implements AutoCloseable {
    public static final LocalDate TODAY = LocalDate.of(2025, 3, 12); // a Wednesday
    public static final ObjectMapper JSON = new ObjectMapper();

    private static final Clock CLOCK = Clock.fixed(TODAY.atTime(12, 0).toInstant(ZoneOffset.UTC), ZoneOffset.UTC);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public record Response(int status, JsonNode json) {}

    private final Javalin app;
    private final Database db;
    private final Dashboard dashboard;

    /** A fresh migrated database and a server on it, without a capture worker; {@link #close()} stops both. */
    public static DashboardServer start() {
        return start(DashboardSettings.defaults().withCaptureWorker(false, false));
    }

    static DashboardServer start(DashboardSettings settings) {
        return start(settings, db -> { });
    }

    /**
     * In the local access mode, as the read-API and viewer tests assume: this machine, no sign-in.
     *
     * @param prepare writes into the fresh database before the dashboard (and its capture worker) starts
     */
    static DashboardServer start(DashboardSettings settings, Consumer<Database> prepare) {
        Database db = TestPostgres.open();
        prepare.accept(db);
        return new DashboardServer(db, settings.withAccess(AccessMode.LOCAL));
    }

    /** In the local access mode, without a capture worker, with the grids' shape given (layout widths, say). */
    static DashboardServer start(GridGeometry grid) {
        return new DashboardServer(TestPostgres.open(), grid,
                DashboardSettings.defaults().withCaptureWorker(false, false).withAccess(AccessMode.LOCAL));
    }

    /** With accounts and sign-in, as the launcher's default is; no capture worker. */
    static DashboardServer startWithAccounts(AccessSettings access) {
        return new DashboardServer(TestPostgres.open(), DashboardSettings.defaults().withCaptureWorker(false, false).withAccess(access));
    }

    private DashboardServer(Database db, DashboardSettings settings) {
        this(db, GridGeometry.defaults(), settings);
    }

    private DashboardServer(Database db, GridGeometry grid, DashboardSettings settings) {
        this.db = db;
        this.dashboard = new Dashboard(db.jdbi(), grid, settings, CLOCK);
        this.app = TestServer.start("127.0.0.1", dashboard::routes);
    }

    public Database db() {
        return db;
    }

    /** Writes events into this server's database. */
    Traffic traffic() {
        return new Traffic(db, TODAY);
    }

    /** GET {@code /api/sites/{site}/{report}} with the query parameters given as name, value, name, value … */
    public Response get(String site, String report, String... params) {
        List<String> pairs = new ArrayList<>();
        for (int i = 0; i < params.length; i += 2) {
            pairs.add(params[i] + "=" + URLEncoder.encode(params[i + 1], StandardCharsets.UTF_8));
        }
        String query = pairs.isEmpty() ? "" : "?" + String.join("&", pairs);
        return get("/api/sites/" + site + "/" + report + query);
    }

    /** This server's root URL, without a trailing slash. */
    public String url() {
        return "http://127.0.0.1:" + app.port();
    }

    /** The viewer of a site's page, with more of its query string (e.g. {@code &map=scroll}) or "". */
    String viewUrl(Site site, String page, String query) {
        return url() + "/view?site=" + site.publicKey() + "&page=" + URLEncoder.encode(page, StandardCharsets.UTF_8) + query;
    }

    /** POST {@code body} with a content type; the answer's JSON. */
    Response post(String path, String contentType, byte[] body) {
        return send(HttpRequest.newBuilder(URI.create(url() + path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    /** Any method with a JSON body (null for none). */
    Response request(String method, String path, String json) {
        return send(HttpRequest.newBuilder(URI.create(url() + path)).header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json)));
    }

    Response postJson(String path, String json) {
        return post(path, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    /** GET, the answer as bytes (images, heatmap.bin). */
    HttpResponse<byte[]> getBytes(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(30)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public Response get(String pathAndQuery) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + pathAndQuery))
                .timeout(Duration.ofSeconds(30))
                .GET()
                .build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), JSON.readTree(response.body()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        app.stop();
        dashboard.close();
        db.close();
    }
}
