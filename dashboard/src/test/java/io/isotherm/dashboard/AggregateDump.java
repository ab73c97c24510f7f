package io.isotherm.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import io.isotherm.db.DatabaseSettings;
import io.isotherm.db.TestPostgres;
import org.flywaydb.core.Flyway;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * A database's aggregates as COPY text, table by table, in one gzipped file: a line {@code ==> TABLE ROWS}, then the
 * table's rows as {@code COPY TABLE TO STDOUT} writes them (text format, so no data line can be {@code \.}), then
 * {@code \.}. Raw events and their receipts are left out: the aggregates are what a migration must carry over.
 */
final class AggregateDump {
    /** Never dumped: the raw input (dropped by retention anyway) and Flyway's own bookkeeping. */
    private static final List<String> LEFT_OUT = List.of("raw_event", "ingest_batch", "flyway_schema_history");
    private static final String HEADER = "==> ";

    private AggregateDump() {
    }

    /** A fresh database migrated to {@code version} only, and the tables of the dump resource loaded into it. */
    record Loaded(DatabaseSettings settings, Map<String, Integer> tables) {}

    static Loaded loadAt(String version, String dumpResource) throws SQLException, IOException {
        DatabaseSettings settings = TestPostgres.freshDatabase();
        Flyway.configure().dataSource(settings.jdbcUrl(), settings.user(), settings.password())
                .locations("classpath:db/migration").target(version).load().migrate();
        try (var c = DriverManager.getConnection(settings.jdbcUrl(), settings.user(), settings.password());
             InputStream dump = resource(dumpResource)) {
            return new Loaded(settings, load(c, dump));
        }
    }

    /** A fixture recorded with the dump: its JSON. */
    static JsonNode fixture(String jsonResource) throws IOException {
        try (InputStream in = resource(jsonResource)) {
            return RecordedAnswers.JSON.readTree(in);
        }
    }

    private static InputStream resource(String name) {
        InputStream in = AggregateDump.class.getClassLoader().getResourceAsStream(name);
        if (in == null) throw new IllegalStateException("missing test resource " + name);
        return in;
    }

    /** Writes every non-empty table but those left out, {@code site} and {@code page} first, each in a fixed row order. */
    static Map<String, Integer> write(Connection c, OutputStream out, String comment) throws SQLException, IOException {
        Map<String, Integer> counts = new LinkedHashMap<>();
        CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
        try (Writer w = new OutputStreamWriter(new GZIPOutputStream(out), StandardCharsets.UTF_8)) {
            w.write("# " + comment.replace("\n", "\n# ") + "\n");
            for (String table : tables(c)) {
                StringWriter rows = new StringWriter();
                // Ordered by the whole row's text: the same data always gives the same file.
                long n = copy.copyOut("COPY (SELECT * FROM " + table + " t ORDER BY t::text) TO STDOUT", rows);
                if (n == 0) continue;
                counts.put(table, (int) n);
                w.write(HEADER + table + " " + n + "\n");
                w.write(rows.toString());
                w.write("\\.\n");
            }
        }
        return counts;
    }

    /**
     * Loads a dump into a database with the schema it was taken from, in one transaction. Foreign keys and triggers are
     * off while it loads (as pg_restore's --disable-triggers does): the dump holds every derived row itself. The
     * sequences then continue after the largest loaded ids.
     */
    static Map<String, Integer> load(Connection c, InputStream in) throws SQLException, IOException {
        Map<String, Integer> counts = new LinkedHashMap<>();
        CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(in), StandardCharsets.UTF_8));
             Statement s = c.createStatement()) {
            s.execute("SET LOCAL session_replication_role = replica");
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("#")) continue;
                if (!line.startsWith(HEADER)) throw new IOException("expected a table header, got: " + line);
                String[] head = line.substring(HEADER.length()).split(" ");
                StringBuilder rows = new StringBuilder();
                while (!(line = r.readLine()).equals("\\.")) rows.append(line).append('\n');
                long n = copy.copyIn("COPY " + head[0] + " FROM STDIN", new StringReader(rows.toString()));
                if (n != Long.parseLong(head[1])) throw new IOException(head[0] + ": loaded " + n + " rows of " + head[1]);
                counts.put(head[0], (int) n);
            }
            s.execute("SET LOCAL session_replication_role = origin");
            restartSequences(s);
            c.commit();
        } catch (SQLException | IOException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
        return counts;
    }

    /** The base tables of the public schema (partitions are dumped through their parents), but those left out. */
    private static List<String> tables(Connection c) throws SQLException {
        List<String> names = new ArrayList<>(List.of("site", "page"));
        try (Statement s = c.createStatement();
             var rs = s.executeQuery("""
                     SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
                     ORDER BY c.relname""")) {
            while (rs.next()) {
                String name = rs.getString(1);
                if (!names.contains(name) && !LEFT_OUT.contains(name)) names.add(name);
            }
        }
        return names;
    }

    /**
     * Each sequence of the public schema continues after the largest value any column that takes from it holds: the
     * columns it belongs to (identities) and those whose default draws from it (V12's {@code aggregate_part}, shared by
     * heat_tile and click_target, and V17's {@code segment_id_seq} are nobody's own). Otherwise the next part or
     * segment would get an id the dump already holds.
     */
    private static void restartSequences(Statement s) throws SQLException {
        Map<String, List<String>> maxima = new LinkedHashMap<>();
        try (var rs = s.executeQuery("""
                SELECT seq.oid::regclass::text, format('(SELECT max(%I) FROM %I)', a.attname, t.relname)
                FROM pg_depend d
                JOIN pg_class seq ON seq.oid = d.objid AND seq.relkind = 'S'
                JOIN pg_class t ON t.oid = d.refobjid
                JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = 'public'
                JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
                WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass
                UNION
                SELECT seq.oid::regclass::text, format('(SELECT max(%I) FROM %I)', a.attname, t.relname)
                FROM pg_depend d
                JOIN pg_attrdef def ON def.oid = d.objid
                JOIN pg_class seq ON seq.oid = d.refobjid AND seq.relkind = 'S'
                JOIN pg_class t ON t.oid = def.adrelid AND NOT t.relispartition
                JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = 'public'
                JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = def.adnum
                WHERE d.classid = 'pg_attrdef'::regclass AND d.refclassid = 'pg_class'::regclass
                ORDER BY 1, 2""")) {
            while (rs.next()) maxima.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
        }
        for (var e : maxima.entrySet()) {
            // greatest() skips NULLs: the empty tables; a sequence no loaded row drew from stays as it is.
            s.execute("SELECT setval(" + literal(e.getKey()) + ", m) FROM (SELECT greatest(" + String.join(", ", e.getValue())
                    + ") AS m) x WHERE m IS NOT NULL");
        }
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
