package io.isotherm.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The zero-setup database: a PostgreSQL server whose files live in {@code <dataDir>/postgres} and survive restarts.
 *
 * <ul>
 *   <li>The process that starts the server owns it ({@link OwnerLock}) and stops it when it closes this, when it
 *   fails, and on SIGTERM or Ctrl-C (a shutdown hook of its own, which lets a server's roles stop first: see
 *   {@link #stopLastOnExit}).</li>
 *   <li>When a server already runs on that directory and its owner is alive (an Isotherm serving in another
 *   process), this attaches to it instead of starting a second one, so command-line tools work next to a running
 *   platform. Closing an attached handle never stops the server.</li>
 *   <li>When a server runs but its owner is gone ({@code kill -9}), it is an orphan: it is stopped and started again,
 *   owned by this process.</li>
 *   <li>With {@link #watch}, a dead postmaster is noticed and started again on the same port, by the owner, or by
 *   an attached process whose owner has gone too; the connection pool then reconnects by itself.</li>
 * </ul>
 */
public final class EmbeddedDatabase implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);
    private static final String USER = "postgres";
    /** How long to wait for a server another process is starting, or for a killed postmaster's backends to leave. */
    private static final Duration START_PATIENCE = Duration.ofSeconds(30);
    /** What this JVM owns; it must not probe their owner locks (see OwnerLock). */
    private static final Set<Path> OWNED_HERE = ConcurrentHashMap.newKeySet();

    private final Path dataDir;
    private final Path pgData;
    private volatile int port;          // 0 until a server started on any free port is up
    private EmbeddedPostgres server; // null when attached to a server another process owns
    private OwnerLock ownerLock;      // held while this process owns the server
    private ScheduledExecutorService watchdog;
    private volatile boolean closed;
    private final CountDownLatch closing = new CountDownLatch(1);
    private Thread exitHook;             // stops an owned server on SIGTERM or Ctrl-C
    private volatile Duration exitGrace = Duration.ZERO;

    private EmbeddedDatabase(Path dataDir, int port) {
        this.dataDir = dataDir;
        this.pgData = dataDir.resolve("postgres");
        this.port = port;
    }

    public static EmbeddedDatabase startOrAttach(Path dataDir) {
        return startOrAttach(dataDir, 0);
    }

    /**
     * @param port the port to start on, or 0 for any free one (ignored when attaching)
     * @throws IllegalStateException when another live process owns the server but it does not come up within 30 s
     */
    public static EmbeddedDatabase startOrAttach(Path dataDir, int port) {
        Path dir = dataDir.toAbsolutePath().normalize();
        long deadline = System.nanoTime() + START_PATIENCE.toNanos();
        while (true) {
            Optional<EmbeddedDatabase> db = startOrAttachNow(dir, port);
            if (db.isPresent()) return db.get();
            // Its owner is alive but its server is not up: starting, or being started again after a crash (by a
            // watchdog that may be this JVM's, so the wait is outside the lock).
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the embedded PostgreSQL on " + dir.resolve("postgres") + " belongs to "
                        + "another running process but did not come up within " + START_PATIENCE.toSeconds() + " s");
            }
            sleep(Duration.ofMillis(200));
        }
    }

    /** Attached, or started as the owner; empty while another live owner's server is down. */
    private static Optional<EmbeddedDatabase> startOrAttachNow(Path dir, int port) {
        Path pgData = dir.resolve("postgres");
        synchronized (EmbeddedDatabase.class) {
            Optional<Integer> running = runningPort(pgData);
            if (OWNED_HERE.contains(pgData)) {
                return running.map(p -> attached(dir, p));
            }
            Optional<OwnerLock> lock = takeOwnership(dir);
            if (lock.isEmpty()) {
                return running.map(p -> attached(dir, p));
            }
            if (running.isPresent() || postmasterAlive(pgData)) {
                log.warn("the embedded PostgreSQL on {} was left running by a process that has gone; stopping it "
                        + "to start it again as this process's own", pgData);
                stopOrphan(pgData);
            }
            var db = new EmbeddedDatabase(dir, port > 0 ? port : running.orElse(0));
            db.ownerLock = lock.get();
            OWNED_HERE.add(pgData);
            try {
                return Optional.of(db.startOwned());
            } catch (RuntimeException e) {
                db.releaseOwnership();
                throw e;
            }
        }
    }

    private static EmbeddedDatabase attached(Path dataDir, int port) {
        log.info("using the embedded PostgreSQL already running on {} (port {})", dataDir.resolve("postgres"), port);
        return new EmbeddedDatabase(dataDir, port);
    }

    /** The owner lock, unless a live process holds it (never probed for what this JVM owns). */
    private static Optional<OwnerLock> takeOwnership(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + dataDir, e);
        }
        return OwnerLock.tryTake(dataDir);
    }

    /**
     * Starts the server as the owner, on {@code this.port} or any free port when 0. After a crash PostgreSQL refuses
     * to start while backends of the dead postmaster are still leaving, so they are waited for first. One attempt:
     * a failed start leaves the library's lock on the data directory held in this JVM.
     */
    private EmbeddedDatabase startOwned() {
        try {
            awaitOldBackends(pgData);
            Files.createDirectories(pgData);
            var builder = EmbeddedPostgres.builder();
            if (port > 0) {
                builder.setPort(port);
            }
            server = builder
                    .setRegisterShutdownHook(false) // ours stops it, after the roles that use it (see stopLastOnExit)
                    .setDataDirectory(pgData)
                    .setCleanDataDirectory(false)
                    .setServerConfig("listen_addresses", "localhost")
                    // The library's defaults trade durability for test speed; a 202 must survive a crash.
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on")
                    .setServerConfig("max_connections", "100")
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL in " + pgData, e);
        }
        port = server.getPort();
        if (exitHook == null) {
            exitHook = new Thread(this::stopOnExit, "isotherm-embedded-postgres-stop");
            Runtime.getRuntime().addShutdownHook(exitHook);
        }
        log.info("embedded PostgreSQL started on port {} with data in {} (pid {})", port, pgData,
                postmasterPid(pgData).orElse(-1));
        return this;
    }

    /**
     * Waits until no process is attached to a dead postmaster's shared memory (the interlock PostgreSQL checks at
     * start: the shmid on line 7 of postmaster.pid, its attach count in /proc/sysvipc/shm).
     */
    private static void awaitOldBackends(Path pgData) {
        if (postmasterAlive(pgData)) return;
        long deadline = System.nanoTime() + START_PATIENCE.toNanos();
        while (oldBackendsAttached(pgData) && System.nanoTime() < deadline) {
            sleep(Duration.ofMillis(100));
        }
    }

    private static boolean oldBackendsAttached(Path pgData) {
        try {
            List<String> pidFile = Files.readAllLines(pgData.resolve("postmaster.pid"));
            if (pidFile.size() < 7) return false;
            String[] shm = pidFile.get(6).trim().split("\\s+");
            if (shm.length < 2) return false;
            String shmid = shm[1];
            try (var lines = Files.lines(Path.of("/proc/sysvipc/shm"))) {
                // columns: key shmid perms size cpid lpid nattch ...
                return lines.skip(1).map(l -> l.trim().split("\\s+"))
                        .anyMatch(c -> c.length > 6 && c[1].equals(shmid) && !c[6].equals("0"));
            }
        } catch (IOException | RuntimeException e) {
            return false; // no pid file, or no such table on this system: nothing to wait for
        }
    }

    /**
     * Stops a server nobody owns: its client sessions are ended (their process is gone, or they are command-line
     * tools that attached to it), then the postmaster is asked to shut down, and killed if it will not.
     */
    private static void stopOrphan(Path pgData) {
        OptionalLong pid = postmasterPid(pgData);
        Optional<Integer> port = runningPort(pgData);
        if (port.isPresent()) endSessions(port.get());
        if (pid.isEmpty()) return;
        ProcessHandle.of(pid.getAsLong()).ifPresent(postmaster -> {
            postmaster.destroy(); // SIGTERM: a smart shutdown, quick now that no session is left
            if (!awaitGone(postmaster.pid(), Duration.ofSeconds(15))) {
                log.warn("the orphaned PostgreSQL (pid {}) did not stop within 15 s; killing it", postmaster.pid());
                postmaster.destroyForcibly();
                awaitGone(postmaster.pid(), Duration.ofSeconds(5));
            }
        });
    }

    private static boolean awaitGone(long pid, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (running(pid)) {
            if (System.nanoTime() > deadline) return false;
            sleep(Duration.ofMillis(50));
        }
        return true;
    }

    private static void endSessions(int port) {
        try (var c = DriverManager.getConnection(jdbcUrl(port), USER, null); var s = c.createStatement()) {
            s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    + "WHERE pid <> pg_backend_pid() AND backend_type = 'client backend'");
        } catch (SQLException e) {
            log.info("could not end the orphaned server's sessions: {}", e.getMessage());
        }
    }

    /**
     * Checks every {@code every} that the postmaster lives, and starts it again on the same port when it does not
     * (if this process owns it, or if its owner has gone too). If that fails, the checks stop and {@code onFailure}
     * runs (the server exits, for its supervisor to start it again). For long-running processes; command-line tools
     * run too briefly to need it.
     */
    public void watch(Duration every, Runnable onFailure) {
        if (watchdog != null) return;
        watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "isotherm-embedded-postgres-watchdog");
            t.setDaemon(true);
            return t;
        });
        watchdog.scheduleWithFixedDelay(() -> {
            try {
                check();
            } catch (RuntimeException e) {
                log.error("the embedded PostgreSQL on {} is down and could not be started again", pgData, e);
                watchdog.shutdown();
                onFailure.run();
            }
        }, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void check() {
        if (closed || jvmStopping() || postmasterAlive(pgData)) return;
        synchronized (EmbeddedDatabase.class) {
            if (closed || postmasterAlive(pgData)) return;
            if (ownerLock != null) {
                log.error("the embedded PostgreSQL on {} (port {}) has stopped; starting it again", pgData, port);
                stopQuietly(server);
                server = null;
            } else {
                if (OWNED_HERE.contains(pgData)) return; // another handle in this JVM owns it and restarts it
                Optional<OwnerLock> lock = OwnerLock.tryTake(dataDir);
                if (lock.isEmpty()) return; // its live owner restarts it
                log.warn("the embedded PostgreSQL on {} (port {}) has stopped and its owner has gone; this process "
                        + "starts it again and now owns it", pgData, port);
                ownerLock = lock.get();
                OWNED_HERE.add(pgData);
            }
            startOwned();
            log.info("the embedded PostgreSQL on {} is back on port {}", pgData, port);
        }
    }

    /**
     * On SIGTERM or Ctrl-C, all shutdown hooks run at once. A server closes its roles in its own hook and this last;
     * with this set, the database waits up to {@code grace} for that, so the roles' last writes (queued batches,
     * ingest outcomes) still reach it and nothing logs a lost connection.
     */
    public void stopLastOnExit(Duration grace) {
        exitGrace = grace;
    }

    private void stopOnExit() {
        try {
            if (!closing.await(exitGrace.toMillis(), TimeUnit.MILLISECONDS) && !exitGrace.isZero()) {
                log.warn("the platform did not stop within {} s; stopping the embedded PostgreSQL under it",
                        exitGrace.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        close();
    }

    /** After a crash, the library's stop fails (nothing to stop) but releases its lock on the data directory. */
    private static void stopQuietly(EmbeddedPostgres dead) {
        if (dead == null) return;
        try {
            dead.close();
        } catch (IOException | RuntimeException e) {
            log.debug("stopping the dead PostgreSQL: {}", e.toString());
        }
    }

    /** Whether the JVM is already running its shutdown hooks (then ours is stopping PostgreSQL). */
    private static boolean jvmStopping() {
        Thread probe = new Thread(() -> { });
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }

    /** Whether the postmaster named in {@code postmaster.pid} is a live postgres process. */
    static boolean postmasterAlive(Path pgData) {
        OptionalLong pid = postmasterPid(pgData);
        if (pid.isEmpty() || !running(pid.getAsLong())) return false;
        return ProcessHandle.of(pid.getAsLong())
                // a recycled pid is some other program
                .filter(p -> p.info().command().map(c -> c.endsWith("postgres")).orElse(true))
                .isPresent();
    }

    /**
     * Whether the process runs: a dead postmaster stays a zombie until its parent reaps it, and in a container
     * where Isotherm is process 1, nobody does (pg_ctl leaves the postmaster to the init process).
     */
    static boolean running(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2); // "pid (comm) S ..."
            return state != 'Z' && state != 'X';
        } catch (IOException | RuntimeException e) {
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false); // no /proc here
        }
    }

    /** Line 1 of postmaster.pid is the postmaster's pid (PostgreSQL's documented file layout). */
    static OptionalLong postmasterPid(Path pgData) {
        try {
            List<String> lines = Files.readAllLines(pgData.resolve("postmaster.pid"));
            return lines.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(lines.get(0).trim()));
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** The port of a live server on {@code pgData}, read from its postmaster.pid and confirmed by a login. */
    static Optional<Integer> runningPort(Path pgData) {
        Path pidFile = pgData.resolve("postmaster.pid");
        if (!Files.isRegularFile(pidFile)) {
            return Optional.empty();
        }
        try {
            List<String> lines = Files.readAllLines(pidFile);
            // Line 4 of postmaster.pid is the port (PostgreSQL's documented file layout).
            int port = Integer.parseInt(lines.get(3).trim());
            try (var ignored = DriverManager.getConnection(jdbcUrl(port), USER, null)) {
                return Optional.of(port);
            }
        } catch (Exception e) {
            return Optional.empty(); // stale pid file: the server is gone
        }
    }

    private static String jdbcUrl(int port) {
        return "jdbc:postgresql://localhost:" + port + "/postgres";
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the embedded PostgreSQL", e);
        }
    }

    public DatabaseSettings settings(int maxPoolSize) {
        return new DatabaseSettings(jdbcUrl(port), USER, null, maxPoolSize);
    }

    public int port() {
        return port;
    }

    /** Whether this process owns the server (and so stops it on close). */
    public boolean owned() {
        return ownerLock != null;
    }

    private void releaseOwnership() {
        OWNED_HERE.remove(pgData);
        ownerLock.close();
        ownerLock = null;
    }

    @Override
    public void close() {
        closed = true;
        closing.countDown();
        if (watchdog != null) {
            watchdog.shutdownNow();
        }
        synchronized (EmbeddedDatabase.class) {
            if (exitHook != null && Thread.currentThread() != exitHook) {
                try {
                    Runtime.getRuntime().removeShutdownHook(exitHook);
                } catch (IllegalStateException e) {
                    // the JVM is stopping: the hook runs and finds this closed
                }
            }
            if (ownerLock == null) {
                return; // attached: the server is its owner's to stop
            }
            if (server != null) {
                try {
                    server.close();
                    log.info("embedded PostgreSQL stopped ({})", pgData);
                } catch (IOException e) {
                    log.warn("embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
                }
                server = null;
            }
            releaseOwnership();
        }
    }
}
