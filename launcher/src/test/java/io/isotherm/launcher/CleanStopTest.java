package io.isotherm.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGTERM on a server with every role, as a supervisor stops it: the roles stop while their database still runs,
 * and the embedded PostgreSQL stops last, so a normal stop logs no error and leaves no database behind.
 */
class CleanStopTest {
    @Test
    void sigterm_stops_the_roles_before_the_embedded_database(@TempDir Path dataDir) throws Exception {
        try (var server = ServerProcess.start(dataDir, 0, "collector,aggregator,dashboard")) {
            int port = server.awaitPort();
            var added = Cli.run(dataDir, "site", "add", "--name", "Shop", "--origin", "https://shop.example", "--json");
            assertThat(added.exitCode()).as(added.err()).isZero();
            assertThat(Http.collectOneClick(port, added.json().get("key").asText()).statusCode()).isEqualTo(202);
            assertThat(ServerFaultsTest.postmastersOf(dataDir.resolve("postgres"))).hasSize(1);

            int status = server.stop();

            String output = server.output();
            assertThat(output).as("exit %d", status).contains("Isotherm stopped");
            assertThat(output).as(output).doesNotContain(" ERROR ").doesNotContain("Exception").doesNotContain("\tat ");
            // The database stopped after the roles (the HTTP server stops after the collector), not beside them.
            assertThat(output.indexOf("embedded PostgreSQL stopped")).as(output).isGreaterThan(output.indexOf("Javalin has stopped"));
            assertThat(ServerFaultsTest.postmastersOf(dataDir.resolve("postgres"))).isEmpty();
        }
    }
}
