package io.isotherm.launcher;

import io.isotherm.aggregator.AggregatorSettings;
import io.isotherm.capture.CaptureSettings;
import io.isotherm.collector.CollectLimits;
import io.isotherm.collector.CollectorSettings;
import io.isotherm.dashboard.DashboardSettings;
import io.isotherm.dashboard.access.AccessMode;
import io.isotherm.dashboard.access.AccessSettings;
import io.isotherm.db.DatabaseSettings;
import io.isotherm.db.device.DeviceWidths;
import io.isotherm.grid.GridGeometry;
import io.isotherm.launcher.http.HttpLimits;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Every setting Isotherm reads, from environment variables with defaults; command-line flags override a few.
 * This is the one place configuration is read. The README's configuration table lists the same variables.
 */
public record Settings(
        String host,
        int port,
        Path dataDir,
        Set<Role> roles,
        String databaseUrl,
        String databaseUser,
        String databasePassword,
        int databasePoolSize,
        int partitionDaysAhead,
        MetricsAccess metricsAccess,
        String metricsToken,
        HttpLimits http,
        CollectorSettings collector,
        AggregatorSettings aggregator,
        DashboardSettings dashboard) {

    public static Settings fromEnvironment(Map<String, String> env) {
        var reader = new Reader(env);
        CollectorSettings defaults = CollectorSettings.defaults();
        AggregatorSettings aggregation = AggregatorSettings.defaults();
        DashboardSettings dashboard = DashboardSettings.defaults();
        CaptureSettings capture = dashboard.capture();
        GridGeometry grid = aggregation.grid();
        // Read once, used by two roles: the collector classes visitors with them, the dashboard shows them as defaults.
        DeviceWidths deviceWidths = new DeviceWidths(reader.integer("ISOTHERM_MOBILE_BELOW", defaults.deviceWidths().mobileBelow()),
                reader.integer("ISOTHERM_TABLET_BELOW", defaults.deviceWidths().tabletBelow()));
        int retentionDays = reader.integer("ISOTHERM_RETENTION_DAYS", aggregation.retentionDays());
        return new Settings(
                reader.text("ISOTHERM_BIND_ADDRESS", "0.0.0.0"),
                reader.integer("ISOTHERM_PORT", 8080),
                Path.of(reader.text("ISOTHERM_DATA_DIR", "./data")),
                Role.parse(reader.text("ISOTHERM_ROLES", "collector,aggregator,dashboard")),
                reader.text("ISOTHERM_DATABASE_URL", env.get("DATABASE_URL")),
                reader.text("ISOTHERM_DATABASE_USER", null),
                reader.text("ISOTHERM_DATABASE_PASSWORD", null),
                reader.integer("ISOTHERM_DATABASE_POOL_SIZE", 10),
                reader.integer("ISOTHERM_PARTITION_DAYS_AHEAD", 7),
                MetricsAccess.valueOf(reader.choice("ISOTHERM_METRICS_ACCESS", "public", "local", "token").toUpperCase(Locale.ROOT)),
                reader.text("ISOTHERM_METRICS_TOKEN", null),
                http(reader),
                new CollectorSettings(
                        reader.integer("ISOTHERM_COLLECT_MAX_BODY_BYTES", defaults.maxBodyBytes()),
                        reader.integer("ISOTHERM_COLLECT_QUEUE_CAPACITY", defaults.queueCapacity()),
                        reader.integer("ISOTHERM_COLLECT_WRITERS", defaults.writerThreads()),
                        reader.integer("ISOTHERM_COLLECT_LINGER_MS", defaults.lingerMillis()),
                        reader.integer("ISOTHERM_COLLECT_MAX_EVENTS_PER_WRITE", defaults.maxEventsPerWrite()),
                        Duration.ofSeconds(reader.integer("ISOTHERM_COLLECT_TIMEOUT_SECONDS", (int) defaults.requestTimeout().toSeconds())),
                        Duration.ofSeconds(reader.integer("ISOTHERM_RETRY_AFTER_SECONDS", (int) defaults.retryAfter().toSeconds())),
                        deviceWidths,
                        defaults.outcomeFlushInterval(),
                        reader.integer("ISOTHERM_NEW_PAGES_PER_SITE_PER_HOUR", defaults.newPagesPerSitePerHour()),
                        collectLimits(reader)),
                new AggregatorSettings(
                        Duration.ofSeconds(reader.integer("ISOTHERM_AGGREGATE_INTERVAL_SECONDS", (int) aggregation.interval().toSeconds())),
                        new GridGeometry(
                                reader.integer("ISOTHERM_CELL_SIZE", grid.cellSize()),
                                grid.bucketPx(),
                                Map.of("desktop", reader.integer("ISOTHERM_LAYOUT_WIDTH_DESKTOP", grid.layoutWidth("desktop")),
                                        "tablet", reader.integer("ISOTHERM_LAYOUT_WIDTH_TABLET", grid.layoutWidth("tablet")),
                                        "mobile", reader.integer("ISOTHERM_LAYOUT_WIDTH_MOBILE", grid.layoutWidth("mobile")))),
                        aggregation.anchorBins(),
                        reader.integer("ISOTHERM_AGGREGATE_BATCHES_PER_RUN", aggregation.batchesPerRun()),
                        reader.integer("ISOTHERM_AGGREGATE_WORKERS", aggregation.workers()),
                        retentionDays,
                        Duration.ofSeconds(reader.integer("ISOTHERM_VIEW_REFRESH_SECONDS", (int) aggregation.viewRefresh().toSeconds()))),
                new DashboardSettings(
                        new CaptureSettings(
                                Path.of(reader.text("ISOTHERM_CHROMIUM", capture.chromium().toString())),
                                Path.of(reader.text("ISOTHERM_CHROMEDRIVER", capture.chromedriver().toString())),
                                reader.bool("ISOTHERM_CAPTURE_ALLOW_PRIVATE", capture.allowPrivateAddresses()),
                                Duration.ofSeconds(reader.integer("ISOTHERM_CAPTURE_TIMEOUT_SECONDS", (int) capture.timeout().toSeconds())),
                                reader.integer("ISOTHERM_CAPTURE_MAX_HEIGHT", capture.maxHeight()),
                                reader.integer("ISOTHERM_CAPTURE_MAX_BYTES", (int) capture.maxBytes()),
                                reader.integer("ISOTHERM_CAPTURE_MIN_PAGEVIEWS", capture.autoMinPageviews()),
                                reader.integer("ISOTHERM_CAPTURE_AUTO_PER_SITE_PER_HOUR", capture.autoPerSitePerHour())),
                        reader.bool("ISOTHERM_CAPTURE_WORKER", dashboard.captureWorker()),
                        reader.bool("ISOTHERM_CAPTURE_FIRST_EVENTS", dashboard.firstEventCaptures()),
                        reader.integer("ISOTHERM_UPLOAD_MAX_BYTES", (int) dashboard.uploadMaxBytes()),
                        access(reader),
                        deviceWidths,
                        retentionDays,
                        reader.integer("ISOTHERM_UPLOAD_MAX_PIXELS", (int) dashboard.uploadMaxPixels())));
    }

    private static HttpLimits http(Reader reader) {
        HttpLimits defaults = HttpLimits.defaults();
        return new HttpLimits(
                reader.integer("ISOTHERM_HTTP_MAX_CONNECTIONS", defaults.maxConnections()),
                reader.integer("ISOTHERM_HTTP_MAX_CONNECTIONS_PER_ADDRESS", defaults.maxConnectionsPerAddress()),
                reader.integer("ISOTHERM_HTTP_MIN_BODY_RATE", defaults.minBodyBytesPerSecond()),
                Duration.ofSeconds(reader.integer("ISOTHERM_HTTP_BODY_DEADLINE_SECONDS", (int) defaults.bodyDeadline().toSeconds())),
                reader.integer("ISOTHERM_HTTP_MAX_HEADER_BYTES", defaults.maxHeaderBytes()),
                Duration.ofSeconds(reader.integer("ISOTHERM_HTTP_IDLE_TIMEOUT_SECONDS", (int) defaults.idleTimeout().toSeconds())));
    }

    private static CollectLimits collectLimits(Reader reader) {
        CollectLimits defaults = CollectLimits.defaults();
        return new CollectLimits(
                reader.integer("ISOTHERM_COLLECT_BATCHES_PER_SECOND_PER_ADDRESS", defaults.batchesPerSecondPerAddress()),
                reader.integer("ISOTHERM_COLLECT_BATCH_BURST_PER_ADDRESS", defaults.batchBurstPerAddress()),
                reader.integer("ISOTHERM_COLLECT_BATCHES_PER_SECOND_PER_SITE", defaults.batchesPerSecondPerSite()),
                reader.integer("ISOTHERM_COLLECT_BATCH_BURST_PER_SITE", defaults.batchBurstPerSite()),
                reader.integer("ISOTHERM_COLLECT_PAGEVIEWS_PER_SECOND_PER_ADDRESS", defaults.pageviewsPerSecondPerAddress()),
                reader.integer("ISOTHERM_COLLECT_PAGEVIEW_BURST_PER_ADDRESS", defaults.pageviewBurstPerAddress()),
                reader.integer("ISOTHERM_COLLECT_MAX_EVENTS_PER_PAGEVIEW", defaults.maxEventsPerPageview()),
                reader.integer("ISOTHERM_COLLECT_QUEUE_SHARE_PER_SITE_PERCENT", defaults.queueSharePercent()),
                reader.text("ISOTHERM_COLLECT_CLIENT_ADDRESS_HEADER", defaults.clientAddressHeader()));
    }

    private static AccessSettings access(Reader reader) {
        AccessSettings defaults = AccessSettings.defaults();
        String adminPasswordFile = reader.text("ISOTHERM_ADMIN_PASSWORD_FILE", null);
        int idleHours = reader.integer("ISOTHERM_SESSION_IDLE_HOURS", (int) defaults.sessionIdle().toHours());
        int maxDays = reader.integer("ISOTHERM_SESSION_MAX_DAYS", (int) defaults.sessionMax().toDays());
        if (idleHours < 1 || maxDays < 1 || idleHours > maxDays * 24) {
            throw new IllegalArgumentException("ISOTHERM_SESSION_IDLE_HOURS must be at least 1 and at most ISOTHERM_SESSION_MAX_DAYS x 24");
        }
        return new AccessSettings(
                AccessMode.valueOf(reader.choice("ISOTHERM_DASHBOARD_ACCESS", "accounts", "local", "open").toUpperCase(Locale.ROOT)),
                reader.url("ISOTHERM_PUBLIC_URL"),
                reader.list("ISOTHERM_DASHBOARD_HOSTS"),
                Duration.ofHours(idleHours),
                Duration.ofDays(maxDays),
                reader.integer("ISOTHERM_LOGIN_ATTEMPTS_PER_ACCOUNT", defaults.loginAttemptsPerAccount()),
                reader.integer("ISOTHERM_LOGIN_ATTEMPTS_PER_ADDRESS", defaults.loginAttemptsPerAddress()),
                defaults.loginWindow(),
                reader.text("ISOTHERM_ADMIN_EMAIL", null),
                adminPasswordFile == null ? null : Path.of(adminPasswordFile));
    }

    /** The shape of the grids, which the aggregator writes and the dashboard reads. */
    public GridGeometry grid() {
        return aggregator.grid();
    }

    /** True when no external database is configured: Isotherm runs its own in {@code dataDir}. */
    public boolean embeddedDatabase() {
        return databaseUrl == null;
    }

    /** Checks that only matter when serving. */
    public void checkForServing() {
        if (metricsAccess == MetricsAccess.TOKEN && (metricsToken == null || metricsToken.length() < 16)) {
            throw new IllegalArgumentException("ISOTHERM_METRICS_ACCESS=token needs ISOTHERM_METRICS_TOKEN, at least 16 characters");
        }
        if (roles.contains(Role.COLLECTOR) && databasePoolSize <= collector.writerThreads()) {
            throw new IllegalArgumentException("ISOTHERM_DATABASE_POOL_SIZE (" + databasePoolSize + ") must exceed "
                    + "ISOTHERM_COLLECT_WRITERS (" + collector.writerThreads() + "): each writer holds a connection while lookups need more");
        }
        int held = (roles.contains(Role.COLLECTOR) ? collector.writerThreads() : 0) + (roles.contains(Role.AGGREGATOR) ? aggregator.workers() : 0);
        if (roles.contains(Role.AGGREGATOR) && databasePoolSize < held) {
            throw new IllegalArgumentException("ISOTHERM_DATABASE_POOL_SIZE (" + databasePoolSize + ") must be at least the connections the "
                    + "collector's writers and the aggregator's workers hold at once (" + held + "): ISOTHERM_COLLECT_WRITERS plus ISOTHERM_AGGREGATE_WORKERS");
        }
    }

    public enum MetricsAccess { PUBLIC, LOCAL, TOKEN }

    public DatabaseSettings externalDatabase() {
        return DatabaseSettings.fromUrl(databaseUrl, databaseUser, databasePassword, databasePoolSize);
    }

    public Settings withPort(int port) {
        return new Settings(host, port, dataDir, roles, databaseUrl, databaseUser, databasePassword, databasePoolSize, partitionDaysAhead, metricsAccess, metricsToken, http, collector, aggregator, dashboard);
    }

    public Settings withDataDir(Path dataDir) {
        return new Settings(host, port, dataDir, roles, databaseUrl, databaseUser, databasePassword, databasePoolSize, partitionDaysAhead, metricsAccess, metricsToken, http, collector, aggregator, dashboard);
    }

    public Settings withDatabasePoolSize(int databasePoolSize) {
        return new Settings(host, port, dataDir, roles, databaseUrl, databaseUser, databasePassword, databasePoolSize, partitionDaysAhead, metricsAccess, metricsToken, http, collector, aggregator, dashboard);
    }

    public Settings withRoles(Set<Role> roles) {
        return new Settings(host, port, dataDir, roles, databaseUrl, databaseUser, databasePassword, databasePoolSize, partitionDaysAhead, metricsAccess, metricsToken, http, collector, aggregator, dashboard);
    }

    public enum Role {
        COLLECTOR, AGGREGATOR, DASHBOARD;

        /** "collector,dashboard" or "all". */
        public static Set<Role> parse(String list) {
            if (list.isBlank() || list.trim().equalsIgnoreCase("all")) {
                return EnumSet.allOf(Role.class);
            }
            Set<Role> roles = EnumSet.noneOf(Role.class);
            for (String name : list.split(",")) {
                try {
                    roles.add(valueOf(name.trim().toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("unknown role '" + name.trim() + "' (expected collector, aggregator, dashboard or all)");
                }
            }
            return roles;
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private record Reader(Map<String, String> env) {
        String text(String name, String fallback) {
            String value = env.get(name);
            return value == null || value.isBlank() ? fallback : value.trim();
        }

        boolean bool(String name, boolean fallback) {
            String value = text(name, null);
            if (value == null) return fallback;
            if (value.equalsIgnoreCase("true")) return true;
            if (value.equalsIgnoreCase("false")) return false;
            throw new IllegalArgumentException(name + " must be true or false, got '" + value + "'");
        }

        /** One of {@code values}, the first by default. */
        String choice(String name, String... values) {
            String value = text(name, values[0]).toLowerCase(Locale.ROOT);
            if (!List.of(values).contains(value)) {
                throw new IllegalArgumentException(name + " must be " + String.join(" or ", values) + ", got '" + value + "'");
            }
            return value;
        }

        /** An absolute http(s) URL without query or fragment, its trailing slash dropped; null when unset. */
        URI url(String name) {
            String value = text(name, null);
            if (value == null) return null;
            try {
                URI uri = new URI(value.endsWith("/") ? value.substring(0, value.length() - 1) : value);
                if ((uri.getScheme() == null || !uri.getScheme().matches("https?")) || uri.getHost() == null
                        || uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
                    throw new URISyntaxException(value, "not an http(s) address");
                }
                return uri;
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException(name + " must be an address like https://isotherm.example.com, got '" + value + "'");
            }
        }

        List<String> list(String name) {
            String value = text(name, null);
            if (value == null) return List.of();
            return java.util.Arrays.stream(value.split(",")).map(String::trim).filter(v -> !v.isEmpty()).toList();
        }

        int integer(String name, int fallback) {
            String value = text(name, null);
            if (value == null) {
                return fallback;
            }
            try {
                return Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " must be a whole number, got '" + value + "'");
            }
        }
    }
}
