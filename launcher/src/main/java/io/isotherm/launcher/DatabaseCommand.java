package io.isotherm.launcher;

import org.jdbi.v3.core.Jdbi;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * A command that works on the database with or without a running server ({@code site …}, {@code user …},
 * {@code token …}): it opens the database for its run (attaching to a running embedded one) and prints text or,
 * with {@code --json}, JSON.
 */
abstract class DatabaseCommand implements Callable<Integer> {
    final Settings settings;
    final PrintWriter out;

    @Spec
    CommandSpec spec;

    @Mixin
    CommandOptions options;

    DatabaseCommand(Settings settings, PrintWriter out) {
        this.settings = settings;
        this.out = out;
    }

    @Override
    public Integer call() throws Exception {
        before();
        try (var db = options.openDatabase(settings)) {
            return run(db.database().jdbi());
        }
    }

    /** Runs before the database is opened: reading a password first keeps a prompt from waiting on PostgreSQL. */
    void before() throws Exception {
    }

    abstract int run(Jdbi jdbi) throws Exception;

    void print(Object jsonValue, String text) throws Exception {
        options.print(out, jsonValue, text);
    }
}
