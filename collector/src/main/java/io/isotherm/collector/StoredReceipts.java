package io.isotherm.collector;

import org.jdbi.v3.core.Jdbi;

/**
 * Whether a batch is stored already: its receipt in {@code ingest_batch}. Asked only where a resend must not be
 * refused for what its first delivery already did (a page view that reached its event limit with this very batch).
 */
final class StoredReceipts {
    private final Jdbi jdbi;

    StoredReceipts(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** True when the batch is stored; a database that cannot answer is a 503, so the tracker retries. */
    boolean contains(BatchReceipt.Key key) {
        try {
            return jdbi.withHandle(h -> h.createQuery("""
                            SELECT EXISTS (SELECT 1 FROM ingest_batch WHERE site_id = :site AND pageview_id = :pageview AND seq = :seq)""")
                    .bind("site", key.siteId())
                    .bind("pageview", key.pageviewId())
                    .bind("seq", key.seq())
                    .mapTo(Boolean.class)
                    .one());
        } catch (RuntimeException e) {
            throw Drop.databaseUnavailable();
        }
    }
}
