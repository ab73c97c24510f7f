package io.isotherm.launcher;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code serve} in a JVM of its own, as a user starts it, with its output kept for failure messages. */
final class ServerProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on http://[^:]+:(\\d+)");

    private final Process process;
    private final StringBuffer output = new StringBuffer();
    private final CompletableFuture<Integer> port = new CompletableFuture<>();
    private final Thread reader;

    private ServerProcess(Process process) {
        this.process = process;
        reader = new Thread(this::read, "server-process-output");
        reader.setDaemon(true);
        reader.start();
    }

    static ServerProcess start(Path dataDir, int port, String roles) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "serve", "--port", Integer.toString(port), "--data-dir", dataDir.toString(),
                "--roles", roles));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        // The tests' load clients stand for many visitors, all behind 127.0.0.1: the per-address limits would refuse them.
        builder.environment().put("ISOTHERM_COLLECT_BATCHES_PER_SECOND_PER_ADDRESS", "0");
        builder.environment().put("ISOTHERM_COLLECT_PAGEVIEWS_PER_SECOND_PER_ADDRESS", "0");
        return new ServerProcess(builder.start());
    }

    /** The HTTP port, once the server listens (a liveness bound of 60 s). */
    int awaitPort() throws Exception {
        return port.get(60, TimeUnit.SECONDS);
    }

    long pid() {
        return process.pid();
    }

    String output() {
        return output.toString();
    }

    /** kill -9: no shutdown hook runs. */
    void killHard() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGTERM, then its exit status (a liveness bound of 30 s), with all it printed read into {@link #output}. */
    int stop() throws InterruptedException {
        process.toHandle().destroy(); // SIGTERM; Process.destroy() would also close the pipe and lose the last lines
        if (!process.waitFor(30, TimeUnit.SECONDS)) throw new IllegalStateException("the server did not stop:\n" + output);
        reader.join(5_000);
        return process.exitValue();
    }

    private void read() {
        try (var lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                output.append(line).append('\n');
                Matcher m = LISTENING.matcher(line);
                if (m.find()) port.complete(Integer.parseInt(m.group(1)));
            }
        } catch (Exception e) {
            // the process is gone
        }
        port.completeExceptionally(new IllegalStateException("server exited:\n" + output));
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) killHard();
    }
}
