package io.isotherm.launcher;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;

/** Options shared by the commands that work on the database without serving it ({@code site …}, {@code aggregate}). */
final class CommandOptions {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--data-dir", description = "Data directory of the embedded database (ISOTHERM_DATA_DIR, default ./data).")
    Path dataDir;

    @Option(names = "--json", description = "Print JSON for scripts.")
    boolean json;

    /** The settings with {@code --data-dir} applied. */
    Settings apply(Settings settings) {
        return dataDir == null ? settings : settings.withDataDir(dataDir);
    }

    /** The database of these settings, for one command: the embedded one is started or attached to. */
    PlatformDatabase openDatabase(Settings settings) {
        // Flyway holds one connection for its lock and migrates on another.
        return PlatformDatabase.open(apply(settings).withDatabasePoolSize(2), null);
    }

    /** Prints the JSON of {@code jsonValue} with --json, else {@code text}. */
    void print(PrintWriter out, Object jsonValue, String text) throws JsonProcessingException {
        out.println(json ? JSON.writeValueAsString(jsonValue) : text);
        out.flush();
    }
}
