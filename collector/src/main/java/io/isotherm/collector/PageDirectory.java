package io.isotherm.collector;

import io.isotherm.db.page.PageDao;

import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Page ids by (site, normalized URL), created in PostgreSQL on first sight and cached after. A site gets at most
 * {@code maxNewPagesPerHour} new pages per hour, counted in PostgreSQL across every collector; a batch for one more
 * is dropped ({@link Drop#pageLimit}).
 */
final class PageDirectory {
    private static final int MAX_ENTRIES = 100_000;
    /**
     * A site found at its limit is refused from memory this long: a flood of new URLs then costs no database work
     * and does not queue on the site's lock. Never admits a page beyond the limit, only refuses a little longer.
     */
    private static final long FULL_NANOS = 10_000_000_000L;

    private record Key(int siteId, String url) {
    }

    private final PageDao pages;
    private final int maxNewPagesPerHour;
    private final Map<Key, Long> cache = new ConcurrentHashMap<>();
    /** Sites at their limit, with the System.nanoTime() until which they are refused without asking PostgreSQL. */
    private final Map<Integer, Long> fullUntil = new ConcurrentHashMap<>();

    PageDirectory(PageDao pages, int maxNewPagesPerHour) {
        this.pages = pages;
        this.maxNewPagesPerHour = maxNewPagesPerHour;
    }

    long idFor(int siteId, String url) {
        Key key = new Key(siteId, url);
        Long id = cache.get(key);
        if (id != null) {
            return id;
        }
        // At its limit, a site still gets the pages it has; only new ones are refused.
        OptionalLong created = atLimit(siteId)
                ? pages.find(siteId, url).map(OptionalLong::of).orElse(OptionalLong.empty())
                : pages.idFor(siteId, url, maxNewPagesPerHour);
        if (created.isEmpty()) {
            fullUntil.putIfAbsent(siteId, System.nanoTime() + FULL_NANOS);
            throw Drop.pageLimit(maxNewPagesPerHour);
        }
        if (cache.size() >= MAX_ENTRIES) {
            cache.clear();
        }
        cache.put(key, created.getAsLong());
        return created.getAsLong();
    }

    private boolean atLimit(int siteId) {
        Long until = fullUntil.get(siteId);
        if (until == null) {
            return false;
        }
        if (until - System.nanoTime() > 0) {
            return true;
        }
        fullUntil.remove(siteId, until);
        return false;
    }
}
