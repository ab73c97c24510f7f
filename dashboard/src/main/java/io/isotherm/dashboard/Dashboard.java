package io.isotherm.dashboard;

import io.isotherm.aggregator.AggregatorSettings;
import io.javalin.config.JavalinConfig;
import org.jdbi.v3.core.Jdbi;

import java.time.Clock;

/**
 * The dashboard role: the read API (JSON reports under {@code /api/sites/{site}/}, see docs/API.md) and, until the
 * viewer is built, a page at {@code /} that says so; it reports itself as a placeholder on /health.
 */
public final class Dashboard implements AutoCloseable {
    private static final String PAGE = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>Isotherm</title>
            <meta name="viewport" content="width=device-width, initial-scale=1"></head>
            <body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; line-height: 1.5">
            <h1>Isotherm is running</h1>
            <p>The collector accepts events at <code>/api/collect</code>. The heatmap viewer is not built yet.</p>
            <p>Health: <a href="/health">/health</a> &middot; Metrics: <a href="/metrics">/metrics</a></p>
            </body></html>
            """;

    private final ReadApi api;

    public Dashboard(Jdbi jdbi, AggregatorSettings settings) {
        this(jdbi, settings, Clock.systemUTC());
    }

    /** @param clock decides "today" for the default date range */
    Dashboard(Jdbi jdbi, AggregatorSettings settings, Clock clock) {
        this.api = new ReadApi(jdbi, settings, clock);
    }

    public void routes(JavalinConfig config) {
        config.routes.get("/", ctx -> ctx.html(PAGE));
        api.routes(config);
    }

    public String status() {
        return "placeholder: not built yet";
    }

    @Override
    public void close() {
    }
}
