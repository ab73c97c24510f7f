package io.isotherm.db.citus;

import org.jdbi.v3.core.Jdbi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The recipe that spreads the schema over a Citus cluster: {@code citus/distribute.sql}, shipped in this jar, read
 * here both to run it and to know which tables it makes reference, distributed or leaves local.
 */
public final class CitusDistribution {
    public static final String SCRIPT = "/citus/distribute.sql";

    private static final Pattern REFERENCE = Pattern.compile("create_reference_table\\('(\\w+)'\\)");
    private static final Pattern DISTRIBUTED = Pattern.compile("create_distributed_table\\('(\\w+)', 'site_id'(?:, colocate_with => '(\\w+)')?\\)");
    private static final Pattern LOCAL = Pattern.compile("(?m)^-- local: (.+)$");

    /** What the script does with each table, in its order. {@code anchor}: the distributed table the others follow. */
    public record Plan(List<String> reference, String anchor, List<String> colocated, List<String> local) {
        /** Every table the script names, as often as it names it. */
        public List<String> named() {
            List<String> all = new ArrayList<>(reference);
            all.add(anchor);
            all.addAll(colocated);
            all.addAll(local);
            return all;
        }
    }

    private CitusDistribution() {
    }

    public static String script() {
        try (InputStream in = CitusDistribution.class.getResourceAsStream(SCRIPT)) {
            if (in == null) throw new IllegalStateException(SCRIPT + " is missing from the jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The script's statements in order, comments left out (the script has no ';' inside a statement). */
    public static List<String> statements() {
        String code = script().lines().filter(line -> !line.startsWith("--")).reduce("", (a, b) -> a + b + "\n");
        return Arrays.stream(code.split(";")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    public static Plan plan() {
        String script = script();
        List<String> reference = all(REFERENCE, script, 1);
        List<String> anchors = new ArrayList<>();
        List<String> colocated = new ArrayList<>();
        Matcher m = DISTRIBUTED.matcher(script);
        while (m.find()) {
            if (m.group(2) == null) {
                anchors.add(m.group(1));
            } else {
                if (anchors.isEmpty() || !anchors.get(0).equals(m.group(2))) {
                    throw new IllegalStateException(m.group(1) + " is colocated with " + m.group(2) + ", not with the first distributed table");
                }
                colocated.add(m.group(1));
            }
        }
        if (anchors.size() != 1) throw new IllegalStateException("expected one table distributed first, found " + anchors);
        List<String> local = new ArrayList<>();
        all(LOCAL, script, 1).forEach(names -> Arrays.stream(names.split(",")).map(String::strip).forEach(local::add));
        return new Plan(reference, anchors.get(0), colocated, local);
    }

    /** True when the database has the Citus extension. */
    public static boolean installed(Jdbi jdbi) {
        return jdbi.withHandle(h -> h.createQuery("SELECT EXISTS (SELECT FROM pg_extension WHERE extname = 'citus')")
                .mapTo(Boolean.class).one());
    }

    /** Runs the script on one connection (its SET applies to the statements after it); returns how many ran. */
    public static int distribute(Jdbi jdbi) {
        if (!installed(jdbi)) {
            throw new IllegalStateException("not a Citus database: the citus extension is not installed (CREATE EXTENSION citus on the coordinator)");
        }
        List<String> statements = statements();
        jdbi.useHandle(h -> statements.forEach(h::execute));
        return statements.size();
    }

    private static List<String> all(Pattern pattern, String text, int group) {
        List<String> found = new ArrayList<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) found.add(m.group(group));
        return found;
    }
}
