package io.isotherm.launcher;

import org.jdbi.v3.core.Jdbi;

import java.nio.file.Path;
import java.util.Map;

/**
 * The embedded database of a test's data directory, held open for checks and set-ups the commands do not offer
 * (sessions, memberships). While it is open, commands attach to it, as they do next to a running server.
 */
final class HeldDatabase implements AutoCloseable {
    private final PlatformDatabase database;

    private HeldDatabase(PlatformDatabase database) {
        this.database = database;
    }

    static HeldDatabase open(Path dataDir) {
        Settings settings = Settings.fromEnvironment(Map.of("ISOTHERM_DATA_DIR", dataDir.toString()));
        return new HeldDatabase(PlatformDatabase.open(settings.withDatabasePoolSize(2), null));
    }

    Jdbi jdbi() {
        return database.database().jdbi();
    }

    @Override
    public void close() {
        database.close();
    }
}
