package io.isotherm.db.citus;

import io.isotherm.db.citus.CitusSqlRules.Statement;
import io.isotherm.db.citus.CitusSqlRules.Violation;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The SQL in every module's main sources keeps the rules Citus imposes (docs/SCALING.md), and the scanner sees breaches. */
class CitusSqlRulesTest {
    private static final CitusDistribution.Plan PLAN = CitusDistribution.plan();
    private static final CitusSqlRules RULES = new CitusSqlRules(Set.copyOf(PLAN.reference()), Set.copyOf(PLAN.named()));

    @Test
    void the_main_sources_keep_the_citus_sql_rules() throws IOException {
        List<Statement> statements = new ArrayList<>();
        for (Path file : mainSources()) {
            statements.addAll(CitusSqlRules.statements(file.toString(), Files.readString(file)));
        }
        // The scanner must actually see the statements it is meant to judge.
        assertThat(statements).hasSizeGreaterThan(50);
        assertThat(statements).anyMatch(s -> s.file().endsWith("AggregationRun.java") && s.sql().contains("SKIP LOCKED"));
        assertThat(statements).anyMatch(s -> s.file().endsWith("PageviewMerge.java") && s.sql().contains("UPDATE pageview_summary"));
        List<Violation> violations = statements.stream().flatMap(s -> RULES.check(s).stream()).toList();
        assertThat(violations).as("statements Citus would refuse or deadlock on").isEmpty();
    }

    @Test
    void flags_a_row_lock_on_a_distributed_table_without_an_equality_on_site_id() {
        assertThat(rules("SELECT site_id FROM ingest_batch WHERE aggregated_at IS NULL LIMIT 10 FOR UPDATE SKIP LOCKED"))
                .containsExactly(CitusSqlRules.ROW_LOCK_WITHOUT_SITE);
        // A join on site_id is no equality with a value: Citus cannot route it to one shard.
        assertThat(rules("SELECT p.site_id FROM pageview_summary p JOIN unnest(:site) AS k(site) ON p.site_id = k.site FOR UPDATE OF p"))
                .containsExactly(CitusSqlRules.ROW_LOCK_WITHOUT_SITE);
        assertThat(rules("SELECT site_id FROM ingest_batch WHERE site_id = :site AND aggregated_at IS NULL LIMIT 10 FOR UPDATE SKIP LOCKED"))
                .isEmpty();
        // A reference table is on every node: locking its rows needs no shard.
        assertThat(rules("SELECT * FROM invite WHERE token_hash = :hash FOR UPDATE")).isEmpty();
    }

    @Test
    void flags_a_shared_row_lock_on_the_site_table() {
        assertThat(rules("SELECT site_id FROM site WHERE site_id = ANY(:ids) FOR KEY SHARE"))
                .containsExactly(CitusSqlRules.SHARED_LOCK_ON_REFERENCE);
        assertThat(rules("WITH live AS (SELECT site_id FROM site WHERE site_id = ANY(:s) FOR SHARE) SELECT * FROM live"))
                .containsExactly(CitusSqlRules.SHARED_LOCK_ON_REFERENCE);
        assertThat(rules("SELECT site_id FROM site WHERE site_id = ANY(:ids)")).isEmpty();
    }

    @Test
    void flags_a_cast_in_returning_but_not_in_a_query_after_a_cte() {
        assertThat(rules("DELETE FROM heatmap_dirty d WHERE d.site_id = :site RETURNING d.site_id, d.device::text"))
                .containsExactly(CitusSqlRules.CAST_IN_RETURNING);
        assertThat(rules("DELETE FROM heatmap_dirty d WHERE d.site_id = :site RETURNING d.site_id, d.device")).isEmpty();
        assertThat(rules("WITH n AS (INSERT INTO page (site_id, url) VALUES (:site, :url) RETURNING page_id) SELECT page_id::text FROM n"))
                .isEmpty();
    }

    @Test
    void flags_a_cast_of_a_column_in_update_set_but_not_of_a_bound_value() {
        assertThat(rules("UPDATE pageview_summary p SET first_seen = r.first::timestamptz FROM unnest(:first) AS r(first) WHERE p.site_id = r.site"))
                .containsExactly(CitusSqlRules.CAST_OF_COLUMN_IN_SET);
        assertThat(rules("UPDATE capture SET device = device_text::device_class WHERE site_id = :site"))
                .containsExactly(CitusSqlRules.CAST_OF_COLUMN_IN_SET);
        assertThat(rules("UPDATE pageview_summary p SET first_seen = r.first FROM unnest(:first::timestamptz[]) AS r(first) WHERE p.site_id = r.site"))
                .isEmpty();
        assertThat(rules("UPDATE capture SET status = :status::capture_status, flag = 'none'::text WHERE site_id = :site")).isEmpty();
    }

    @Test
    void reads_text_blocks_and_joined_string_literals_with_their_line() {
        String source = """
                class A {
                    void a() {
                        h.createQuery(\"""
                                SELECT * FROM capture
                                FOR UPDATE SKIP LOCKED\""");
                        h.createQuery("SELECT * FROM page " +
                                "FOR UPDATE");
                        log.info("select nothing: not SQL");
                    }
                }
                """;
        List<Statement> statements = CitusSqlRules.statements("A.java", source);
        assertThat(statements).extracting(Statement::line).containsExactly(3, 6);
        assertThat(statements.get(1).sql()).isEqualTo("SELECT * FROM page FOR UPDATE");
        assertThat(statements).allSatisfy(s -> assertThat(RULES.check(s)).extracting(Violation::rule)
                .containsExactly(CitusSqlRules.ROW_LOCK_WITHOUT_SITE));
    }

    private static List<String> rules(String sql) {
        return RULES.check(new Statement("test", 1, sql)).stream().map(Violation::rule).toList();
    }

    /** Every module's src/main/java, found from the project root (the parent of this module). */
    private static List<Path> mainSources() {
        Path root = Path.of("").toAbsolutePath().getParent();
        assertThat(root.resolve("pom.xml")).exists();
        Set<Path> files = new HashSet<>();
        try (Stream<Path> modules = Files.list(root)) {
            for (Path module : modules.filter(m -> Files.isDirectory(m.resolve("src/main/java"))).toList()) {
                try (Stream<Path> walk = Files.walk(module.resolve("src/main/java"))) {
                    walk.filter(f -> f.toString().endsWith(".java")).forEach(files::add);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(files).anyMatch(f -> f.toString().contains("aggregator"));
        return files.stream().sorted().toList();
    }
}
