package io.isotherm.dashboard;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.isotherm.grid.Layouts;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

import static io.isotherm.dashboard.RecordedAnswers.JSON;

/**
 * The known event set of the V20 segments fixture, as {@code POST /api/collect} bodies with their browsers' user agents:
 * four pages of one site on desktop and mobile, the same for a seed. Each page view's visit differs in what makes a
 * segment (docs/COLLECT-API.md, "Traffic segments"): its referrer, its landing URL's utm values, the variant, the
 * browser and OS (from the user agent) and the country (from the visitor's time zone). Clicks on elements the layout
 * knows and on elements it does not, on no element, in a fixed header; rage and dead clicks; moves; scrolls with and
 * without dwell. Every page view sends two or three batches, so its later batches can be aggregated in a later run.
 */
final class V20SegmentEventSet {
    static final String ORIGIN = "https://shop.example";

    /**
     * A page on one device class: its viewport and document, the boxes of its clickable elements (layout px), and
     * whether a capture gave the layout those boxes (without one, a reader draws every click from its cell). Documents
     * are a screen or two tall: every answer is a whole grid, and the test asks for hundreds of them twice.
     */
    record Screen(String url, String device, int viewportWidth, int viewportHeight, int documentHeight, List<Layouts.Box> boxes,
                  boolean captured) {}

    /** A batch to send, and the site's local day its page view started on (the recorder aggregates by that day). */
    record Batch(CollectorPath.Sent sent, LocalDate day) {}

    /** Where a visit came from: the referrer host and landing query the tracker sends (null: none). */
    private record Source(String referrer, String query) {}

    static final String HOME = ORIGIN + "/", PRICING = ORIGIN + "/pricing";
    static final String SPRING_POST = ORIGIN + "/blog/spring-sale", PLANS_POST = ORIGIN + "/blog/new-plans";

    static final List<Screen> SCREENS = List.of(
            new Screen(HOME, "desktop", 1440, 900, 1500, List.of(new Layouts.Box("#buy", 600, 500, 240, 48, "Buy now"),
                    new Layouts.Box("nav > a.pricing", 1000, 20, 80, 24, "Pricing"),
                    new Layouts.Box("section.reviews > a.more", 200, 1200, 160, 40, "More reviews")), true),
            new Screen(HOME, "mobile", 390, 844, 1800, List.of(new Layouts.Box("#buy", 75, 600, 240, 48, "Buy now"),
                    new Layouts.Box("section.reviews > a.more", 20, 1500, 160, 40, "More reviews")), true),
            new Screen(PRICING, "desktop", 1440, 900, 1200, List.of(new Layouts.Box("#plan-pro", 200, 300, 300, 400, "Pro"),
                    new Layouts.Box("#plan-free", 800, 300, 300, 400, "Free")), true),
            new Screen(PRICING, "mobile", 390, 844, 1500, List.of(new Layouts.Box("#plan-pro", 20, 300, 350, 500, "Pro"),
                    new Layouts.Box("#plan-free", 20, 900, 350, 500, "Free")), false),
            new Screen(SPRING_POST, "desktop", 1440, 900, 1400, List.of(new Layouts.Box("article a.cta", 500, 1200, 200, 44, "Shop the sale")), true),
            new Screen(PLANS_POST, "desktop", 1440, 900, 1300, List.of(new Layouts.Box("article a.cta", 500, 900, 200, 44, "See plans"),
                    new Layouts.Box("#plan-pro", 300, 1000, 300, 200, "Pro")), false));

    /** Visits by their source, a spring campaign the most common so that its filter finds counts on most days. */
    private static final List<Source> SOURCES = List.of(
            new Source(null, null),
            new Source("www.google.com", null),
            new Source("mail.google.com", "?utm_source=newsletter&utm_medium=email&utm_campaign=spring"),
            new Source("l.facebook.com", "?utm_source=facebook&utm_medium=social&utm_campaign=spring&fbclid=IwAR0x"),
            new Source("mail.google.com", "?utm_source=newsletter&utm_medium=email&utm_campaign=spring"),
            new Source("www.bing.com", "?utm_source=bing&utm_medium=cpc&utm_campaign=brand"),
            new Source("shop.example", null));
    private static final List<String> VARIANTS = Arrays.asList(null, "A", "B");
    private static final Map<String, List<String>> USER_AGENTS = Map.of(
            "desktop", List.of(
                    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
                    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
                    "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
                    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0"),
            "mobile", List.of(
                    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
                    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
                    "Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S921B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36"));
    /** The visitors' time zones: France, the United States twice, Japan, and a zone of no country. */
    private static final List<String> TIME_ZONES = List.of("Europe/Paris", "America/New_York", "Asia/Tokyo", "America/Chicago", "Etc/UTC");

    /** Clicked selectors no page's boxes hold, one of them on an element that is not interactive (dead clicks). */
    private static final String DEAD_TEXT = "main > p.lead";
    private static final String FOOTER_LINK = "footer a.privacy";
    private static final String MENU = "header nav > button.menu";

    private final String siteKey;
    private final ZoneId zone;
    private final SplittableRandom random;
    private final List<Batch> batches = new ArrayList<>();
    private int events;

    /** Page views on the {@code days} local days before {@code end} (not on it). */
    V20SegmentEventSet(String siteKey, ZoneId zone, LocalDate end, int days, long seed) {
        this.siteKey = siteKey;
        this.zone = zone;
        this.random = new SplittableRandom(seed);
        for (LocalDate day = end.minusDays(days); day.isBefore(end); day = day.plusDays(1)) {
            for (Screen screen : SCREENS) {
                int pageviews = 4 + random.nextInt(4);
                for (int i = 0; i < pageviews; i++) pageview(screen, day, day.atTime(8 + random.nextInt(14), random.nextInt(60)));
            }
            // Late in the evening: its later batches count on the next day.
            pageview(SCREENS.get(0), day, day.atTime(23, 50));
        }
    }

    List<Batch> batches() {
        return batches;
    }

    int events() {
        return events;
    }

    private void pageview(Screen s, LocalDate day, LocalDateTime localStart) {
        UUID id = new UUID(random.nextLong() & ~0xF000L | 0x4000L, random.nextLong() & 0x3FFFFFFFFFFFFFFFL | 0x8000000000000000L);
        Source source = SOURCES.get(random.nextInt(SOURCES.size()));
        String variant = VARIANTS.get(random.nextInt(VARIANTS.size()));
        List<String> agents = USER_AGENTS.get(s.device());
        String userAgent = agents.get(random.nextInt(agents.size()));
        String timeZone = TIME_ZONES.get(random.nextInt(TIME_ZONES.size()));
        // One in four desktop visitors has a narrower window: x is scaled from 1280 to the 1440 px layout.
        int width = s.device().equals("desktop") && random.nextInt(4) == 0 ? 1280 : s.viewportWidth();
        int height = s.viewportHeight();
        int bottom = height;
        long t = localStart.atZone(zone).toInstant().toEpochMilli();
        int batchCount = 2 + random.nextInt(2);
        for (int seq = 0; seq < batchCount; seq++) {
            ArrayNode list = JSON.createArrayNode();
            int n = 4 + random.nextInt(9);
            for (int i = 0; i < n; i++) {
                t += 1_000 + random.nextInt(20_000);
                int r = random.nextInt(100);
                if (r < 50) {
                    list.addObject().put("kind", "move").put("t", t).put("x", random.nextInt(width * 10) / 10.0)
                            .put("y", bottom - height + random.nextInt(height));
                } else if (r < 80) {
                    t = click(list, s, width, bottom - height, height, t);
                } else {
                    bottom = Math.min(s.documentHeight(), bottom + 150 + random.nextInt(400));
                    ObjectNode scroll = list.addObject().put("kind", "scroll").put("t", t).put("y", bottom);
                    if (random.nextInt(10) < 4) scroll.put("dwell", 500 + random.nextInt(8_000));
                }
            }
            events += list.size();
            long sentAt = t + 300 + random.nextInt(2_000);
            // Every batch of a page view carries its visit, as the tracker sends it (captured when the page view starts).
            ObjectNode body = JSON.createObjectNode().put("site", siteKey).put("pageview", id.toString()).put("seq", seq)
                    .put("sentAt", sentAt).put("url", s.url() + (source.query() == null ? "" : source.query()));
            if (source.referrer() != null) body.put("referrer", source.referrer());
            if (source.query() != null) body.put("query", source.query());
            if (variant != null) body.put("variant", variant);
            body.putObject("viewport").put("width", width).put("height", height);
            body.putObject("document").put("width", width).put("height", s.documentHeight());
            body.put("device", s.device()).put("dpr", s.device().equals("desktop") ? 1 : 3).put("tz", timeZone);
            body.set("events", list);
            batches.add(new Batch(new CollectorPath.Sent(userAgent, body.toString().getBytes(StandardCharsets.UTF_8), id, seq,
                    Instant.ofEpochMilli(sentAt + 40 + random.nextInt(400))), day));
        }
    }

    /** One click (or a rage burst) with the window's top at {@code top}; returns the time of the last. */
    private long click(ArrayNode list, Screen s, int width, int top, int height, long t) {
        double scale = (double) width / s.viewportWidth();
        int r = random.nextInt(100);
        double boxX = random.nextInt(1000) / 1000.0, boxY = random.nextInt(1000) / 1000.0;
        ObjectNode click;
        if (r < 45) {
            Layouts.Box b = s.boxes().get(random.nextInt(s.boxes().size()));
            click = target(list, t, (b.x() + boxX * b.width()) * scale, b.y() + boxY * b.height(), b.selector(), boxX, boxY)
                    .put("interactive", true);
        } else if (r < 55) {
            click = target(list, t, random.nextInt(width), top + random.nextInt(height), FOOTER_LINK, boxX, boxY).put("interactive", true);
        } else if (r < 70) {
            click = target(list, t, random.nextInt(width), top + random.nextInt(height), DEAD_TEXT, boxX, boxY).put("interactive", false);
        } else if (r < 85) {
            click = list.addObject().put("kind", "click").put("t", t).put("x", random.nextInt(width)).put("y", top + random.nextInt(height));
        } else {
            click = target(list, t, width - 40 + random.nextInt(30), 10 + random.nextInt(40), MENU, boxX, boxY)
                    .put("fixed", true).put("interactive", true);
        }
        if (random.nextInt(10) == 0) {
            // A rage burst: the same spot three more times within a second.
            click.put("rage", true);
            for (int i = 0; i < 3; i++) {
                t += 150 + random.nextInt(100);
                list.add(click.deepCopy().put("t", t));
            }
        }
        return t;
    }

    private static ObjectNode target(ArrayNode list, long t, double x, double y, String selector, double boxX, double boxY) {
        return list.addObject().put("kind", "click").put("t", t).put("x", Math.round(x * 10) / 10.0).put("y", Math.round(y * 10) / 10.0)
                .put("selector", selector).put("boxX", boxX).put("boxY", boxY);
    }
}
