package io.isotherm.collector;

import io.isotherm.db.site.Site;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether a page path is on one of its site's excluded paths, remembered per (site, path): {@link Site#excludes}
 * compiles every pattern on every call, too much for each batch of a busy site. A decision holds the pattern list
 * it was made with; {@link SiteDirectory} hands out the same {@link Site}, and so the same list, until it reloads
 * the site, so changed patterns apply as soon as the site does (within 30 s, like every site setting).
 */
final class ExcludedPages {
    private static final int MAX_ENTRIES = 100_000;

    private record Key(int siteId, String path) {
    }

    private record Decision(List<String> patterns, boolean excluded) {
    }

    private final Map<Key, Decision> cache = new ConcurrentHashMap<>();

    boolean excluded(Site site, String path) {
        List<String> patterns = site.excludedPaths();
        if (patterns.isEmpty()) {
            return false;
        }
        Key key = new Key(site.id(), path);
        Decision decision = cache.get(key);
        if (decision == null || decision.patterns != patterns) { // identity: a reloaded site decides anew
            decision = new Decision(patterns, site.excludes(path));
            if (cache.size() >= MAX_ENTRIES) {
                cache.clear();
            }
            cache.put(key, decision);
        }
        return decision.excluded;
    }
}
