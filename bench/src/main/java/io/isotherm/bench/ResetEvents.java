package io.isotherm.bench;

import java.sql.DriverManager;
import java.util.Set;

/**
 * Empties raw_event and ingest_batch and checkpoints, so that every benchmark run starts from the same state.
 * Refuses unless the database holds the benchmark's site and no other: it is meant for the throw-away database
 * that bench/run-ingest.sh creates, never for one with real data.
 */
public final class ResetEvents {
    private static final String USAGE = "usage: ResetEvents --jdbc jdbc:postgresql://localhost:PORT/postgres --site KEY [--user postgres]";

    public static void main(String[] argv) throws Exception {
        var args = new Args(argv, USAGE, Set.of("jdbc", "site", "user"));
        String jdbc = args.text("jdbc", null);
        if (!jdbc.startsWith("jdbc:postgresql://localhost:") && !jdbc.startsWith("jdbc:postgresql://127.0.0.1:")) {
            args.fail("--jdbc must point at this machine");
        }
        String site = args.text("site", null);
        try (var c = DriverManager.getConnection(jdbc, args.text("user", "postgres"), null)) {
            try (var st = c.prepareStatement("SELECT count(*) FILTER (WHERE public_key = ?), count(*) FILTER (WHERE public_key <> ?) FROM site")) {
                st.setString(1, site);
                st.setString(2, site);
                try (var rs = st.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) != 1 || rs.getLong(2) != 0) {
                        System.err.println("refusing: the database must hold the benchmark site " + site + " and no other");
                        System.exit(1);
                    }
                }
            }
            try (var st = c.createStatement()) {
                st.execute("TRUNCATE raw_event, ingest_batch");
                st.execute("CHECKPOINT");
            }
        }
        System.out.println("raw_event and ingest_batch emptied, checkpoint done");
    }
}
