package io.isotherm.db;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Who stops and restarts the embedded PostgreSQL, with real processes killed for real. */
class EmbeddedDatabaseLifecycleTest {

    @Test
    void an_orphan_left_by_a_killed_owner_is_taken_over_and_stopped_by_the_next_owner(@TempDir Path dataDir) throws Exception {
        Process owner = startOwnerProcess(dataDir);
        long orphan;
        try {
            assertThat(readLine(owner)).startsWith("ready").endsWith("owned=true");
            orphan = EmbeddedDatabase.postmasterPid(dataDir.resolve("postgres")).orElseThrow();
        } finally {
            owner.destroyForcibly(); // kill -9: no shutdown hook runs
            owner.waitFor(10, TimeUnit.SECONDS);
        }
        assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive)).as("the orphaned postmaster").contains(true);

        try (var db = EmbeddedDatabase.startOrAttach(dataDir)) {
            assertThat(db.owned()).isTrue();
            assertThat(postmastersOf(dataDir)).as("postmasters of the data directory").hasSize(1)
                    .allSatisfy(p -> assertThat(p.pid()).as("the orphan, stopped").isNotEqualTo(orphan));
            assertThat(EmbeddedDatabase.running(orphan)).isFalse();
            execute(db, "CREATE TABLE t (v int)");
            // A command attaching meanwhile, and closing, leaves the owner's server running.
            try (var attached = EmbeddedDatabase.startOrAttach(dataDir)) {
                assertThat(attached.owned()).isFalse();
            }
            execute(db, "INSERT INTO t VALUES (1)");
        }
        assertThat(postgresProcessesOf(dataDir)).isEmpty();
    }

    @Test
    void an_attached_process_never_stops_a_database_whose_owner_lives(@TempDir Path dataDir) throws Exception {
        Process owner = startOwnerProcess(dataDir);
        try {
            assertThat(readLine(owner)).endsWith("owned=true");
            long postmaster = EmbeddedDatabase.postmasterPid(dataDir.resolve("postgres")).orElseThrow();
            try (var attached = EmbeddedDatabase.startOrAttach(dataDir)) {
                assertThat(attached.owned()).isFalse();
                execute(attached, "SELECT 1");
            }
            assertThat(EmbeddedDatabase.postmasterPid(dataDir.resolve("postgres"))).hasValue(postmaster);
            assertThat(EmbeddedDatabase.runningPort(dataDir.resolve("postgres"))).isPresent();
        } finally {
            owner.destroy(); // SIGTERM: the owner stops its database
            assertThat(owner.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(postgresProcessesOf(dataDir)).isEmpty();
    }

    @Test
    void a_killed_postmaster_is_started_again_on_the_same_port_by_its_watching_owner(@TempDir Path dataDir) throws Exception {
        try (var db = EmbeddedDatabase.startOrAttach(dataDir)) {
            db.watch(Duration.ofMillis(200), () -> { });
            execute(db, "CREATE TABLE kept (v int); INSERT INTO kept VALUES (42)");
            long first = EmbeddedDatabase.postmasterPid(dataDir.resolve("postgres")).orElseThrow();
            ProcessHandle.of(first).orElseThrow().destroyForcibly();

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40); // a liveness bound
            Integer value = null;
            while (value == null && System.nanoTime() < deadline) {
                try (var c = DriverManager.getConnection(db.settings(1).jdbcUrl(), "postgres", null);
                     var rs = c.createStatement().executeQuery("SELECT v FROM kept")) {
                    value = rs.next() ? rs.getInt(1) : -1;
                } catch (java.sql.SQLException e) {
                    Thread.sleep(200);
                }
            }
            assertThat(value).as("the committed row, on the same port after the restart").isEqualTo(42);
            assertThat(EmbeddedDatabase.postmasterPid(dataDir.resolve("postgres")).orElseThrow()).isNotEqualTo(first);
        }
        assertThat(postgresProcessesOf(dataDir)).isEmpty();
    }

    @Test
    void a_dead_process_that_nobody_reaped_is_not_running() throws Exception {
        // A child that exits under a parent that never waits for it stays a zombie, as a crashed postmaster does in a
        // container where Isotherm is process 1.
        Process parent = new ProcessBuilder("sh", "-c", "sleep 0 & exec sleep 5").start();
        try {
            ProcessHandle zombie = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (zombie == null && System.nanoTime() < deadline) {
                zombie = parent.toHandle().children().findFirst().orElse(null);
                Thread.sleep(20);
            }
            assertThat(zombie).as("the unreaped child").isNotNull();
            Thread.sleep(200); // sleep 0 is over
            assertThat(EmbeddedDatabase.running(zombie.pid())).isFalse();
            assertThat(EmbeddedDatabase.running(parent.pid())).isTrue();
        } finally {
            parent.destroyForcibly();
        }
    }

    /** Postmasters whose command line names this data directory (their backends go when they go). */
    static List<ProcessHandle> postmastersOf(Path dataDir) {
        String pgData = dataDir.toAbsolutePath().normalize().resolve("postgres").toString();
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().filter(c -> c.contains("bin/postgres") && c.contains(pgData)).isPresent())
                .toList();
    }

    /** The postmasters left after a bounded wait for them to go. */
    static List<ProcessHandle> postgresProcessesOf(Path dataDir) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!postmastersOf(dataDir).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        return postmastersOf(dataDir);
    }

    private static Process startOwnerProcess(Path dataDir) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), EmbeddedDatabaseOwner.class.getName(),
                dataDir.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static String readLine(Process process) throws Exception {
        var reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.startsWith("ready")) return line;
        }
        throw new IllegalStateException("the owner process exited before it was ready");
    }

    private static void execute(EmbeddedDatabase db, String sql) throws Exception {
        try (var c = DriverManager.getConnection(db.settings(1).jdbcUrl(), "postgres", null)) {
            c.createStatement().execute(sql);
        }
    }
}
