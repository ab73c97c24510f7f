package io.isotherm.launcher;

import io.isotherm.db.device.DeviceWidths;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SettingsTest {

    @Test
    void defaults_run_everything_on_port_8080_with_the_embedded_database_in_data() {
        Settings s = Settings.fromEnvironment(Map.of());
        assertThat(s.port()).isEqualTo(8080);
        assertThat(s.host()).isEqualTo("0.0.0.0");
        assertThat(s.dataDir()).isEqualTo(Path.of("./data"));
        assertThat(s.roles()).isEqualTo(EnumSet.allOf(Settings.Role.class));
        assertThat(s.embeddedDatabase()).isTrue();
        assertThat(s.collector().maxBodyBytes()).isEqualTo(64 * 1024);
    }

    @Test
    void reads_the_aggregator_settings_and_refuses_impossible_ones() {
        Settings s = Settings.fromEnvironment(Map.of(
                "ISOTHERM_AGGREGATE_INTERVAL_SECONDS", "15",
                "ISOTHERM_CELL_SIZE", "4",
                "ISOTHERM_LAYOUT_WIDTH_DESKTOP", "1280",
                "ISOTHERM_LAYOUT_WIDTH_TABLET", "768",
                "ISOTHERM_LAYOUT_WIDTH_MOBILE", "375",
                "ISOTHERM_AGGREGATE_BATCHES_PER_RUN", "200",
                "ISOTHERM_RETENTION_DAYS", "90",
                "ISOTHERM_VIEW_REFRESH_SECONDS", "60",
                "ISOTHERM_MOBILE_BELOW", "600",
                "ISOTHERM_TABLET_BELOW", "1200"));
        assertThat(s.collector().deviceWidths()).isEqualTo(new io.isotherm.db.device.DeviceWidths(600, 1200));
        assertThat(s.aggregator().interval()).isEqualTo(Duration.ofSeconds(15));
        assertThat(s.grid().cellSize()).isEqualTo(4);
        assertThat(s.grid().layoutWidths()).isEqualTo(Map.of("desktop", 1280, "tablet", 768, "mobile", 375));
        assertThat(s.aggregator().batchesPerRun()).isEqualTo(200);
        assertThat(Settings.fromEnvironment(Map.of("ISOTHERM_AGGREGATE_WORKERS", "3")).aggregator().workers()).isEqualTo(3);
        assertThat(s.aggregator().retentionDays()).isEqualTo(90);
        assertThat(s.aggregator().viewRefresh()).isEqualTo(Duration.ofMinutes(1));
        assertThat(Settings.fromEnvironment(Map.of()).aggregator()).isEqualTo(io.isotherm.aggregator.AggregatorSettings.defaults());
        assertThatThrownBy(() -> Settings.fromEnvironment(Map.of("ISOTHERM_CELL_SIZE", "0")))
                .hasMessageContaining("cell size must be 1 to 256 px");
        assertThatThrownBy(() -> Settings.fromEnvironment(Map.of("ISOTHERM_MOBILE_BELOW", "1100")))
                .hasMessageContaining("device widths");
        assertThatThrownBy(() -> Settings.fromEnvironment(Map.of("ISOTHERM_RETENTION_DAYS", "1")))
                .hasMessageContaining("retention must be at least 3 days");
        assertThatThrownBy(() -> Settings.fromEnvironment(Map.of("ISOTHERM_AGGREGATE_WORKERS", "0")))
                .hasMessageContaining("workers must be 1 to 16");
        // Each worker holds a connection while it aggregates, as each collector writer does while it writes.
        assertThatThrownBy(() -> Settings.fromEnvironment(Map.of("ISOTHERM_AGGREGATE_WORKERS", "9", "ISOTHERM_COLLECT_WRITERS", "2"))
                .checkForServing()).hasMessageContaining("ISOTHERM_DATABASE_POOL_SIZE (10) must be at least").hasMessageContaining("at once (11)");
        Settings.fromEnvironment(Map.of("ISOTHERM_AGGREGATE_WORKERS", "8", "ISOTHERM_COLLECT_WRITERS", "2")).checkForServing();
        Settings.fromEnvironment(Map.of("ISOTHERM_AGGREGATE_WORKERS", "9", "ISOTHERM_COLLECT_WRITERS", "2", "ISOTHERM_ROLES", "aggregator"))
                .checkForServing();
    }

    @Test
    void reads_the_http_limits_and_refuses_impossible_ones() {
        Settings s = Settings.fromEnvironment(Map.of(
                "ISOTHERM_HTTP_MAX_CONNECTIONS", "500",
                "ISOTHERM_HTTP_MAX_CONNECTIONS_PER_ADDRESS", "0",
                "ISOTHERM_HTTP_MIN_BODY_RATE", "4096",
                "ISOTHERM_HTTP_BODY_DEADLINE_SECONDS", "10",
                "ISOTHERM_HTTP_MAX_HEADER_BYTES", "16384",
                "ISOTHERM_HTTP_IDLE_TIMEOUT_SECONDS", "60"));
        assertThat(s.http()).isEqualTo(new io.isotherm.launcher.http.HttpLimits(500, 0, 4096, Duration.ofSeconds(10), 16384,
                Duration.ofMinutes(1)));
        assertThat(Settings.fromEnvironment(Map.of()).http()).isEqualTo(io.isotherm.launcher.http.HttpLimits.defaults());
        assertThatThrownBy(() -> Settings.fromEnvironment(Map.of("ISOTHERM_HTTP_BODY_DEADLINE_SECONDS", "0")))
                .hasMessageContaining("body deadline >= 1 s");
        assertThatThrownBy(() -> Settings.fromEnvironment(Map.of("ISOTHERM_HTTP_MAX_HEADER_BYTES", "100")))
                .hasMessageContaining("header bytes >= 1024");
    }

    @Test
    void reads_the_collector_limits_and_refuses_impossible_ones() {
        assertThat(Settings.fromEnvironment(Map.of()).collector().limits()).isEqualTo(io.isotherm.collector.CollectLimits.defaults());
        Settings s = Settings.fromEnvironment(Map.of(
                "ISOTHERM_COLLECT_BATCHES_PER_SECOND_PER_ADDRESS", "7",
                "ISOTHERM_COLLECT_BATCH_BURST_PER_ADDRESS", "70",
                "ISOTHERM_COLLECT_BATCHES_PER_SECOND_PER_SITE", "0",
                "ISOTHERM_COLLECT_BATCH_BURST_PER_SITE", "0",
                "ISOTHERM_COLLECT_PAGEVIEWS_PER_SECOND_PER_ADDRESS", "3",
                "ISOTHERM_COLLECT_PAGEVIEW_BURST_PER_ADDRESS", "30",
                "ISOTHERM_COLLECT_MAX_EVENTS_PER_PAGEVIEW", "5000",
                "ISOTHERM_COLLECT_QUEUE_SHARE_PER_SITE_PERCENT", "25",
                "ISOTHERM_COLLECT_CLIENT_ADDRESS_HEADER", "X-Forwarded-For"));
        assertThat(s.collector().limits()).isEqualTo(new io.isotherm.collector.CollectLimits(7, 70, 0, 0, 3, 30, 5000, 25, "X-Forwarded-For"));
        assertThatThrownBy(() -> Settings.fromEnvironment(Map.of("ISOTHERM_COLLECT_QUEUE_SHARE_PER_SITE_PERCENT", "0")))
                .hasMessageContaining("queue share 1 to 100 percent");
        assertThatThrownBy(() -> Settings.fromEnvironment(Map.of("ISOTHERM_COLLECT_BATCH_BURST_PER_ADDRESS", "10")))
                .hasMessageContaining("each burst at least its rate per second");
    }

    @Test
    void reads_every_value_from_the_environment() {
        Settings s = Settings.fromEnvironment(Map.ofEntries(
                Map.entry("ISOTHERM_PORT", "9090"),
                Map.entry("ISOTHERM_BIND_ADDRESS", "127.0.0.1"),
                Map.entry("ISOTHERM_DATA_DIR", "/var/lib/isotherm"),
                Map.entry("ISOTHERM_ROLES", "collector, dashboard"),
                Map.entry("ISOTHERM_DATABASE_URL", "postgresql://u:p@db:5432/heat"),
                Map.entry("ISOTHERM_DATABASE_POOL_SIZE", "4"),
                Map.entry("ISOTHERM_PARTITION_DAYS_AHEAD", "3"),
                Map.entry("ISOTHERM_COLLECT_MAX_BODY_BYTES", "32768"),
                Map.entry("ISOTHERM_COLLECT_QUEUE_CAPACITY", "50"),
                Map.entry("ISOTHERM_COLLECT_WRITERS", "3"),
                Map.entry("ISOTHERM_COLLECT_LINGER_MS", "7"),
                Map.entry("ISOTHERM_COLLECT_MAX_EVENTS_PER_WRITE", "999"),
                Map.entry("ISOTHERM_COLLECT_TIMEOUT_SECONDS", "4"),
                Map.entry("ISOTHERM_RETRY_AFTER_SECONDS", "9")));
        assertThat(s.port()).isEqualTo(9090);
        assertThat(s.host()).isEqualTo("127.0.0.1");
        assertThat(s.dataDir()).isEqualTo(Path.of("/var/lib/isotherm"));
        assertThat(s.roles()).containsExactly(Settings.Role.COLLECTOR, Settings.Role.DASHBOARD);
        assertThat(s.embeddedDatabase()).isFalse();
        assertThat(s.externalDatabase().jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/heat");
        assertThat(s.externalDatabase().maxPoolSize()).isEqualTo(4);
        assertThat(s.partitionDaysAhead()).isEqualTo(3);
        assertThat(s.collector().maxBodyBytes()).isEqualTo(32768);
        assertThat(s.collector().queueCapacity()).isEqualTo(50);
        assertThat(s.collector().writerThreads()).isEqualTo(3);
        assertThat(s.collector().lingerMillis()).isEqualTo(7);
        assertThat(s.collector().maxEventsPerWrite()).isEqualTo(999);
        assertThat(s.collector().requestTimeout()).isEqualTo(Duration.ofSeconds(4));
        assertThat(s.collector().retryAfter()).isEqualTo(Duration.ofSeconds(9));
    }

    @Test
    void reads_the_limits_on_new_pages_and_automatic_captures() {
        Settings defaults = Settings.fromEnvironment(Map.of());
        assertThat(defaults.collector().newPagesPerSitePerHour()).isEqualTo(1000);
        assertThat(defaults.dashboard().capture().autoMinPageviews()).isEqualTo(3);
        assertThat(defaults.dashboard().capture().autoPerSitePerHour()).isEqualTo(60);

        Settings s = Settings.fromEnvironment(Map.of("ISOTHERM_NEW_PAGES_PER_SITE_PER_HOUR", "20",
                "ISOTHERM_CAPTURE_MIN_PAGEVIEWS", "5", "ISOTHERM_CAPTURE_AUTO_PER_SITE_PER_HOUR", "0"));
        assertThat(s.collector().newPagesPerSitePerHour()).isEqualTo(20);
        assertThat(s.dashboard().capture().autoMinPageviews()).isEqualTo(5);
        assertThat(s.dashboard().capture().autoPerSitePerHour()).isZero();
        assertThatThrownBy(() -> Settings.fromEnvironment(Map.of("ISOTHERM_NEW_PAGES_PER_SITE_PER_HOUR", "0")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Settings.fromEnvironment(Map.of("ISOTHERM_CAPTURE_MIN_PAGEVIEWS", "0")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void accepts_the_common_DATABASE_URL_but_prefers_its_own_variable() {
        assertThat(Settings.fromEnvironment(Map.of("DATABASE_URL", "postgresql://a@one/x")).externalDatabase().jdbcUrl())
                .isEqualTo("jdbc:postgresql://one/x");
        assertThat(Settings.fromEnvironment(Map.of("DATABASE_URL", "postgresql://a@one/x",
                "ISOTHERM_DATABASE_URL", "postgresql://a@two/x")).externalDatabase().jdbcUrl())
                .isEqualTo("jdbc:postgresql://two/x");
    }

    @Test
    void explains_a_bad_value_by_its_variable_name() {
        assertThatThrownBy(() -> Settings.fromEnvironment(Map.of("ISOTHERM_PORT", "eighty")))
                .hasMessageContaining("ISOTHERM_PORT").hasMessageContaining("eighty");
        assertThatThrownBy(() -> Settings.fromEnvironment(Map.of("ISOTHERM_ROLES", "collector,viewer")))
                .hasMessageContaining("viewer");
    }

    @Test
    void refuses_to_serve_a_collector_whose_writers_would_take_every_pooled_connection() {
        Settings starved = Settings.fromEnvironment(Map.of("ISOTHERM_DATABASE_POOL_SIZE", "2", "ISOTHERM_COLLECT_WRITERS", "2"));
        assertThatThrownBy(starved::checkForServing).hasMessageContaining("ISOTHERM_DATABASE_POOL_SIZE");
        Settings.fromEnvironment(Map.of("ISOTHERM_DATABASE_POOL_SIZE", "3", "ISOTHERM_COLLECT_WRITERS", "2")).checkForServing();
        Settings.fromEnvironment(Map.of("ISOTHERM_DATABASE_POOL_SIZE", "2", "ISOTHERM_ROLES", "dashboard")).checkForServing();
    }

    @Test
    void refuses_a_collect_timeout_of_zero() {
        assertThatThrownBy(() -> Settings.fromEnvironment(Map.of("ISOTHERM_COLLECT_TIMEOUT_SECONDS", "0")))
                .hasMessageContaining("timeout");
    }
}
