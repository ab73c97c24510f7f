package io.isotherm.collector;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Known automated visitors, by user agent. Their batches are answered 204 and not stored: crawlers and uptime
 * checks are not people, and headless browsers include Isotherm's own screenshot capturer. The list is
 * documented in docs/COLLECT-API.md.
 */
final class BotFilter {
    /** Any user agent containing one of these (lower case) is a bot. */
    static final List<String> TOKENS = List.of(
            "crawler", "crawling", "spider", "slurp", "headlesschrome", "phantomjs", "lighthouse", "pingdom",
            "uptimerobot", "statuscake", "facebookexternalhit", "embedly", "prerender", "python-requests",
            "python-urllib", "go-http-client", "wget", "scrapy", "isotherm-capture");

    /**
     * "…bot" as the end of a word (Googlebot/2.1, AhrefsBot;, bingbot) — but not the CUBOT phone brand, whose
     * real visitors would otherwise be dropped.
     */
    static final Pattern BOT_WORD = Pattern.compile("(?<!cu)bot\\b");

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
        return BOT_WORD.matcher(ua).find();
    }

    private BotFilter() {
    }
}
