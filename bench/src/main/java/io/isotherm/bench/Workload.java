package io.isotherm.bench;

import io.isotherm.collector.CollectBatch;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Tracker traffic for one site, generated ahead of a benchmark: pageviews on a handful of pages by desktop, tablet
 * and mobile visitors, each sending batches numbered 0, 1, 2… of 20-60 events (mostly moves, some clicks on real
 * looking CSS selectors, some scroll samples with dwell), with {@code t} within the five seconds before
 * {@code sentAt}. The batches render as the HTTP body the tracker sends ({@link #json}); the HTTP benchmark sends those
 * bodies, and the COPY ceiling stores what the collector's own steps make of them, so both store the same rows.
 *
 * <p>Rendered bodies carry {@link #PLACEHOLDER_PAGEVIEW} as pageview id; benchmarks splice a fresh id into a copy
 * of the bytes for every use ({@link #writeUuid}), so no batch is ever a redelivery and the generation cost stays
 * out of the measurement.
 */
final class Workload {
    static final String PLACEHOLDER_PAGEVIEW = "00000000-0000-4000-8000-000000000000";
    static final int MIN_EVENTS = 20;
    static final int MAX_EVENTS = 60;
    /** The tracker sends a batch about every five seconds while the page is open. */
    static final int BATCH_INTERVAL_MS = 5_000;

    /** A click target: its selector, and whether it is a link/button and sits in a fixed header. */
    private record Target(String selector, boolean interactive, boolean fixed) {
    }

    /** A page of the site; {@code url} is what the tracker sends (query, fragment, trailing slash and all). */
    private record Page(String url, int desktopHeight, double weight, List<Target> content) {
    }

    private record Screen(String hint, int viewportWidth, int viewportHeight, double pixelRatio, double weight) {
    }

    /** Every visitor reports one (the value only has to be valid; its size on the wire is what matters). */
    private static final String TIME_ZONE = "Europe/Berlin";

    /** One pageview: its page and its batches in {@code seq} order. */
    record Pageview(String url, List<CollectBatch> batches) {
    }

    private static final List<Target> HEADER = List.of(
            new Target("#nav > a:nth-of-type(1)", true, true),
            new Target("#nav > a:nth-of-type(2)", true, true),
            new Target("#nav > a:nth-of-type(3)", true, true),
            new Target("#nav > a:nth-of-type(4)", true, true),
            new Target("header > button.menu-toggle", true, true));

    private static final List<Page> PAGES = List.of(
            new Page("/", 4200, 0.34, targets(
                    new Target("main > section.hero > a.cta-primary", true, false),
                    new Target("main > section.hero > h1", false, false),
                    new Target("main > section:nth-of-type(3) > div.card:nth-of-type(2) > a", true, false),
                    new Target("main > section:nth-of-type(4) > ul > li:nth-of-type(5)", false, false),
                    new Target("footer a[href=\"/privacy\"]", true, false))),
            new Page("/pricing?plan=team&utm_source=newsletter", 3100, 0.22, targets(
                    new Target("#plans > div.plan:nth-of-type(2) > button", true, false),
                    new Target("#plans > div.plan:nth-of-type(3) > button.secondary", true, false),
                    new Target("label[for=\"billing-annual\"]", true, false),
                    new Target("#faq > details:nth-of-type(4) > summary", true, false),
                    new Target("#plans > div.plan:nth-of-type(2) > ul > li:nth-of-type(3)", false, false))),
            new Page("/docs/getting-started#install", 6800, 0.18, targets(
                    new Target("nav.sidebar > ul > li:nth-of-type(7) > a", true, false),
                    new Target("article > pre:nth-of-type(2) > button.copy", true, false),
                    new Target("article > pre:nth-of-type(2) > code.language-html", false, false),
                    new Target("article > p:nth-of-type(9) > a[href^=\"/docs/\"]", true, false))),
            new Page("/blog/2024/reading-heatmaps/", 8900, 0.14, targets(
                    new Target("article > p:nth-of-type(12) > a", true, false),
                    new Target("article > figure:nth-of-type(2) > img", false, false),
                    new Target("aside.newsletter > form > input[name=\"email\"]", true, false),
                    new Target("aside.newsletter > form > button[type=\"submit\"]", true, false))),
            new Page("/signup", 1500, 0.08, targets(
                    new Target("#signup-form > input[name=\"email\"]", true, false),
                    new Target("#signup-form > input[name=\"password\"]", true, false),
                    new Target("#signup-form > button[type=\"submit\"]", true, false),
                    new Target("#signup-form > p.terms > a:nth-of-type(2)", true, false))),
            new Page("/features/session-replay", 5200, 0.04, targets(
                    new Target("main > section:nth-of-type(2) > div.video-embed", false, false),
                    new Target("main > section:nth-of-type(5) > a.button", true, false))));

    private static final List<Screen> SCREENS = List.of(
            new Screen(null, 1920, 969, 1.0, 0.16),
            new Screen(null, 1536, 730, 1.25, 0.12),
            new Screen(null, 1440, 789, 2.0, 0.10),
            new Screen(null, 1366, 641, 1.0, 0.09),
            new Screen(null, 1280, 632, 1.5, 0.06),
            new Screen("tablet", 820, 1180, 2.0, 0.04),
            new Screen("tablet", 768, 1024, 2.0, 0.03),
            new Screen("mobile", 390, 844, 3.0, 0.14),
            new Screen("mobile", 393, 852, 2.75, 0.10),
            new Screen("mobile", 360, 800, 3.0, 0.08),
            new Screen("mobile", 414, 896, 2.0, 0.08));

    private final String siteKey;
    private final String origin;
    private final SplittableRandom random;

    Workload(String siteKey, String origin, long seed) {
        this.siteKey = siteKey;
        this.origin = origin.endsWith("/") ? origin.substring(0, origin.length() - 1) : origin;
        this.random = new SplittableRandom(seed);
    }

    /** {@code count} pageviews whose last batch is sent at {@code now} (epoch ms) and earlier ones before it. */
    List<Pageview> pageviews(int count, long now) {
        var result = new ArrayList<Pageview>(count);
        for (int i = 0; i < count; i++) {
            result.add(pageview(now));
        }
        return result;
    }

    private Pageview pageview(long now) {
        Page page = pick(PAGES, Page::weight);
        Screen screen = pick(SCREENS, Screen::weight);
        boolean desktop = screen.hint == null;
        int documentWidth = desktop ? screen.viewportWidth - 15 : screen.viewportWidth; // minus the scrollbar
        double taller = desktop ? 1.0 : 1920.0 / screen.viewportWidth / 1.6; // narrow layouts stack their columns
        int documentHeight = Math.max(screen.viewportHeight, (int) (page.desktopHeight * taller * (0.9 + 0.2 * random.nextDouble())));
        int batches = 1;
        while (batches < 12 && random.nextDouble() < 0.7) { // most pageviews are short, a few stay a minute
            batches++;
        }
        var state = new Cursor(documentWidth, documentHeight, screen.viewportWidth, screen.viewportHeight);
        var list = new ArrayList<CollectBatch>(batches);
        for (int seq = 0; seq < batches; seq++) {
            long sentAt = now - (long) (batches - 1 - seq) * BATCH_INTERVAL_MS - random.nextInt(200);
            List<CollectBatch.Event> events = events(page, screen, state, sentAt);
            // No referrer, landing query or variant: the workload's bodies stay as they were measured before segments.
            list.add(new CollectBatch(siteKey, PLACEHOLDER_PAGEVIEW, seq, sentAt, origin + page.url, null, null, null,
                    new CollectBatch.Size(screen.viewportWidth, screen.viewportHeight),
                    new CollectBatch.Size(documentWidth, documentHeight), screen.hint, screen.pixelRatio(), TIME_ZONE, events));
        }
        return new Pageview(origin + page.url, List.copyOf(list));
    }

    /** Where the visitor is: pointer position and how far the page is scrolled. */
    private static final class Cursor {
        final int documentWidth;
        final int documentHeight;
        final int viewportWidth;
        final int viewportHeight;
        int x;
        int y;
        int scrollTop;

        Cursor(int documentWidth, int documentHeight, int viewportWidth, int viewportHeight) {
            this.documentWidth = documentWidth;
            this.documentHeight = documentHeight;
            this.viewportWidth = viewportWidth;
            this.viewportHeight = viewportHeight;
            this.x = viewportWidth / 2;
            this.y = viewportHeight / 2;
        }
    }

    private List<CollectBatch.Event> events(Page page, Screen screen, Cursor c, long sentAt) {
        int n = MIN_EVENTS + random.nextInt(MAX_EVENTS - MIN_EVENTS + 1);
        long[] times = new long[n];
        for (int i = 0; i < n; i++) {
            times[i] = sentAt - 20 - random.nextInt(BATCH_INTERVAL_MS - 20);
        }
        Arrays.sort(times);
        boolean touch = screen.hint != null;
        double moveShare = touch ? 0.55 : 0.82;
        double clickShare = touch ? 0.12 : 0.07;
        var events = new ArrayList<CollectBatch.Event>(n);
        long lastScroll = times[0] - 1_000;
        for (int i = 0; i < n; i++) {
            long t = times[i];
            double kind = random.nextDouble();
            if (kind < moveShare) {
                c.x = clamp(c.x + (int) (random.nextGaussian() * 60), 0, c.documentWidth);
                c.y = clamp(c.y + (int) (random.nextGaussian() * 40), c.scrollTop, Math.min(c.documentHeight, c.scrollTop + c.viewportHeight));
                events.add(new CollectBatch.Event("move", t, (double) c.x, (double) c.y, null, null, null, null, null, null, null, null));
            } else if (kind < moveShare + clickShare) {
                boolean rage = random.nextDouble() < 0.015 && i + 2 < n;
                CollectBatch.Event click = click(page, c, t, rage);
                events.add(click);
                if (rage) { // a burst of three on the same spot
                    for (int r = 1; r <= 2; r++) {
                        i++;
                        events.add(new CollectBatch.Event("click", times[i], click.x(), click.y(), click.selector(), click.boxX(),
                                click.boxY(), click.fixed(), click.interactive(), true, null, null));
                    }
                }
            } else {
                if (random.nextDouble() < 0.7) {
                    c.scrollTop = clamp(c.scrollTop + (int) (c.viewportHeight * (0.2 + random.nextDouble() * 0.8)), 0,
                            Math.max(0, c.documentHeight - c.viewportHeight));
                } else {
                    c.scrollTop = clamp(c.scrollTop - (int) (c.viewportHeight * random.nextDouble() * 0.5), 0,
                            Math.max(0, c.documentHeight - c.viewportHeight));
                }
                int bottom = Math.min(c.documentHeight, c.scrollTop + c.viewportHeight);
                long dwell = Math.max(0, t - lastScroll);
                lastScroll = t;
                double depth = Math.round(1000.0 * bottom / c.documentHeight) / 1000.0;
                events.add(new CollectBatch.Event("scroll", t, null, (double) bottom, null, null, null, null, null, null, dwell, depth));
            }
        }
        return events;
    }

    private CollectBatch.Event click(Page page, Cursor c, long t, boolean rage) {
        if (random.nextDouble() < 0.03) { // on the page background: no target
            return new CollectBatch.Event("click", t, (double) c.x, (double) c.y, null, null, null, null, false, rage ? true : null, null, null);
        }
        List<Target> targets = random.nextDouble() < 0.3 ? HEADER : page.content; // the sticky header gets its share
        Target target = targets.get(random.nextInt(targets.size()));
        double boxX = Math.round(random.nextDouble() * 1000) / 1000.0;
        double boxY = Math.round(random.nextDouble() * 1000) / 1000.0;
        if (target.fixed) { // viewport coordinates inside the sticky header
            int x = random.nextInt(c.viewportWidth + 1);
            int y = random.nextInt(65);
            return new CollectBatch.Event("click", t, (double) x, (double) y, target.selector, boxX, boxY, true,
                    target.interactive, rage ? true : null, null, null);
        }
        return new CollectBatch.Event("click", t, (double) c.x, (double) c.y, target.selector, boxX, boxY, null,
                target.interactive, rage ? true : null, null, null);
    }

    private static List<Target> targets(Target... pageTargets) {
        return List.of(pageTargets);
    }

    private <T> T pick(List<T> options, java.util.function.ToDoubleFunction<T> weight) {
        double total = options.stream().mapToDouble(weight).sum();
        double r = random.nextDouble() * total;
        for (T option : options) {
            r -= weight.applyAsDouble(option);
            if (r < 0) {
                return option;
            }
        }
        return options.get(options.size() - 1);
    }

    private static int clamp(int v, int min, int max) {
        return Math.max(min, Math.min(max, v));
    }

    // ---- rendering -------------------------------------------------------------------------------------------

    /** The body as the tracker's {@code JSON.stringify} writes it: record order, nulls left out, whole numbers bare. */
    static String json(CollectBatch b) {
        var out = new StringBuilder(64 * (b.events().size() + 4));
        out.append('{');
        field(out, "site").append(string(b.site()));
        out.append(',');
        field(out, "pageview").append(string(b.pageview()));
        out.append(',');
        field(out, "seq").append(b.seq());
        out.append(',');
        field(out, "sentAt").append(b.sentAt());
        out.append(',');
        field(out, "url").append(string(b.url()));
        out.append(',');
        field(out, "viewport").append("{\"width\":").append(b.viewport().width()).append(",\"height\":").append(b.viewport().height()).append('}');
        out.append(',');
        field(out, "document").append("{\"width\":").append(b.document().width()).append(",\"height\":").append(b.document().height()).append('}');
        if (b.device() != null) {
            out.append(',');
            field(out, "device").append(string(b.device()));
        }
        optional(out, "dpr", b.dpr());
        if (b.tz() != null) {
            out.append(',');
            field(out, "tz").append(string(b.tz()));
        }
        out.append(',');
        field(out, "events").append('[');
        for (int i = 0; i < b.events().size(); i++) {
            CollectBatch.Event e = b.events().get(i);
            if (i > 0) {
                out.append(',');
            }
            out.append("{\"kind\":").append(string(e.kind())).append(",\"t\":").append(e.t());
            optional(out, "x", e.x());
            optional(out, "y", e.y());
            if (e.selector() != null) {
                out.append(",\"selector\":").append(string(e.selector()));
            }
            optional(out, "boxX", e.boxX());
            optional(out, "boxY", e.boxY());
            optional(out, "fixed", e.fixed());
            optional(out, "interactive", e.interactive());
            optional(out, "rage", e.rage());
            optional(out, "dwell", e.dwell());
            optional(out, "depth", e.depth());
            out.append('}');
        }
        return out.append("]}").toString();
    }

    private static StringBuilder field(StringBuilder out, String name) {
        return out.append('"').append(name).append("\":");
    }

    private static void optional(StringBuilder out, String name, Object value) {
        if (value == null) {
            return;
        }
        out.append(",\"").append(name).append("\":");
        if (value instanceof Double d) {
            out.append(number(d));
        } else {
            out.append(value);
        }
    }

    /** A number as JavaScript prints it for the values generated here: 512, 0.437. */
    private static String number(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        return Double.toString(d);
    }

    private static String string(String s) {
        var out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (ch < 0x20) {
                        out.append(String.format("\\u%04x", (int) ch));
                    } else {
                        out.append(ch);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    // ---- splicing pageview ids -------------------------------------------------------------------------------

    /** Offsets of every occurrence of the placeholder pageview id in {@code bytes}. */
    static int[] placeholderOffsets(byte[] bytes) {
        byte[] needle = PLACEHOLDER_PAGEVIEW.getBytes(StandardCharsets.US_ASCII);
        var offsets = new ArrayList<Integer>();
        outer:
        for (int i = 0; i + needle.length <= bytes.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (bytes[i + j] != needle[j]) {
                    continue outer;
                }
            }
            offsets.add(i);
            i += needle.length - 1;
        }
        return offsets.stream().mapToInt(Integer::intValue).toArray();
    }

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    /** Writes a version-4 UUID made of {@code msb}/{@code lsb} in its 36-character form at {@code offset}. */
    static void writeUuid(byte[] dst, int offset, long msb, long lsb) {
        msb = (msb & ~0xF000L) | 0x4000L;                       // version 4
        lsb = (lsb & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L; // IETF variant
        int p = offset;
        for (int i = 0; i < 16; i++) {
            if (i == 4 || i == 6 || i == 8 || i == 10) {
                dst[p++] = '-';
            }
            long word = i < 8 ? msb : lsb;
            int b = (int) (word >>> (56 - 8 * (i & 7))) & 0xFF;
            dst[p++] = HEX[b >>> 4];
            dst[p++] = HEX[b & 0xF];
        }
    }
}
