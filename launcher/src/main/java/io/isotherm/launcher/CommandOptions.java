package io.isotherm.launcher;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Options shared by the commands that work on the database without serving it ({@code site …}, {@code aggregate}). */
final class CommandOptions {
    @Option(names = "--data-dir", description = "Data directory of the embedded database (ISOTHERM_DATA_DIR, default ./data).")
    Path dataDir;

    @Option(names = "--json", description = "Print JSON for scripts.")
    boolean json;

    /** The settings with {@code --data-dir} applied. */
    Settings apply(Settings settings) {
        return dataDir == null ? settings : settings.withDataDir(dataDir);
    }
}
