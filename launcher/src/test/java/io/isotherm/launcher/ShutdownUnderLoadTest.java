package io.isotherm.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stopping a server while batches arrive: the batches it has queued are stored and answered before its connections
 * close, later ones are refused (so the client retries them elsewhere), and none of it is logged as an error. The
 * same load then goes on against the next server on the data directory, and every batch answered 202 is stored once.
 */
class ShutdownUnderLoadTest {

    @Test
    void a_server_stopped_under_load_answers_what_it_queued_logs_no_error_and_loses_nothing(@TempDir Path dataDir) throws Exception {
        int port;
        try (var socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        var added = Cli.run(dataDir, "site", "add", "--name", "Shop", "--origin", "https://shop.example", "--json");
        assertThat(added.exitCode()).as(added.err()).isZero();
        String key = added.json().get("key").asText();

        RetryingLoad load;
        List<String> logged;
        try (var logs = CapturedLogs.start()) {
            Platform first = Platform.start(settings(dataDir, port));
            load = RetryingLoad.start(port, key, 8);
            load.awaitAcknowledged(300, 60);
            first.close(); // under load: requests are queued and in flight
            logged = logs.errorsAndStackTraces();
        }
        int acknowledgedByFirst = load.acknowledgedCount();
        try (var second = Platform.start(settings(dataDir, port))) {
            load.awaitAcknowledged(acknowledgedByFirst + 100, 60);
            load.close();
        }

        assertThat(logged).as("errors and stack traces logged while the first server stopped").isEmpty();
        assertThat(load.unexpectedStatuses()).isEmpty();
        Set<UUID> stored;
        long events;
        try (var db = HeldDatabase.open(dataDir)) {
            List<UUID> receipts = db.jdbi().withHandle(h -> h.createQuery("SELECT pageview_id FROM ingest_batch").mapTo(UUID.class).list());
            stored = new HashSet<>(receipts);
            assertThat(receipts).as("receipts").hasSameSizeAs(stored);
            events = db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM raw_event").mapTo(Long.class).one());
        }
        assertThat(stored).as("stored batches = acknowledged batches").isEqualTo(load.acknowledged());
        assertThat(events).isEqualTo((long) RetryingLoad.EVENTS_PER_BATCH * stored.size());
    }

    private static Settings settings(Path dataDir, int port) {
        return Settings.fromEnvironment(Map.of(
                "ISOTHERM_DATA_DIR", dataDir.toString(), "ISOTHERM_PORT", Integer.toString(port), "ISOTHERM_BIND_ADDRESS", "127.0.0.1",
                "ISOTHERM_ROLES", "collector",
                // The load's clients stand for many visitors, all behind 127.0.0.1: the per-address limits are off.
                "ISOTHERM_COLLECT_BATCHES_PER_SECOND_PER_ADDRESS", "0", "ISOTHERM_COLLECT_PAGEVIEWS_PER_SECOND_PER_ADDRESS", "0"));
    }
}
