package io.isotherm.dashboard;

import io.isotherm.aggregator.AggregatorSettings;
import io.isotherm.dashboard.capture.CaptureStore;
import io.isotherm.dashboard.capture.CaptureWorker;
import io.isotherm.dashboard.capture.PageCapturer;
import io.isotherm.dashboard.web.WebUi;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import org.jdbi.v3.core.Jdbi;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.List;

/**
 * The dashboard role: the heatmap viewer at {@code /}, the read API (JSON reports under {@code /api/sites/{site}/},
 * see docs/API.md), the captures API, and a worker that shoots queued screenshots.
 */
public final class Dashboard implements AutoCloseable {
    /** Everything the dashboard answers; the collector's routes stay open to the world. */
    private static final List<String> PATHS = List.of("/", "/view", "/ui/*", "/api/sites", "/api/sites/*");

    private final DashboardSettings settings;
    private final ReadApi api;
    private final CaptureApi captures;
    private final PageCapturer capturer;
    private final CaptureWorker worker;

    public Dashboard(Jdbi jdbi, AggregatorSettings aggregation, DashboardSettings settings) {
        this(jdbi, aggregation, settings, Clock.systemUTC());
    }

    /** @param clock decides "today" for the default date range */
    Dashboard(Jdbi jdbi, AggregatorSettings aggregation, DashboardSettings settings, Clock clock) {
        this.settings = settings;
        CaptureStore store = new CaptureStore(jdbi);
        this.api = new ReadApi(jdbi, aggregation, clock);
        this.captures = new CaptureApi(jdbi, store, aggregation, settings.uploadMaxBytes());
        this.capturer = new PageCapturer(settings.capture());
        this.worker = settings.captureWorker()
                ? new CaptureWorker(store, capturer, settings.capture(), aggregation.layoutWidths(), clock).start(settings.firstEventCaptures())
                : null;
    }

    public void routes(JavalinConfig config) {
        if (!settings.openAccess()) PATHS.forEach(path -> config.routes.before(path, Dashboard::localOnly));
        new WebUi().routes(config);
        api.routes(config);
        captures.routes(config);
    }

    /** Until the dashboard has accounts, only this machine (or a login proxy on it) may read reports and start captures. */
    private static void localOnly(Context ctx) throws UnknownHostException {
        if (!InetAddress.getByName(ctx.ip()).isLoopbackAddress()) {
            throw ApiError.refused(403, null, "the dashboard answers only on this machine until it has accounts: open it at "
                    + "http://localhost, put it behind a login proxy on this machine, or set ISOTHERM_DASHBOARD_ACCESS=open");
        }
    }

    /** "running", or what keeps this dashboard from shooting captures. */
    public String status() {
        if (worker == null) return "running (no capture worker)";
        return capturer.unavailable().map(why -> "running; captures fail: " + why).orElse("running");
    }

    @Override
    public void close() {
        if (worker != null) worker.close();
    }
}
