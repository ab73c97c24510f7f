package io.isotherm.dashboard;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.isotherm.grid.GridGeometry;
import io.isotherm.grid.Layouts;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

import static io.isotherm.dashboard.RecordedAnswers.JSON;

/**
 * The known event set of the V11 migration fixture, as {@code POST /api/collect} bodies: three pages of one site, ten
 * days, every device class, the same for a seed. Clicks on elements the layout knows and on elements it does not, on
 * no element, in fixed headers; rage and dead clicks; moves; scrolls with and without dwell; page views either side
 * of local midnight and of UTC midnight, across them, and documents that grow.
 */
final class V11EventSet {
    static final String ORIGIN = "https://shop.example";

    /** A page on one device class: its viewport and document, and its layout's element boxes (layout px). */
    record Screen(String url, String device, boolean hint, int viewportWidth, int viewportHeight, int documentHeight,
                  List<Layouts.Box> boxes) {}

    /** A batch to send: its body and when the collector receives it. */
    record Batch(byte[] body, UUID pageview, int seq, Instant receivedAt) {}

    private static final Layouts.Box BUY_DESKTOP = new Layouts.Box("#buy", 600, 500, 240, 48, "Buy now");
    static final List<Screen> SCREENS = List.of(
            new Screen(ORIGIN + "/", "desktop", true, 1440, 900, 1400, List.of(BUY_DESKTOP,
                    new Layouts.Box("nav > a.docs", 1100, 20, 80, 24, "Docs"),
                    new Layouts.Box("section.features > a.more", 200, 900, 160, 40))),
            new Screen(ORIGIN + "/", "tablet", true, 820, 1180, 1500, List.of(new Layouts.Box("#buy", 290, 520, 240, 48, "Buy now"))),
            new Screen(ORIGIN + "/", "mobile", false, 390, 844, 1500, List.of(new Layouts.Box("#buy", 75, 600, 240, 48, "Buy now"),
                    new Layouts.Box("nav > a.docs", 10, 10, 60, 24, "Docs"))),
            new Screen(ORIGIN + "/pricing", "desktop", true, 1440, 900, 1200, List.of(
                    new Layouts.Box("#plan-pro", 200, 300, 300, 400, "Pro"), new Layouts.Box("#plan-free", 800, 300, 300, 400, "Free"))),
            new Screen(ORIGIN + "/pricing", "mobile", true, 390, 844, 1300, List.of()),
            new Screen(ORIGIN + "/contact", "desktop", false, 1440, 900, 1000, List.of(
                    new Layouts.Box("form > button[type=submit]", 620, 700, 200, 44, "Send"))));

    /** After the counts: the home page's desktop layout changes (its click views go dirty), "nav > a.docs" is gone. */
    static final List<Layouts.Box> HOME_DESKTOP_LATER = List.of(new Layouts.Box("#buy", 600, 700, 240, 48, "Buy now"),
            new Layouts.Box("section.features > a.more", 200, 900, 160, 40));

    /** Selectors clicked that no layout knows, one of them on an element that is not interactive (dead clicks). */
    private static final String DEAD_TEXT = "main > p.lead";
    private static final String FOOTER_LINK = "footer a.privacy";
    private static final String MENU = "header nav > button.menu";

    private final String siteKey;
    private final ZoneId zone;
    private final SplittableRandom random;
    private final List<Batch> batches = new ArrayList<>();
    private int events;

    /** Page views on the {@code days} local days before {@code end} (not on it). */
    V11EventSet(String siteKey, ZoneId zone, LocalDate end, int days, long seed) {
        this.siteKey = siteKey;
        this.zone = zone;
        this.random = new SplittableRandom(seed);
        for (LocalDate day = end.minusDays(days); day.isBefore(end); day = day.plusDays(1)) {
            for (Screen screen : SCREENS) {
                int pageviews = 2 + random.nextInt(3);
                for (int i = 0; i < pageviews; i++) pageview(screen, day.atTime(8 + random.nextInt(14), random.nextInt(60)).atZone(zone).toInstant());
            }
            // Across local midnight (either side of it and straddling it), and across UTC midnight.
            pageview(SCREENS.get(0), day.atTime(23, 57).atZone(zone).toInstant());
            pageview(SCREENS.get(0), day.atTime(23, 40).atZone(zone).toInstant());
            pageview(SCREENS.get(4), day.atTime(0, 2).atZone(zone).toInstant());
            pageview(SCREENS.get(2), day.atStartOfDay(zone).toInstant().minusSeconds(20));
            pageview(SCREENS.get(3), day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().minusSeconds(90));
        }
    }

    List<Batch> batches() {
        return batches;
    }

    int events() {
        return events;
    }

    private void pageview(Screen s, Instant start) {
        UUID id = new UUID(random.nextLong() & ~0xF000L | 0x4000L, random.nextLong() & 0x3FFFFFFFFFFFFFFFL | 0x8000000000000000L);
        // One in three desktop visitors has a narrower window: x is scaled from 1280 to the 1440 px layout.
        int width = s.device().equals("desktop") && random.nextInt(3) == 0 ? 1280 : s.viewportWidth();
        int height = s.viewportHeight();
        int document = s.documentHeight() - (random.nextInt(4) == 0 ? 100 : 0); // grows by 100 px in a later batch
        int bottom = height;
        long t = start.toEpochMilli();
        int batchCount = 1 + random.nextInt(3);
        for (int seq = 0; seq < batchCount; seq++) {
            ArrayNode list = JSON.createArrayNode();
            int n = 4 + random.nextInt(12);
            for (int i = 0; i < n; i++) {
                t += 1_000 + random.nextInt(20_000);
                int r = random.nextInt(100);
                if (r < 55) {
                    list.addObject().put("kind", "move").put("t", t).put("x", random.nextInt(width * 10) / 10.0)
                            .put("y", bottom - height + random.nextInt(height));
                } else if (r < 80) {
                    t = click(list, s, width, bottom - height, height, t);
                } else {
                    bottom = Math.min(document, bottom + 100 + random.nextInt(300));
                    ObjectNode scroll = list.addObject().put("kind", "scroll").put("t", t).put("y", bottom);
                    if (random.nextInt(10) < 4) scroll.put("dwell", 500 + random.nextInt(8_000));
                }
            }
            events += list.size();
            if (seq == 1 && document < s.documentHeight()) document = s.documentHeight();
            long sentAt = t + 300 + random.nextInt(2_000);
            long skew = (random.nextInt(7) - 3) * 60_000L; // a visitor's clock minutes off: only t − sentAt counts
            for (var e : list) ((ObjectNode) e).put("t", e.get("t").longValue() + skew);
            ObjectNode body = JSON.createObjectNode().put("site", siteKey).put("pageview", id.toString()).put("seq", seq)
                    .put("sentAt", sentAt + skew).put("url", s.url() + (random.nextInt(5) == 0 ? "?utm_source=mail" : ""));
            body.putObject("viewport").put("width", width).put("height", height);
            body.putObject("document").put("width", width).put("height", document);
            if (s.hint()) body.put("device", s.device());
            body.put("dpr", s.device().equals("desktop") ? 1 : 3).put("tz", zone.getId());
            body.set("events", list);
            batches.add(new Batch(body.toString().getBytes(StandardCharsets.UTF_8), id, seq,
                    Instant.ofEpochMilli(sentAt + 40 + random.nextInt(400))));
        }
    }

    /** One click (or a rage burst) at scroll position {@code top}; returns the time of the last. */
    private long click(ArrayNode list, Screen s, int width, int top, int height, long t) {
        double scale = (double) width / layoutWidth(s.device());
        int r = random.nextInt(100);
        double boxX = random.nextInt(1000) / 1000.0, boxY = random.nextInt(1000) / 1000.0;
        ObjectNode click;
        if (r < 40 && !s.boxes().isEmpty()) {
            Layouts.Box b = s.boxes().get(random.nextInt(s.boxes().size()));
            click = target(list, t, (b.x() + boxX * b.width()) * scale, b.y() + boxY * b.height(), b.selector(), boxX, boxY).put("interactive", true);
        } else if (r < 55) {
            // A selector some layouts know (the desktop pricing plans), clicked on a screen whose layout may not.
            click = target(list, t, random.nextInt(width), top + random.nextInt(height), s.url().endsWith("/pricing") ? "#plan-pro" : FOOTER_LINK,
                    boxX, boxY).put("interactive", true);
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
                ObjectNode again = click.deepCopy().put("t", t);
                list.add(again);
            }
        }
        return t;
    }

    private static ObjectNode target(ArrayNode list, long t, double x, double y, String selector, double boxX, double boxY) {
        return list.addObject().put("kind", "click").put("t", t).put("x", Math.round(x * 10) / 10.0).put("y", Math.round(y * 10) / 10.0)
                .put("selector", selector).put("boxX", boxX).put("boxY", boxY);
    }

    private static int layoutWidth(String device) {
        return GridGeometry.defaults().layoutWidth(device);
    }
}
