package io.isotherm.collector;

import java.util.List;
import java.util.Locale;

/**
 * Known automated visitors, by user agent. Their batches are answered 204 and not stored: crawlers and uptime
 * checks are not people, and headless browsers include Isotherm's own screenshot capturer. The list is
 * documented in docs/COLLECT-API.md.
 */
final class BotFilter {
    static final List<String> TOKENS = List.of(
            "bot", "crawler", "spider", "slurp", "crawling", "headlesschrome", "phantomjs", "lighthouse",
            "pingdom", "uptimerobot", "statuscake", "facebookexternalhit", "embedly", "preview", "prerender",
            "python-requests", "python-urllib", "go-http-client", "wget", "scrapy", "isotherm-capture");

    static boolean isBot(String userAgent) {
        if (userAgent == null || userAgent.isBlank()) {
            return false; // beacons from privacy browsers may omit it; real visitors should not be lost
        }
        String ua = userAgent.toLowerCase(Locale.ROOT);
        for (String token : TOKENS) {
            if (ua.contains(token)) {
                return true;
            }
        }
        return false;
    }

    private BotFilter() {
    }
}
