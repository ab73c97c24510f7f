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
        var out = new StringWriter();
        var err = new StringWriter();
        int code = Main.run(Map.of("ISOTHERM_DATA_DIR", dataDir.toString()), new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString().trim(), err.toString().trim());
    }

    private Cli() {
    }
}
