package io.isotherm.collector;

import java.util.List;
import java.util.Locale;

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
        return hasBotWord(ua);
    }

    /**
     * "…bot" at the end of a word (Googlebot/2.1, AhrefsBot;, bingbot), but not the CUBOT phone brand, whose real
     * visitors would otherwise be dropped. A plain scan: this runs on every request.
     */
    static boolean hasBotWord(String ua) {
        for (int i = ua.indexOf("bot"); i >= 0; i = ua.indexOf("bot", i + 1)) {
            int end = i + 3;
            boolean endsWord = end == ua.length() || !Character.isLetterOrDigit(ua.charAt(end));
            boolean cubot = i >= 2 && ua.startsWith("cu", i - 2);
            if (endsWord && !cubot) {
                return true;
            }
        }
        return false;
    }

    private BotFilter() {
    }
}
