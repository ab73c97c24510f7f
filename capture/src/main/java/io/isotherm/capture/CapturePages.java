package io.isotherm.capture;

import io.isotherm.db.page.PageDao;
import io.isotherm.db.page.PageUrl;
import io.isotherm.db.site.Origins;
import io.isotherm.db.site.Site;
import org.jdbi.v3.core.Jdbi;

import java.net.URI;

/** The page a capture is of: a URL on one of the site's origins, without credentials. */
public final class CapturePages {
    private final PageDao pages;

    public CapturePages(Jdbi jdbi) {
        this.pages = new PageDao(jdbi);
    }

    /**
     * The page a capture of {@code url} belongs to, created if it never had an event (a page may be captured before
     * its first visitor); a page stored before URLs were normalized is found by its URL as stored.
     *
     * @throws IllegalArgumentException naming the problem: a URL no page can have ({@link PageUrl}), or not on the
     *                                  site's origins
     */
    public long pageOf(Site site, String url) {
        URI uri;
        try {
            uri = PageUrl.parse(url); // refuses a user name or password: never echoed, stored or logged
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("url " + e.getMessage());
        }
        if (!Origins.allowed(site.origins(), Origins.of(uri))) {
            throw new IllegalArgumentException("url must be on one of the site's origins: " + String.join(", ", site.origins()));
        }
        return pages.find(site, url).orElseGet(() -> pages.idFor(site, url));
    }
}
