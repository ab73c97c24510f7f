package io.isotherm.collector;

import io.isotherm.db.site.Site;
import io.isotherm.db.site.SiteDao;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Site lookups by public key, cached so ingest does not ask PostgreSQL per request. A cache, not state:
 * every collector can be restarted or added at will. Unknown keys are remembered briefly to blunt key guessing.
 */
final class SiteDirectory {
    static final Pattern KEY_FORMAT = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final long KNOWN_TTL = Duration.ofSeconds(30).toNanos();
    private static final long UNKNOWN_TTL = Duration.ofSeconds(2).toNanos();
    private static final int MAX_ENTRIES = 10_000;

    private record Entry(Optional<Site> site, long expiresAt) {
    }

    private final SiteDao sites;
    private final Map<String, Entry> cache = new ConcurrentHashMap<>();

    SiteDirectory(SiteDao sites) {
        this.sites = sites;
    }

    Optional<Site> find(String key) {
        long now = System.nanoTime();
        Entry entry = cache.get(key);
        if (entry != null && now - entry.expiresAt < 0) {
            return entry.site;
        }
        Optional<Site> site = sites.findByKey(key);
        if (cache.size() >= MAX_ENTRIES) {
            cache.clear();
        }
        cache.put(key, new Entry(site, now + (site.isPresent() ? KNOWN_TTL : UNKNOWN_TTL)));
        return site;
    }
}
