package io.isotherm.launcher;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL cluster of the machine's own installation (Debian's {@code postgresql} package), made in a temporary
 * directory on a free port for one test class and deleted after: an external database, not the embedded one.
 * initdb refuses to run as root, so as root the cluster belongs to the {@code postgres} user.
 */
final class ThrowAwayPostgres implements AutoCloseable {
    private static final Path DEBIAN = Path.of("/usr/lib/postgresql");

    private final Path bin;
    private final Path dir;
    private final int port;
    private final boolean asPostgresUser;

    private ThrowAwayPostgres(Path bin, Path dir, int port, boolean asPostgresUser) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
        this.asPostgresUser = asPostgresUser;
    }

    /** The newest /usr/lib/postgresql/N/bin with an initdb, if Debian's postgresql is installed. */
    static Optional<Path> installation() {
        if (!Files.isDirectory(DEBIAN)) return Optional.empty();
        try (Stream<Path> versions = Files.list(DEBIAN)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.comparing(b -> Integer.parseInt(b.getParent().getFileName().toString().replaceAll("\\D", "0"))));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Creates and starts a cluster with a database {@code isotherm}. */
    static ThrowAwayPostgres start(Path bin) throws Exception {
        boolean root = "0".equals(run(List.of("id", "-u"), false).strip());
        Path dir = Files.createTempDirectory("isotherm-pg");
        if (root) run(List.of("chown", "postgres:postgres", dir.toString()), false);
        int port;
        try (var socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        var pg = new ThrowAwayPostgres(bin, dir, port, root);
        pg.as(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", "postgres", "-A", "trust",
                "-E", "UTF8", "--no-sync");
        // Durability is not what this cluster is for: fsync off keeps a shared test machine's disks out of it.
        pg.as(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-l", dir.resolve("log").toString(), "-w",
                "-o", "-p " + port + " -k " + dir + " -c listen_addresses=localhost -c max_connections=200 -c fsync=off",
                "start");
        try (var connection = DriverManager.getConnection(jdbcUrl(port, "postgres"), "postgres", null);
             var statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE isotherm");
        } catch (SQLException e) {
            pg.close();
            throw e;
        }
        return pg;
    }

    String jdbcUrl() {
        return jdbcUrl(port, "isotherm");
    }

    private static String jdbcUrl(int port, String database) {
        return "jdbc:postgresql://localhost:" + port + "/" + database;
    }

    @Override
    public void close() throws Exception {
        try {
            as(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop");
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private void as(String... command) throws Exception {
        List<String> full = new ArrayList<>();
        if (asPostgresUser) full.addAll(List.of("runuser", "-u", "postgres", "--"));
        full.addAll(List.of(command));
        run(full, true);
    }

    private static String run(List<String> command, boolean quiet) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
        }
        return quiet ? "" : output;
    }
}
