package io.isotherm.dashboard.sites;

import org.jdbi.v3.core.Jdbi;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the collectors did with a site's batches lately ({@code ingest_outcome}, {@code ingest_last_batch}): the
 * newest stored batch, and per outcome the counts of the last hour and day. So an owner sees why nothing shows up.
 */
final class InstallCheck {
    /** Outcomes that are not refusals; every other outcome is a refusal reason. */
    private static final Set<String> KEPT_OR_DROPPED = Set.of("stored", "duplicate", "bot", "excluded");

    record LastBatch(Instant at, String page, String device) {}

    private final Jdbi jdbi;

    InstallCheck(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    Map<String, Object> status(int siteId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("lastBatch", jdbi.withHandle(h -> h.createQuery(
                        "SELECT received_at, page_url, device FROM ingest_last_batch WHERE site_id = :site")
                .bind("site", siteId)
                .map((rs, ctx) -> Map.of("at", rs.getTimestamp(1).toInstant().toString(), "page", rs.getString(2), "device", rs.getString(3)))
                .findOne().orElse(null)));
        Map<String, Object> hour = window();
        Map<String, Object> day = window();
        List<Map<String, Object>> refusedOrigins = new ArrayList<>();
        jdbi.useHandle(h -> h.createQuery("""
                        SELECT outcome, detail,
                               coalesce(sum(batches) FILTER (WHERE minute >= now() - interval '1 hour'), 0) AS hour,
                               sum(batches) AS day
                        FROM ingest_outcome
                        WHERE site_id = :site AND minute >= now() - interval '1 day'
                        GROUP BY outcome, detail
                        ORDER BY day DESC, outcome, detail""")
                .bind("site", siteId)
                .map((rs, ctx) -> new Object[]{rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4)})
                .forEach(row -> {
                    String outcome = (String) row[0];
                    add(hour, outcome, (Long) row[2]);
                    add(day, outcome, (Long) row[3]);
                    String detail = (String) row[1];
                    // Listed even once allowed: the refusals happened (the page marks such an origin "allowed now").
                    if (outcome.equals("origin_not_allowed") && !detail.isEmpty() && !detail.equals("other")) {
                        refusedOrigins.add(Map.of("origin", row[1], "batches", row[3]));
                    }
                }));
        body.put("hour", hour);
        body.put("day", day);
        body.put("refusedOrigins", refusedOrigins);
        return body;
    }

    private static Map<String, Object> window() {
        Map<String, Object> counts = new LinkedHashMap<>();
        for (String outcome : List.of("stored", "duplicate", "bot", "excluded")) counts.put(outcome, 0L);
        counts.put("refused", new LinkedHashMap<String, Long>());
        return counts;
    }

    @SuppressWarnings("unchecked")
    private static void add(Map<String, Object> window, String outcome, long batches) {
        if (batches == 0) return;
        if (KEPT_OR_DROPPED.contains(outcome)) {
            window.merge(outcome, batches, (a, b) -> (Long) a + (Long) b);
        } else {
            ((Map<String, Long>) window.get("refused")).merge(outcome, batches, Long::sum);
        }
    }
}
