package io.isotherm.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.List;
import java.util.Optional;

/**
 * The zero-setup database: a PostgreSQL server whose files live in {@code <dataDir>/postgres} and survive restarts.
 * When a server already runs on that directory (an Isotherm serving in another process), this attaches to it
 * instead of starting a second one, so command-line tools work next to a running platform.
 */
public final class EmbeddedDatabase implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);
    private static final String USER = "postgres";

    private final EmbeddedPostgres server; // null when attached to a server another process owns
    private final int port;

    private EmbeddedDatabase(EmbeddedPostgres server, int port) {
        this.server = server;
        this.port = port;
    }

    public static EmbeddedDatabase startOrAttach(Path dataDir) {
        return startOrAttach(dataDir, 0);
    }

    /** @param port the port to start on, or 0 for any free one (ignored when attaching) */
    public static EmbeddedDatabase startOrAttach(Path dataDir, int port) {
        Path pgData = dataDir.toAbsolutePath().normalize().resolve("postgres");
        Optional<Integer> running = runningPort(pgData);
        if (running.isPresent()) {
            log.info("using the embedded PostgreSQL already running on {} (port {})", pgData, running.get());
            return new EmbeddedDatabase(null, running.get());
        }
        try {
            Files.createDirectories(pgData);
            var builder = EmbeddedPostgres.builder();
            if (port > 0) {
                builder.setPort(port);
            }
            EmbeddedPostgres server = builder
                    .setDataDirectory(pgData)
                    .setCleanDataDirectory(false)
                    .setServerConfig("listen_addresses", "localhost")
                    // The library's defaults trade durability for test speed; a 202 must survive a crash.
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on")
                    .setServerConfig("max_connections", "100")
                    .start();
            log.info("embedded PostgreSQL started on port {} with data in {}", server.getPort(), pgData);
            return new EmbeddedDatabase(server, server.getPort());
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL in " + pgData, e);
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

    public DatabaseSettings settings(int maxPoolSize) {
        return new DatabaseSettings(jdbcUrl(port), USER, null, maxPoolSize);
    }

    public int port() {
        return port;
    }

    /** Whether this process started the server (and so stops it on close). */
    public boolean owned() {
        return server != null;
    }

    @Override
    public void close() {
        if (server == null) {
            return;
        }
        try {
            server.close();
        } catch (IOException e) {
            log.warn("embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
        }
    }
}
