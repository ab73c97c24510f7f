package io.isotherm.bench;

import org.jdbi.v3.core.Handle;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The tables the aggregator's results live in, found by name so that tables added by later migrations are counted
 * (and emptied) too: grids, anchors, element, page, scroll, fold and attention statistics, stored views.
 */
final class AggregateTables {
    private AggregateTables() {
    }

    static List<String> names(Handle h) {
        return h.createQuery("""
                        SELECT tablename FROM pg_tables
                        WHERE schemaname = current_schema()
                          AND (tablename LIKE 'heat\\_%' OR tablename LIKE 'click\\_%' OR tablename LIKE 'element\\_%' OR tablename LIKE 'segment\\_click\\_%'
                               OR tablename LIKE 'page\\_day%' OR tablename LIKE 'page\\_hour%' OR tablename LIKE 'pageview\\_summary%'
                               OR tablename LIKE 'scroll\\_%' OR tablename LIKE 'viewport\\_height%' OR tablename LIKE 'attention\\_band%'
                               OR tablename LIKE 'heatmap\\_%')
                        ORDER BY tablename""")
                .mapTo(String.class)
                .list();
    }

    /** A table's bytes with its indexes and TOAST, and those of its indexes alone. */
    record Size(long total, long indexes) {}

    /** The size of each aggregate table, largest first. */
    static Map<String, Size> sizes(Handle h) {
        Map<String, Size> sizes = new LinkedHashMap<>();
        h.createQuery("""
                        SELECT t, pg_total_relation_size(quote_ident(t)) AS bytes, pg_indexes_size(quote_ident(t))
                        FROM unnest(:tables) AS t
                        ORDER BY bytes DESC, t""")
                .bindArray("tables", String.class, names(h))
                .map((rs, ctx) -> Map.entry(rs.getString(1), new Size(rs.getLong(2), rs.getLong(3))))
                .forEach(e -> sizes.put(e.getKey(), e.getValue()));
        return sizes;
    }

    static long total(Map<String, Size> sizes) {
        return sizes.values().stream().mapToLong(Size::total).sum();
    }

    /** {@code name=bytes(indexes bytes) …}: for a log line. */
    static String describe(Map<String, Size> sizes) {
        return sizes.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue().total() + "(indexes " + e.getValue().indexes() + ")")
                .collect(Collectors.joining(" "));
    }

    /** Empties the aggregates, the raw events with their receipts, the layouts, pages and sites. */
    static void truncateAll(Handle h) {
        h.execute("TRUNCATE raw_event, ingest_batch, layout_element, " + String.join(", ", names(h)) + ", page, site CASCADE");
    }
}
