package io.isotherm.collector;

import io.isotherm.db.page.PageDao;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Page ids by (site, normalized URL), created in PostgreSQL on first sight and cached after. */
final class PageDirectory {
    private static final int MAX_ENTRIES = 100_000;

    private record Key(int siteId, String url) {
    }

    private final PageDao pages;
    private final Map<Key, Long> cache = new ConcurrentHashMap<>();

    PageDirectory(PageDao pages) {
        this.pages = pages;
    }

    long idFor(int siteId, String url) {
        Key key = new Key(siteId, url);
        Long id = cache.get(key);
        if (id != null) {
            return id;
        }
        long created = pages.idFor(siteId, url);
        if (cache.size() >= MAX_ENTRIES) {
            cache.clear();
        }
        cache.put(key, created);
        return created;
    }
}
