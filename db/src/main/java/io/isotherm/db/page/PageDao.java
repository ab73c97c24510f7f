package io.isotherm.db.page;

import io.isotherm.db.site.Site;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * Pages by URL. "The page of this URL on this site" is its URL normalized with the site's kept query parameters
 * ({@link PageUrl#of}), whoever asks: the collector, the read API or a capture.
 */
public final class PageDao {
    /** First key of the advisory lock that makes one site's new pages wait for each other (the second is the site). */
    private static final int NEW_PAGE_LOCK = 0x15_0009;

    private final Jdbi jdbi;

    public PageDao(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * The page of this URL on the site, if it has one; never creates one (reading must not write). A URL stored
     * exactly so is found first: pages stored before URLs were normalized keep their URLs, and the pages list shows
     * them so.
     *
     * @throws IllegalArgumentException naming the problem when no page can have this URL
     */
    public Optional<Long> find(Site site, String url) {
        String normalized = PageUrl.of(site, url);
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT page_id FROM page WHERE site_id = :site AND url IN (:given, :url)
                        ORDER BY url = :given DESC LIMIT 1""")
                .bind("site", site.id())
                .bind("given", url)
                .bind("url", normalized)
                .mapTo(Long.class)
                .findOne());
    }

    /** The URL of a page of the site, if the site has it. */
    public Optional<String> url(int siteId, long pageId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT url FROM page WHERE site_id = :site AND page_id = :page")
                .bind("site", siteId).bind("page", pageId).mapTo(String.class).findOne());
    }

    /** The page with this normalized URL, if the site has it; never creates one. */
    public Optional<Long> find(int siteId, String normalizedUrl) {
        return jdbi.withHandle(h -> existing(h, siteId, normalizedUrl));
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

    /**
     * The id of the page with this normalized URL, created on first sight unless the site already got
     * {@code maxNewPerHour} new pages in the last hour; then empty. Exact however many processes create pages at
     * once: the count and the insert of one site's new page run under a lock of that site.
     */
    public OptionalLong idFor(int siteId, String normalizedUrl, int maxNewPerHour) {
        Optional<Long> existing = find(siteId, normalizedUrl);
        if (existing.isPresent()) {
            return OptionalLong.of(existing.get());
        }
        return jdbi.inTransaction(h -> {
            h.createQuery("SELECT 1 FROM (SELECT pg_advisory_xact_lock(:lock, :site)) l")
                    .bind("lock", NEW_PAGE_LOCK).bind("site", siteId).mapTo(Integer.class).one();
            Optional<Long> created = existing(h, siteId, normalizedUrl); // by the process that held the lock before
            if (created.isPresent()) {
                return OptionalLong.of(created.get());
            }
            long recent = h.createQuery("SELECT count(*) FROM page WHERE site_id = :site AND first_seen > now() - interval '1 hour'")
                    .bind("site", siteId).mapTo(Long.class).one();
            if (recent >= maxNewPerHour) {
                return OptionalLong.empty();
            }
            // Empty only if a capture inserted this page after this statement's snapshot: the next one sees it.
            return OptionalLong.of(findOrInsert(h, siteId, normalizedUrl).or(() -> existing(h, siteId, normalizedUrl)).orElseThrow());
        });
    }

    private static Optional<Long> existing(Handle h, int siteId, String normalizedUrl) {
        return h.createQuery("SELECT page_id FROM page WHERE site_id = :site AND url = :url")
                .bind("site", siteId)
                .bind("url", normalizedUrl)
                .mapTo(Long.class)
                .findOne();
    }

    private Optional<Long> findOrInsert(int siteId, String normalizedUrl) {
        return jdbi.withHandle(h -> findOrInsert(h, siteId, normalizedUrl));
    }

    private static Optional<Long> findOrInsert(Handle h, int siteId, String normalizedUrl) {
        return h.createQuery("""
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
                .findOne();
    }
}
