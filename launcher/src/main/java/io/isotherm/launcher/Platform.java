package io.isotherm.launcher;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.isotherm.aggregator.Aggregator;
import io.isotherm.collector.Collector;
import io.isotherm.dashboard.Dashboard;
import io.isotherm.launcher.http.BodyReadErrors;
import io.isotherm.launcher.http.JettySetup;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.function.Supplier;

/**
 * A running Isotherm: the database, the selected roles, and one HTTP server with /health and /metrics.
 * Every role runs against the same PostgreSQL, so roles can be split across processes at will.
 */
public final class Platform implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Platform.class);

    private final PlatformDatabase database;
    private final List<AutoCloseable> roles;
    private final Javalin server;
    private final List<Route> routes;
    private final Dashboard dashboard;
    private final Collector collector;

    /** A route the server answers, with its access rules (route roles); the authorization test walks them all. */
    public record Route(String method, String path, Set<String> rules) {}

    private Platform(PlatformDatabase database, List<AutoCloseable> roles, Javalin server, List<Route> routes, Dashboard dashboard,
                     Collector collector) {
        this.dashboard = dashboard;
        this.collector = collector;
        this.database = database;
        this.roles = roles;
        this.server = server;
        this.routes = routes;
    }

    public static Platform start(Settings settings) {
        return start(settings, () -> log.error("the embedded PostgreSQL could not be started again; /health reports the database down"));
    }

    /** @param onDatabaseLost runs when the embedded PostgreSQL died and could not be started again */
    public static Platform start(Settings settings, Runnable onDatabaseLost) {
        settings.checkForServing();
        var metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(metrics);
        new JvmGcMetrics().bindTo(metrics);
        new JvmThreadMetrics().bindTo(metrics);
        new ProcessorMetrics().bindTo(metrics);

        PlatformDatabase database = PlatformDatabase.serving(settings, metrics, onDatabaseLost);
        List<AutoCloseable> roles = new ArrayList<>();
        try {
            Collector collector = settings.roles().contains(Settings.Role.COLLECTOR)
                    ? add(roles, new Collector(database.database(), settings.collector(), settings.partitionDaysAhead(), metrics)) : null;
            Aggregator aggregator = settings.roles().contains(Settings.Role.AGGREGATOR) ? add(roles, new Aggregator(database.database().jdbi(), settings.aggregator()).start()) : null;
            Dashboard dashboard = settings.roles().contains(Settings.Role.DASHBOARD) ? add(roles, new Dashboard(database.database().jdbi(), settings.grid(), settings.dashboard())) : null;

            Map<String, Supplier<String>> roleStatus = new LinkedHashMap<>();
            if (collector != null) roleStatus.put("collector", () -> "running");
            if (aggregator != null) roleStatus.put("aggregator", aggregator::status);
            if (dashboard != null) roleStatus.put("dashboard", dashboard::status);

            ObjectMapper json = new ObjectMapper();
            List<Route> routes = new CopyOnWriteArrayList<>();
            Javalin server = Javalin.create(config -> {
                config.startup.showJavalinBanner = false;
                JettySetup.apply(config, settings.host(), settings.port(), settings.http());
                config.events.handlerAdded(info -> routes.add(new Route(info.getHttpMethod().name(), info.getPath(),
                        info.getRoles().stream().map(Object::toString).collect(Collectors.toUnmodifiableSet()))));
                config.jsonMapper(new JavalinJackson(json, false));
                config.routes.get("/health", ctx -> health(ctx, database, roleStatus));
                config.routes.get("/metrics", ctx -> {
                    MetricsGate.check(settings, ctx);
                    ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape());
                });
                if (collector != null) collector.routes(config);
                if (dashboard != null) dashboard.routes(config);
                // The server's fallbacks; each role maps its own expected errors to JSON.
                config.routes.exception(HttpResponseException.class, (e, ctx) ->
                        ctx.status(e.getStatus()).json(Map.of("error", e.getMessage())));
                config.routes.exception(Exception.class, (e, ctx) -> {
                    var bodyError = BodyReadErrors.classify(e);
                    if (bodyError.isPresent()) { // the client's body failed to arrive (too slow, cut short): its problem, not ours
                        ctx.header("Connection", "close").status(bodyError.get().status()).json(Map.of("error", bodyError.get().message()));
                        return;
                    }
                    if (malformedPathEncoding(e)) {
                        ctx.status(400).json(Map.of("error", "the path has a malformed percent-encoding"));
                        return;
                    }
                    log.error("unexpected error on {} {}", ctx.method(), ctx.path(), e);
                    ctx.status(500).json(Map.of("error", "internal error"));
                });
                config.routes.error(404, ctx -> {
                    if (ctx.result() == null) ctx.json(Map.of("error", "not found"));
                });
            }).start();
            log.info("Isotherm listening on http://{}:{} with roles {}", settings.host(), server.port(), roleStatus.keySet());
            if (dashboard != null) {
                dashboard.setupPath().ifPresent(path -> log.warn("No administrator yet. Create one in your browser at {}{} "
                        + "(this link works once, from any address; on this machine, {} works too)", base(settings, server.port()), path,
                        "http://localhost:" + server.port() + "/setup"));
            }
            return new Platform(database, roles, server, List.copyOf(routes), dashboard, collector);
        } catch (RuntimeException e) {
            closeAll(roles);
            database.close();
            throw e;
        }
    }

    /**
     * Javalin decodes path parameters with {@link java.net.URLDecoder}, which throws on escapes Jetty lets through
     * ({@code %uD800}): the client's mistake, not the server's.
     */
    private static boolean malformedPathEncoding(Exception e) {
        return e instanceof IllegalArgumentException && e.getStackTrace().length > 0
                && e.getStackTrace()[0].getClassName().equals(java.net.URLDecoder.class.getName());
    }

    /** Where people reach this server: the public URL when set, else this machine. */
    private static String base(Settings settings, int port) {
        var publicUrl = settings.dashboard().access().publicUrl();
        return publicUrl != null ? publicUrl.toString() : "http://localhost:" + port;
    }

    private static <T extends AutoCloseable> T add(List<AutoCloseable> roles, T role) {
        roles.add(role);
        return role;
    }

    private static void health(Context ctx, PlatformDatabase database, Map<String, Supplier<String>> roleStatus) {
        Map<String, String> roles = new LinkedHashMap<>();
        roleStatus.forEach((role, status) -> roles.put(role, status.get()));
        boolean up = database.database().isReachable();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", up ? "up" : "down");
        body.put("database", up ? "up" : "down");
        body.put("roles", roles);
        ctx.status(up ? 200 : 503).json(body);
    }

    /** The one-time link to create the first administrator while there is none (also printed at start). */
    public java.util.Optional<String> setupPath() {
        return dashboard == null ? java.util.Optional.empty() : dashboard.setupPath();
    }

    /** Every HTTP route of this server, before-handlers included. */
    public List<Route> routes() {
        return routes;
    }

    public int port() {
        return server.port();
    }

    /**
     * Stops the collector first: it refuses new batches (503, which the tracker retries) and stores and answers the
     * ones it queued while their connections are still open; stopping the HTTP server first would cut those answers
     * off. Then stops taking requests, lets the other roles finish, and closes the database.
     */
    @Override
    public void close() {
        if (collector != null) closeAll(List.of(collector));
        server.stop();
        closeAll(roles.stream().filter(role -> role != collector).toList());
        database.close();
        log.info("Isotherm stopped");
    }

    private static void closeAll(List<AutoCloseable> roles) {
        for (AutoCloseable role : roles) {
            try {
                role.close();
            } catch (Exception e) {
                log.warn("role did not stop cleanly: {}", e.getMessage());
            }
        }
    }
}
