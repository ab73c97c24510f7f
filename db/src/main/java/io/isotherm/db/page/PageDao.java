package io.isotherm.db.page;

import io.isotherm.db.site.Site;
import org.jdbi.v3.core.Jdbi;

import java.util.Optional;

/**
 * Pages by URL. "The page of this URL on this site" is its URL normalized with the site's kept query parameters
 * ({@link PageUrl#of}), whoever asks: the collector, the read API or a capture.
 */
public final class PageDao {
    private final Jdbi jdbi;

    public PageDao(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * The page of this URL on the site, if it has one; never creates one (reading must not write).
     *
     * @throws IllegalArgumentException when the URL is not an absolute http(s) URL
     */
    public Optional<Long> find(Site site, String url) {
        String normalized = PageUrl.of(site, url);
        return jdbi.withHandle(h -> h.createQuery("SELECT page_id FROM page WHERE site_id = :site AND url = :url")
                .bind("site", site.id())
                .bind("url", normalized)
                .mapTo(Long.class)
                .findOne());
    }

    /**
     * The page of this URL on the site, created on first sight.
     *
     * @throws IllegalArgumentException when the URL is not an absolute http(s) URL
     */
    public long idFor(Site site, String url) {
        return idFor(site.id(), PageUrl.of(site, url));
    }

    /** The id of the page with this normalized URL, created on first sight. */
    public long idFor(int siteId, String normalizedUrl) {
        // A concurrent insert of the same page that commits after our snapshot leaves both branches empty: ask again.
        for (int attempt = 0; ; attempt++) {
            var id = findOrInsert(siteId, normalizedUrl);
            if (id.isPresent() || attempt == 2) {
                return id.orElseThrow();
            }
        }
    }

    private Optional<Long> findOrInsert(int siteId, String normalizedUrl) {
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
