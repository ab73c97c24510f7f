package io.isotherm.dashboard;

import io.isotherm.db.page.PageDao;
import io.isotherm.db.site.Site;
import io.isotherm.db.site.SiteDao;
import org.jdbi.v3.core.Jdbi;

import java.util.List;
import java.util.Optional;

/** Every site, and the page of a URL or a 404. Never creates a page: reading must not write. */
public final class SiteLookup {
    private final SiteDao sites;
    private final PageDao pages;

    public SiteLookup(Jdbi jdbi) {
        this.sites = new SiteDao(jdbi);
        this.pages = new PageDao(jdbi);
    }

    List<Site> sites() {
        return sites.list();
    }

    /** The page of a URL as the tracker saw it, normalized as the collector does (with the site's kept query parameters). */
    public long page(Site site, String url) {
        Optional<Long> page;
        try {
            page = pages.find(site, url);
        } catch (IllegalArgumentException e) {
            throw ApiError.badParameter("page", "page must be an absolute http(s) URL");
        }
        return page.orElseThrow(() -> ApiError.refused(404, "page", "unknown page"));
    }
}
