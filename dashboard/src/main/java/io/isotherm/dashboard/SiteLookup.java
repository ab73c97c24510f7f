package io.isotherm.dashboard;

import io.isotherm.db.page.PageUrl;
import io.isotherm.db.site.Site;
import io.isotherm.db.site.SiteDao;
import org.jdbi.v3.core.Jdbi;

import java.util.List;

/** Every site, and the page of a URL or a 404. Never creates a page: reading must not write. */
final class SiteLookup {
    private final Jdbi jdbi;
    private final SiteDao sites;

    SiteLookup(Jdbi jdbi) {
        this.jdbi = jdbi;
        this.sites = new SiteDao(jdbi);
    }

    List<Site> sites() {
        return sites.list();
    }

    /** The page of a URL as the tracker saw it, normalized as the collector does (with the site's kept query parameters). */
    long page(Site site, String url) {
        String normalized;
        try {
            normalized = PageUrl.normalize(url, site.pageQueryParams());
        } catch (IllegalArgumentException e) {
            throw ApiError.badParameter("page", "page must be an absolute http(s) URL");
        }
        return jdbi.withHandle(h -> h.createQuery("SELECT page_id FROM page WHERE site_id = :site AND url = :url")
                        .bind("site", site.id())
                        .bind("url", normalized)
                        .mapTo(Long.class)
                        .findOne())
                .orElseThrow(() -> ApiError.notFound("unknown page"));
    }
}
