package io.isotherm.accounts;

import io.isotherm.db.Database;
import io.isotherm.db.DatabaseSettings;
import io.isotherm.db.TestPostgres;
import io.isotherm.db.site.SiteDao;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** A fresh, migrated database on the shared embedded PostgreSQL, with a few helpers for the accounts tests. */
final class TestDb implements AutoCloseable {
    final Database database;
    final Jdbi jdbi;
    private final String name;

    private TestDb(Database database, String name) {
        this.database = database;
        this.jdbi = database.jdbi();
        this.name = name;
    }

    /** A fresh database for one test class; {@link #reset} empties it between tests. */
    static TestDb open() {
        DatabaseSettings settings = TestPostgres.migratedDatabase();
        String url = settings.jdbcUrl();
        return new TestDb(Database.open(settings, null), url.substring(url.lastIndexOf('/') + 1));
    }

    /** Empties every table the accounts touch (and, by cascade, whatever refers to a user or a site). */
    void reset() {
        jdbi.useHandle(h -> h.execute("TRUNCATE app_user, site RESTART IDENTITY CASCADE"));
    }

    /** A new site; its id. */
    int site(String name) {
        return new SiteDao(jdbi).add(name, List.of("https://" + name.toLowerCase() + ".example"), List.of()).id();
    }

    /** The single number a query answers. */
    long count(String sql, Object... args) {
        return jdbi.withHandle(h -> {
            var query = h.createQuery(sql);
            for (int i = 0; i < args.length; i++) query.bind(i, args[i]);
            return query.mapTo(Long.class).one();
        });
    }

    /** The single value of a query's one row. */
    <T> T one(Class<T> type, String sql, Object... args) {
        return jdbi.withHandle(h -> {
            var query = h.createQuery(sql);
            for (int i = 0; i < args.length; i++) query.bind(i, args[i]);
            return query.mapTo(type).one();
        });
    }

    /** The first column of every row of a query. */
    <T> List<T> list(Class<T> type, String sql, Object... args) {
        return jdbi.withHandle(h -> {
            var query = h.createQuery(sql);
            for (int i = 0; i < args.length; i++) query.bind(i, args[i]);
            return query.mapTo(type).list();
        });
    }

    void execute(String sql, Object... args) {
        jdbi.useHandle(h -> {
            var update = h.createUpdate(sql);
            for (int i = 0; i < args.length; i++) update.bind(i, args[i]);
            update.execute();
        });
    }

    static byte[] sha256(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs the calls on threads of their own while this database is held by {@code lockSql} in a transaction, and
     * lets them go at once when every one of them waits for a lock: they race as closely as they can. Each call's
     * result, or null for a call that failed with an {@link AccountError}.
     */
    <T> List<T> race(String lockSql, List<Callable<T>> calls) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(calls.size());
        try (Handle blocker = jdbi.open()) {
            blocker.begin();
            blocker.execute(lockSql);
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> call : calls) futures.add(pool.submit(call));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (count("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'")
                    < calls.size()) {
                if (System.nanoTime() > deadline) throw new AssertionError("not every racer came to wait for the lock");
                for (Future<T> f : futures) {
                    if (f.isDone()) f.get(); // a racer that got past the lock or failed early: show why
                }
                Thread.onSpinWait();
            }
            for (Future<T> f : futures) {
                if (f.isDone()) throw new AssertionError("a racer finished while the lock was held");
            }
            blocker.commit();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                try {
                    results.add(f.get(60, TimeUnit.SECONDS));
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof AccountError)) throw e;
                    results.add(null);
                }
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Closes the pool and drops the database, so the embedded server has little left to delete at exit. */
    @Override
    public void close() {
        database.close();
        try (var connection = DriverManager.getConnection("jdbc:postgresql://localhost:" + TestPostgres.port() + "/postgres", "postgres", null);
             var statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + name);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
