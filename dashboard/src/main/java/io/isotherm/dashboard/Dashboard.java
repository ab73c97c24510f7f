package io.isotherm.dashboard;

import io.javalin.config.JavalinConfig;

/** The dashboard role. Not built yet: it serves a page that says so, and reports itself as a placeholder on /health. */
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

    public void routes(JavalinConfig config) {
        config.routes.get("/", ctx -> ctx.html(PAGE));
    }

    public String status() {
        return "placeholder: not built yet";
    }

    @Override
    public void close() {
    }
}
