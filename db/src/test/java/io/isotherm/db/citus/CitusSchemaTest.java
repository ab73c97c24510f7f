package io.isotherm.db.citus;

import io.isotherm.db.Database;
import io.isotherm.db.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The migrated schema against the rules that let Citus distribute it as citus/distribute.sql says, checked on
 * plain PostgreSQL so that the path to Citus stays open as the schema changes.
 */
class CitusSchemaTest {
    private static Database db;
    private static CitusDistribution.Plan plan;
    private static Set<String> distributed;

    @BeforeAll
    static void open() {
        db = TestPostgres.open();
        plan = CitusDistribution.plan();
        distributed = new HashSet<>(plan.colocated());
        distributed.add(plan.anchor());
    }

    @AfterAll
    static void close() {
        db.close();
    }

    @Test
    void the_recipe_names_every_table_exactly_once() {
        assertThat(plan.named()).doesNotHaveDuplicates();
        assertThat(plan.named()).as("tables in citus/distribute.sql").containsExactlyInAnyOrderElementsOf(tables());
        assertThat(plan.anchor()).isEqualTo("page");
        assertThat(plan.reference()).contains("site");
        assertThat(plan.local()).containsExactly("flyway_schema_history");
    }

    @Test
    void the_recipe_turns_off_local_reference_foreign_keys_before_anything_else() {
        List<String> statements = CitusDistribution.statements();
        assertThat(statements.get(0)).isEqualTo("SET citus.enable_local_reference_table_foreign_keys = off");
        assertThat(statements.get(1)).startsWith("SELECT create_reference_table('site')");
        int page = indexOf(statements, "create_distributed_table('page'");
        assertThat(statements.subList(0, page)).noneMatch(s -> s.contains("create_distributed_table"));
        assertThat(statements).hasSize(1 + plan.reference().size() + 1 + plan.colocated().size());
    }

    @Test
    void every_table_carries_a_non_null_site_id_unless_it_is_a_reference_or_local_table() {
        List<String> missing = new ArrayList<>();
        for (String table : distributed) {
            Boolean notNull = db.jdbi().withHandle(h -> h.createQuery("""
                            SELECT a.attnotnull FROM pg_attribute a
                            WHERE a.attrelid = to_regclass(:t) AND a.attname = 'site_id' AND NOT a.attisdropped""")
                    .bind("t", table).mapTo(Boolean.class).findOne().orElse(null));
            if (!Boolean.TRUE.equals(notNull)) missing.add(table);
        }
        assertThat(missing).as("distributed tables without a NOT NULL site_id").isEmpty();
    }

    @Test
    void every_unique_or_primary_key_of_a_distributed_table_holds_site_id() {
        List<String> keys = distributed.stream().flatMap(t -> uniqueKeysWithoutSiteId(t).stream()).toList();
        assertThat(keys).as("unique keys without site_id").isEmpty();
        // The rule bites: the site table's own unique public_key would break it, were site distributed.
        assertThat(uniqueKeysWithoutSiteId("site")).contains("site: site_public_key_key");
    }

    @Test
    void foreign_keys_only_join_colocated_tables_or_point_at_reference_tables() {
        record ForeignKey(String from, String to, boolean holdsSiteId) {}
        List<ForeignKey> keys = db.jdbi().withHandle(h -> h.createQuery("""
                        SELECT f.relname, t.relname,
                               EXISTS (SELECT FROM pg_attribute a WHERE a.attrelid = f.oid AND a.attname = 'site_id' AND a.attnum = ANY(k.conkey))
                        FROM pg_constraint k
                        JOIN pg_class f ON f.oid = k.conrelid
                        JOIN pg_class t ON t.oid = k.confrelid
                        JOIN pg_namespace n ON n.oid = f.relnamespace AND n.nspname = current_schema()
                        WHERE k.contype = 'f' AND NOT f.relispartition""")
                .map((rs, ctx) -> new ForeignKey(rs.getString(1), rs.getString(2), rs.getBoolean(3))).list());
        assertThat(keys).as("the schema has foreign keys to check").isNotEmpty();
        List<ForeignKey> refused = keys.stream().filter(k -> {
            if (plan.reference().contains(k.to())) return plan.local().contains(k.from());
            // Between distributed tables: all are colocated with page; the key must include the distribution column.
            return !(distributed.contains(k.from()) && distributed.contains(k.to()) && k.holdsSiteId());
        }).toList();
        assertThat(refused).as("foreign keys Citus refuses (reference → distributed, or touching a local table)").isEmpty();
    }

    @Test
    void identity_columns_of_distributed_tables_are_bigint() {
        List<String> narrow = db.jdbi().withHandle(h -> h.createQuery("""
                        SELECT c.relname || '.' || a.attname FROM pg_attribute a
                        JOIN pg_class c ON c.oid = a.attrelid
                        WHERE a.attidentity <> '' AND c.relname = ANY(:tables) AND a.atttypid <> 'bigint'::regtype""")
                .bindArray("tables", String.class, List.copyOf(distributed)).mapTo(String.class).list());
        assertThat(narrow).as("Citus takes identity columns on distributed tables as bigint only").isEmpty();
    }

    /** Tables of the migrated schema, partitions left out (they follow their parent). */
    private static List<String> tables() {
        return db.jdbi().withHandle(h -> h.createQuery("""
                        SELECT c.relname FROM pg_class c
                        JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema()
                        WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition""")
                .mapTo(String.class).list());
    }

    private static List<String> uniqueKeysWithoutSiteId(String table) {
        return db.jdbi().withHandle(h -> h.createQuery("""
                        SELECT c.relname || ': ' || i.relname FROM pg_index x
                        JOIN pg_class c ON c.oid = x.indrelid
                        JOIN pg_class i ON i.oid = x.indexrelid
                        JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema()
                        WHERE x.indisunique AND c.relname = :t
                          AND NOT EXISTS (SELECT FROM pg_attribute a
                                          WHERE a.attrelid = c.oid AND a.attname = 'site_id' AND a.attnum = ANY(x.indkey))""")
                .bind("t", table).mapTo(String.class).list());
    }

    private static int indexOf(List<String> statements, String part) {
        for (int i = 0; i < statements.size(); i++) if (statements.get(i).contains(part)) return i;
        throw new AssertionError(part + " not in the recipe");
    }
}
