package io.isotherm.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real embedded PostgreSQL per test JVM; every caller gets a fresh, migrated database of its own,
 * so test classes never see each other's rows.
 */
public final class TestPostgres {
    private static final AtomicInteger NEXT = new AtomicInteger();
    private static EmbeddedPostgres server;
    /** A database migrated once per JVM that {@link #open} copies; nobody connects to it after its migration. */
    private static String template;

    private TestPostgres() {
    }

    public static synchronized int port() {
        if (server == null) {
            try {
                server = EmbeddedPostgres.builder().setServerConfig("max_connections", "300").start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return server.getPort();
    }

    /** Settings for a new, empty database on the shared server. */
    public static DatabaseSettings freshDatabase() {
        return create("");
    }

    /**
     * A fresh, migrated database. It is a copy of a template migrated once per JVM ({@code CREATE DATABASE … TEMPLATE}),
     * which takes a fraction of running every migration again; opening it still runs Flyway, which finds the schema
     * at the latest version and validates it.
     */
    public static Database open() {
        return Database.open(migratedDatabase(), null);
    }

    /** Settings for a new database already migrated to the latest version (see {@link #open}). */
    public static DatabaseSettings migratedDatabase() {
        return create("TEMPLATE " + template());
    }

    private static synchronized String template() {
        if (template == null) {
            DatabaseSettings settings = freshDatabase();
            Database.open(settings, null).close(); // its connections closed, so it can be copied
            template = name(settings);
        }
        return template;
    }

    private static DatabaseSettings create(String options) {
        int port = port();
        String name = "test_" + ProcessHandle.current().pid() + "_" + NEXT.incrementAndGet();
        try (var connection = DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/postgres", "postgres", null);
             var statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name + (options.isEmpty() ? "" : " " + options));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return new DatabaseSettings("jdbc:postgresql://localhost:" + port + "/" + name, "postgres", null, 10);
    }

    private static String name(DatabaseSettings settings) {
        String url = settings.jdbcUrl();
        return url.substring(url.lastIndexOf('/') + 1);
    }
}
