package io.isotherm.launcher;

import io.isotherm.db.Database;
import io.isotherm.db.EmbeddedDatabase;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The database the platform runs on: the external PostgreSQL when one is configured, else the embedded one in the
 * data directory (started here, or shared with an Isotherm already running on that directory).
 */
final class PlatformDatabase implements AutoCloseable {
    private final EmbeddedDatabase embedded; // null for an external database
    private final Database database;

    private PlatformDatabase(EmbeddedDatabase embedded, Database database) {
        this.embedded = embedded;
        this.database = database;
    }

    static PlatformDatabase open(Settings settings, MeterRegistry metrics) {
        if (!settings.embeddedDatabase()) {
            return new PlatformDatabase(null, Database.open(settings.externalDatabase(), metrics));
        }
        EmbeddedDatabase embedded = EmbeddedDatabase.startOrAttach(settings.dataDir());
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
