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
     * its first visitor).
     *
     * @throws IllegalArgumentException naming the problem: not an absolute http(s) URL, or not on the site's origins
     */
    public long pageOf(Site site, String url) {
        URI uri;
        try {
            uri = PageUrl.parse(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("url must be an absolute http(s) URL");
        }
        if (uri.getRawUserInfo() != null) {
            // Never echoed, stored or logged: the message leaves the URL out on purpose.
            throw new IllegalArgumentException("url must not contain a user name or password: for pages behind a login, upload a screenshot");
        }
        if (!Origins.allowed(site.origins(), Origins.of(uri))) {
            throw new IllegalArgumentException("url must be on one of the site's origins: " + String.join(", ", site.origins()));
        }
        return pages.idFor(site, url);
    }
}
