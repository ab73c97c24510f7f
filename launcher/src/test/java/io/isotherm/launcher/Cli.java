package io.isotherm.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;

/** Runs the command line in this JVM against a data directory and captures what it prints. */
final class Cli {
    record Result(int exitCode, String out, String err) {
        JsonNode json() throws Exception {
            return new ObjectMapper().readTree(out);
        }
    }

    static Result run(Path dataDir, String... args) {
        return run(Map.of(), dataDir, args);
    }

    /** With more environment variables than the data directory. */
    static Result run(Map<String, String> env, Path dataDir, String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        var all = new java.util.HashMap<>(env);
        all.put("ISOTHERM_DATA_DIR", dataDir.toString());
        int code = Main.run(all, new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString().trim(), err.toString().trim());
    }

    /**
     * With {@code stdin} as standard input, as a shell pipe would give it. System.in is the JVM's one standard input,
     * so it is swapped for the command and put back; test classes here do not run in parallel.
     */
    static Result runWithInput(Path dataDir, String stdin, String... args) {
        var original = System.in;
        System.setIn(new java.io.ByteArrayInputStream(stdin.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        try {
            return run(dataDir, args);
        } finally {
            System.setIn(original);
        }
    }

    private Cli() {
    }
}
