package io.isotherm.launcher;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Start Isotherm: the database (embedded unless ISOTHERM_DATABASE_URL is set) and the chosen roles.")
final class ServeCommand implements Callable<Integer> {
    /** The exit status when the embedded database is lost (EX_UNAVAILABLE). */
    static final int DATABASE_LOST = 69;

    private final Settings settings;

    @Option(names = "--port", description = "HTTP port (ISOTHERM_PORT, default 8080; 0 picks a free one).")
    Integer port;

    @Option(names = "--data-dir", description = "Where the embedded database keeps its files (ISOTHERM_DATA_DIR, default ./data).")
    Path dataDir;

    @Option(names = "--roles", description = "Comma-separated roles to run: collector, aggregator, dashboard or all (ISOTHERM_ROLES, default all).")
    String roles;

    ServeCommand(Settings settings) {
        this.settings = settings;
    }

    @Override
    public Integer call() throws InterruptedException {
        Settings effective = settings;
        if (port != null) effective = effective.withPort(port);
        if (dataDir != null) effective = effective.withDataDir(dataDir);
        if (roles != null) effective = effective.withRoles(Settings.Role.parse(roles));

        // A server whose embedded PostgreSQL died and would not start again exits, for its supervisor to restart it.
        Platform platform = Platform.start(effective, () -> {
            System.err.println("Isotherm: the embedded PostgreSQL died and could not be started again; exiting");
            System.exit(DATABASE_LOST);
        });
        var stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            platform.close();
            stopped.countDown();
        }, "isotherm-shutdown"));
        stopped.await();
        return 0;
    }
}
