package io.isotherm.collector;

import io.isotherm.db.Database;

import java.util.Map;
import java.util.TreeMap;

/** The installation check's tables as the tests read them. */
final class OutcomeCounts {
    private OutcomeCounts() {
    }

    /** A site's batches per outcome, summed over all minutes; an outcome with a detail is keyed {@code outcome detail}. */
    static Map<String, Long> of(Database db, int siteId) {
        Map<String, Long> counts = new TreeMap<>();
        db.jdbi().useHandle(h -> h.createQuery("""
                        SELECT outcome, detail, sum(batches) AS batches FROM ingest_outcome
                        WHERE site_id = :site GROUP BY outcome, detail""")
                .bind("site", siteId)
                .map((rs, ctx) -> Map.entry(rs.getString("detail").isEmpty() ? rs.getString("outcome")
                        : rs.getString("outcome") + " " + rs.getString("detail"), rs.getLong("batches")))
                .forEach(e -> counts.put(e.getKey(), e.getValue())));
        return counts;
    }

    /** A site's row of ingest_last_batch as {@code page_url device}, or null. */
    static String lastBatch(Database db, int siteId) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT page_url || ' ' || device FROM ingest_last_batch WHERE site_id = :site")
                .bind("site", siteId)
                .mapTo(String.class)
                .findOne()
                .orElse(null));
    }
}
