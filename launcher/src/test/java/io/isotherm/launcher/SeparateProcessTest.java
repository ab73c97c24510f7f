package io.isotherm.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** `serve` in its own JVM, exactly as a user starts it, with the command line used from another process. */
class SeparateProcessTest {
    private static final Pattern LISTENING = Pattern.compile("listening on http://[^:]+:(\\d+)");

    @Test
    void site_commands_reach_a_server_running_in_another_process_and_it_stops_cleanly(@TempDir Path dataDir) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process server = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "serve", "--port", "0", "--data-dir", dataDir.toString(), "--roles", "collector")
                .redirectErrorStream(true)
                .start();
        try {
            int port = awaitPort(server);
            var added = Cli.run(dataDir, "site", "add", "--name", "Shop", "--origin", "https://shop.example", "--json");
            assertThat(added.exitCode()).as(added.err()).isZero();
            String key = added.json().get("key").asText();
            assertThat(Http.collectOneClick(port, key).statusCode()).isEqualTo(202);
        } finally {
            server.destroy(); // SIGTERM: the shutdown hook stores queued events and stops PostgreSQL
            assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        // The server's PostgreSQL is gone; the command line now starts the database itself and sees the data.
        var listed = Cli.run(dataDir, "site", "list", "--json");
        assertThat(listed.exitCode()).isZero();
        assertThat(listed.json()).hasSize(1);
    }

    private static int awaitPort(Process server) throws Exception {
        var port = new CompletableFuture<Integer>();
        var output = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (var lines = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    output.append(line).append('\n');
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        port.complete(Integer.parseInt(m.group(1)));
                    }
                }
                port.completeExceptionally(new IllegalStateException("server exited:\n" + output));
            } catch (Exception e) {
                port.completeExceptionally(e);
            }
        });
        reader.setDaemon(true);
        reader.start();
        return port.get(60, TimeUnit.SECONDS);
    }
}
