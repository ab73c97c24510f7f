package io.isotherm.launcher;

import io.isotherm.db.Database;
import io.isotherm.db.EmbeddedDatabase;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Duration;

/**
 * The database the platform runs on: the external PostgreSQL when one is configured, else the embedded one in the
 * data directory (started here, or shared with an Isotherm already running on that directory; see
 * {@link EmbeddedDatabase} for who stops and restarts it).
 */
final class PlatformDatabase implements AutoCloseable {
    /** How often a server checks that its embedded PostgreSQL lives. */
    private static final Duration WATCH_EVERY = Duration.ofSeconds(1);
    /** How long the embedded PostgreSQL waits, on SIGTERM, for a server's roles to finish their last writes. */
    private static final Duration ROLES_STOP_WITHIN = Duration.ofSeconds(30);

    private final EmbeddedDatabase embedded; // null for an external database
    private final Database database;

    private PlatformDatabase(EmbeddedDatabase embedded, Database database) {
        this.embedded = embedded;
        this.database = database;
    }

    /** For a command's run: opened, used and closed. */
    static PlatformDatabase open(Settings settings, MeterRegistry metrics) {
        return open(settings, metrics, null);
    }

    /**
     * For a server: an embedded database is watched, and started again if its postmaster dies; if that fails,
     * {@code onLost} runs.
     */
    static PlatformDatabase serving(Settings settings, MeterRegistry metrics, Runnable onLost) {
        return open(settings, metrics, onLost);
    }

    private static PlatformDatabase open(Settings settings, MeterRegistry metrics, Runnable onLost) {
        if (!settings.embeddedDatabase()) {
            return new PlatformDatabase(null, Database.open(settings.externalDatabase(), metrics));
        }
        EmbeddedDatabase embedded = EmbeddedDatabase.startOrAttach(settings.dataDir());
        if (onLost != null) {
            embedded.watch(WATCH_EVERY, onLost);
            embedded.stopLastOnExit(ROLES_STOP_WITHIN);
        }
        try {
            return new PlatformDatabase(embedded, Database.open(embedded.settings(settings.databasePoolSize()), metrics));
        } catch (RuntimeException e) {
            embedded.close();
            throw e;
        }
    }

    Database database() {
        return database;
    }

    @Override
    public void close() {
        database.close();
        if (embedded != null) {
            embedded.close();
        }
    }
}
