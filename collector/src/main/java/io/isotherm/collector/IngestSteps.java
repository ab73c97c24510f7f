package io.isotherm.collector;

import io.isotherm.db.device.DeviceWidths;
import io.isotherm.db.site.Origins;
import io.isotherm.db.site.Site;

import java.net.URI;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The steps of a parsed batch: find its site, then check it against the site and give it a page. Each step answers
 * what the next needs or throws a {@link Drop}. The endpoint runs them between reading a body and handing the
 * batch to its writer; {@link DirectIngest} runs the same ones for tools.
 */
final class IngestSteps {
    private static final String FOREIGN_KEY_VIOLATION = "23503";

    /** Sites by public key. */
    interface Sites {
        Optional<Site> find(String key);
    }

    /** Page ids by normalized URL, created on first sight; a new page beyond the site's limit throws {@link Drop#pageLimit}. */
    interface Pages {
        long idFor(int siteId, String url);
    }

    /** Whether a valid batch is what a real page view sends ({@link PageviewLimits}); throws a {@link Drop} if not. */
    interface Plausibility {
        Plausibility ANY = batch -> { };

        void check(ValidBatch batch);
    }

    private final Sites sites;
    private final Pages pages;
    private final DeviceWidths deviceWidths;
    private final VisitClassifier visits;
    private final ExcludedPages excludedPages = new ExcludedPages();

    /** @param deviceWidths the platform's; a site's own thresholds, where it has any, override them */
    IngestSteps(Sites sites, Pages pages, DeviceWidths deviceWidths, VisitClassifier visits) {
        this.sites = sites;
        this.pages = pages;
        this.deviceWidths = deviceWidths;
        this.visits = visits;
    }

    Site findSite(CollectBatch batch) {
        String key = BatchValidator.siteKey(batch);
        return database(() -> sites.find(key)).orElseThrow(Drop::unknownSite);
    }

    /** Every step once the site is known, with no plausibility limit: for tools. */
    AcceptedBatch accept(CollectBatch batch, Site site, String originHeader, String userAgent, Instant receivedAt) {
        return accept(batch, site, originHeader, userAgent, receivedAt, Plausibility.ANY);
    }

    /** Every step once the site is known, in order; the page gets its id last, so refused input never creates one. */
    AcceptedBatch accept(CollectBatch batch, Site site, String originHeader, String userAgent, Instant receivedAt,
                         Plausibility plausibility) {
        String pageUrl = BatchValidator.pageUrl(batch, site);
        URI page = URI.create(pageUrl);
        checkOrigins(site, originHeader, page);
        dropExcludedPage(site, page);
        Visit visit = visits.classify(batch, site, page, userAgent);
        ValidBatch valid = BatchValidator.validate(batch, site, receivedAt, deviceWidths, visit);
        plausibility.check(valid);
        long pageId = database(() -> pages.idFor(site.id(), pageUrl));
        return valid.onPage(pageId, pageUrl);
    }

    /** The page must belong to the site, and so must the browser's Origin when it sends one. */
    private static void checkOrigins(Site site, String originHeader, URI page) {
        if (originHeader != null && !Origins.allowed(site.origins(), originHeader)) {
            throw Drop.originNotAllowed("origin " + originHeader + " is not allowed for this site", "Origin", originHeader);
        }
        String pageOrigin = Origins.of(page);
        if (!Origins.allowed(site.origins(), pageOrigin)) {
            throw Drop.originNotAllowed("url is not on an origin of this site", "url", pageOrigin);
        }
    }

    /** Pages the site's owner excluded are dropped like bots: answered, not stored. */
    private void dropExcludedPage(Site site, URI page) {
        if (excludedPages.excluded(site, page.getRawPath())) {
            throw Drop.excluded();
        }
    }

    /** Runs a lookup; a database that cannot answer becomes a 503 so the tracker retries. */
    private static <T> T database(Supplier<T> lookup) {
        try {
            return lookup.get();
        } catch (Drop e) {
            throw e;
        } catch (RuntimeException e) {
            if (FOREIGN_KEY_VIOLATION.equals(Causes.sqlState(e))) {
                throw Drop.unknownSite(); // the page's site was removed while its key was still cached here
            }
            throw Drop.databaseUnavailable();
        }
    }
}
