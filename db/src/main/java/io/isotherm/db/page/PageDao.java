package io.isotherm.db.page;

import org.jdbi.v3.core.Jdbi;

import java.util.Optional;

public final class PageDao {
    private final Jdbi jdbi;

    public PageDao(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** The id of the page with this normalized URL, created on first sight. */
    public long idFor(int siteId, String normalizedUrl) {
        // A concurrent insert of the same page that commits after our snapshot leaves both branches empty: ask again.
        for (int attempt = 0; ; attempt++) {
            var id = find(siteId, normalizedUrl);
            if (id.isPresent() || attempt == 2) {
                return id.orElseThrow();
            }
        }
    }

    private Optional<Long> find(int siteId, String normalizedUrl) {
        return jdbi.withHandle(h -> h.createQuery("""
                        WITH inserted AS (
                            INSERT INTO page (site_id, url) VALUES (:site, :url)
                            ON CONFLICT (site_id, url) DO NOTHING
                            RETURNING page_id)
                        SELECT page_id FROM inserted
                        UNION ALL
                        SELECT page_id FROM page WHERE site_id = :site AND url = :url
                        LIMIT 1""")
                .bind("site", siteId)
                .bind("url", normalizedUrl)
                .mapTo(Long.class)
                .findOne());
    }
}
