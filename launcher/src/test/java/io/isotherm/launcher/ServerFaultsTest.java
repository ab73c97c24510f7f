package io.isotherm.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Faults a hostile operator would try, on real processes under load: the server killed with {@code kill -9}, which
 * leaves its embedded PostgreSQL orphaned, then the postmaster itself killed under the next server. A load client
 * that retries as the tracker does must see every batch it sent acknowledged, and each stored exactly once.
 */
class ServerFaultsTest {

    @Test
    void every_batch_answered_202_is_stored_once_across_a_killed_server_and_a_killed_database(@TempDir Path dataDir) throws Exception {
        int port = freePort();
        Path pgData = dataDir.resolve("postgres");
        ServerProcess first = ServerProcess.start(dataDir, port, "collector");
        ServerProcess second = null;
        RetryingLoad load = null;
        try {
            first.awaitPort();
            var added = Cli.run(dataDir, "site", "add", "--name", "Shop", "--origin", "https://shop.example", "--json");
            assertThat(added.exitCode()).as(added.err()).isZero();
            String key = added.json().get("key").asText();
            load = RetryingLoad.start(port, key, 4);
            load.awaitAcknowledged(60, 60);

            // kill -9 of the server: its PostgreSQL runs on, owned by nobody.
            long orphan = postmasterPid(pgData);
            first.killHard();
            assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive)).as("the orphaned postmaster").contains(true);

            // The next server on the data directory takes the orphan over: stops it and starts its own.
            second = ServerProcess.start(dataDir, port, "collector");
            second.awaitPort();
            assertThat(postmastersOf(pgData)).as("postmasters of the data directory after the takeover").hasSize(1)
                    .allSatisfy(p -> assertThat(p.pid()).as("the orphan, stopped").isNotEqualTo(orphan));
            assertThat(second.output()).contains("left running by a process that has gone");
            int beforeCrash = load.acknowledgedCount();
            load.awaitAcknowledged(beforeCrash + 60, 60);

            // kill -9 of the postmaster under the running server: it starts PostgreSQL again on the same port.
            long crashed = postmasterPid(pgData);
            ProcessHandle.of(crashed).orElseThrow().destroyForcibly();
            int atCrash = load.acknowledgedCount();
            load.awaitAcknowledged(atCrash + 60, 90);
            assertThat(postmasterPid(pgData)).as("a new postmaster").isNotEqualTo(crashed);
            assertThat(second.output()).contains("has stopped; starting it again");

            // A command attached to the server's database meanwhile does not stop it.
            assertThat(Cli.run(dataDir, "site", "list", "--json").exitCode()).isZero();
            long running = postmasterPid(pgData);
            assertThat(ProcessHandle.of(running).map(ProcessHandle::isAlive)).contains(true);

            load.close();
            assertThat(load.unexpectedStatuses()).isEmpty();
            assertThat(load.failedAttempts()).as("the faults were felt by the client").isPositive();
            second.stop(); // SIGTERM: the JVM's status is 143 however cleanly it stopped
        } finally {
            first.close();
            if (second != null) second.close();
        }
        assertThat(postmastersLeft(pgData)).as("postgres processes left for the data directory").isEmpty();

        Set<UUID> stored = new HashSet<>();
        long events;
        try (var db = HeldDatabase.open(dataDir)) {
            List<UUID> receipts = db.jdbi().withHandle(h -> h.createQuery("SELECT pageview_id FROM ingest_batch").mapTo(UUID.class).list());
            stored.addAll(receipts);
            assertThat(receipts).as("receipts").hasSameSizeAs(stored);
            events = db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM raw_event").mapTo(Long.class).one());
            long perBatch = db.jdbi().withHandle(h -> h.createQuery(
                    "SELECT count(*) FROM (SELECT pageview_id FROM raw_event GROUP BY pageview_id, seq HAVING count(*) <> "
                            + RetryingLoad.EVENTS_PER_BATCH + ") odd").mapTo(Long.class).one());
            assertThat(perBatch).as("batches not stored with exactly their events").isZero();
        }
        assertThat(stored).as("stored batches = acknowledged batches").isEqualTo(load.acknowledged());
        assertThat(events).isEqualTo((long) RetryingLoad.EVENTS_PER_BATCH * load.acknowledged().size());
    }

    private static long postmasterPid(Path pgData) throws Exception {
        return Long.parseLong(Files.readAllLines(pgData.resolve("postmaster.pid")).get(0).trim());
    }

    /** Postmasters whose command line names this data directory (their backends go when they go). */
    static List<ProcessHandle> postmastersOf(Path pgData) {
        String dir = pgData.toAbsolutePath().normalize().toString();
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().filter(c -> c.contains("bin/postgres") && c.contains(dir)).isPresent())
                .toList();
    }

    /** The postmasters left after a bounded wait for them to go. */
    static List<ProcessHandle> postmastersLeft(Path pgData) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!postmastersOf(pgData).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        return postmastersOf(pgData);
    }

    private static int freePort() throws Exception {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
