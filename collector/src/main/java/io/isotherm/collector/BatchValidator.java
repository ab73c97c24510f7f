package io.isotherm.collector;

import io.isotherm.db.device.DeviceClass;
import io.isotherm.db.device.DeviceWidths;
import io.isotherm.db.page.PageUrl;
import io.isotherm.db.site.Site;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.ToLongFunction;
import java.util.regex.Pattern;

/**
 * Checks every field of a batch against its type and bounds and turns it into rows. The first problem found is
 * reported with the path of the field ({@code events[3].x}); nothing of a rejected batch is stored.
 */
final class BatchValidator {
    static final int MAX_EVENTS = 500;
    static final int MAX_URL_LENGTH = 2048;
    static final int MAX_SELECTOR_LENGTH = 512;
    static final int MAX_SEQ = 1_000_000;
    static final int MAX_VIEWPORT = 20_000;
    static final int MAX_DOCUMENT_WIDTH = 100_000;
    static final int MAX_DOCUMENT_HEIGHT = 1_000_000;
    static final long MAX_DWELL_MS = Duration.ofHours(1).toMillis();
    static final double MIN_PIXEL_RATIO = 0.1;
    static final double MAX_PIXEL_RATIO = 16;
    static final int MAX_TIME_ZONE_LENGTH = 64;
    /** How old an event may be when its batch arrives; retries while the page lives stay well inside this. */
    static final long MAX_EVENT_AGE_MS = Duration.ofHours(24).toMillis();
    /** Clocks jitter: an event may claim to be this much younger than its batch. */
    static final long MAX_EVENT_LEAD_MS = 1_000;
    /** Epoch ms in the year 5138: far beyond any clock, small enough that differences never overflow. */
    static final long MAX_EPOCH_MS = 100_000_000_000_000L;

    /** IANA names (Europe/Berlin, America/Argentina/Buenos_Aires, Etc/GMT+5) and the UTC spellings browsers report. */
    private static final Pattern TIME_ZONE = Pattern.compile("[A-Za-z][A-Za-z0-9_+/-]*");
    private static final Pattern UUID_FORMAT = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    /** Fields that must be present and sane before the site is looked up. */
    static String siteKey(CollectBatch batch) {
        String site = required(batch.site(), "site");
        if (!SiteDirectory.KEY_FORMAT.matcher(site).matches()) {
            throw CollectRejection.invalid("site", "must be a site key (1-64 letters, digits, '-' or '_')");
        }
        return site;
    }

    /** The normalized page URL, checked against the site's settings. */
    static String pageUrl(CollectBatch batch, Site site) {
        String url = required(batch.url(), "url");
        if (url.length() > MAX_URL_LENGTH) {
            throw CollectRejection.invalid("url", "must be at most " + MAX_URL_LENGTH + " characters");
        }
        try {
            return PageUrl.of(site, url);
        } catch (IllegalArgumentException e) {
            throw CollectRejection.invalid("url", e.getMessage());
        }
    }

    /** @param deviceWidths the platform's; the site's own thresholds, where it has any, override them */
    static AcceptedBatch validate(CollectBatch batch, Site site, String pageUrl, ToLongFunction<String> pageIds, Instant receivedAt,
                                  DeviceWidths deviceWidths) {
        String pageview = required(batch.pageview(), "pageview");
        if (!UUID_FORMAT.matcher(pageview).matches()) {
            throw CollectRejection.invalid("pageview", "must be a UUID");
        }
        int seq = range(required(batch.seq(), "seq"), 0, MAX_SEQ, "seq");
        long sentAt = range(required(batch.sentAt(), "sentAt"), 1, MAX_EPOCH_MS, "sentAt");
        CollectBatch.Size viewport = required(batch.viewport(), "viewport");
        int viewportWidth = range(required(viewport.width(), "viewport.width"), 1, MAX_VIEWPORT, "viewport.width");
        int viewportHeight = range(required(viewport.height(), "viewport.height"), 1, MAX_VIEWPORT, "viewport.height");
        CollectBatch.Size document = required(batch.document(), "document");
        int documentWidth = range(required(document.width(), "document.width"), 1, MAX_DOCUMENT_WIDTH, "document.width");
        int documentHeight = range(required(document.height(), "document.height"), 1, MAX_DOCUMENT_HEIGHT, "document.height");
        if (batch.device() != null && !DeviceClass.NAMES.contains(batch.device())) {
            throw CollectRejection.invalid("device", "must be " + DeviceClass.namesText());
        }
        DeviceClass device = DeviceClass.of(batch.device(), viewportWidth, deviceWidths.forSite(site.mobileBelow(), site.tabletBelow()));
        Float pixelRatio = null;
        if (batch.dpr() != null) {
            double dpr = batch.dpr();
            if (!(dpr >= MIN_PIXEL_RATIO && dpr <= MAX_PIXEL_RATIO)) { // also refuses NaN
                throw CollectRejection.invalid("dpr", "must be a number from " + MIN_PIXEL_RATIO + " to " + MAX_PIXEL_RATIO);
            }
            pixelRatio = (float) dpr;
        }
        String timeZone = batch.tz();
        if (timeZone != null && (timeZone.length() > MAX_TIME_ZONE_LENGTH || !TIME_ZONE.matcher(timeZone).matches())) {
            throw CollectRejection.invalid("tz", "must be an IANA time zone name of at most " + MAX_TIME_ZONE_LENGTH + " characters");
        }
        List<CollectBatch.Event> events = required(batch.events(), "events");
        if (events.isEmpty() || events.size() > MAX_EVENTS) {
            throw CollectRejection.invalid("events", "must hold 1 to " + MAX_EVENTS + " events");
        }

        UUID pageviewId = UUID.fromString(pageview);
        var rows = new ArrayList<EventRow>(events.size());
        for (int i = 0; i < events.size(); i++) {
            CollectBatch.Event event = events.get(i);
            if (event == null) {
                throw CollectRejection.invalid("events[" + i + "]", "is required");
            }
            try {
                rows.add(row(event, sentAt, receivedAt, documentHeight));
            } catch (CollectRejection e) {
                throw e.inside("events[" + i + "]");
            }
        }
        // Only a valid batch gets this far, so rejected input never creates a page.
        long pageId = pageIds.applyAsLong(pageUrl);
        return new AcceptedBatch(site.id(), pageId, pageviewId, seq, device, documentWidth, documentHeight,
                viewportWidth, viewportHeight, pixelRatio, timeZone, List.copyOf(rows));
    }

    /** One event; field names here are relative to the event, the caller adds {@code events[i]} on rejection. */
    private static EventRow row(CollectBatch.Event e, long sentAt, Instant receivedAt, int documentHeight) {
        String kind = required(e.kind(), "kind");
        long t = range(required(e.t(), "t"), 0, MAX_EPOCH_MS, "t"); // bounded: sentAt - t cannot overflow
        long age = sentAt - t;
        if (age > MAX_EVENT_AGE_MS) {
            throw CollectRejection.invalid("t", "must be at most 24 hours before sentAt");
        }
        if (age < -MAX_EVENT_LEAD_MS) {
            throw CollectRejection.invalid("t", "must not be more than 1 second after sentAt");
        }
        // Client clocks are often wrong; the distance between event and send time is not.
        Instant occurredAt = receivedAt.minusMillis(Math.max(age, 0));
        return switch (kind) {
            case "click" -> click(e, occurredAt);
            case "move" -> {
                onlyForClicks(e);
                notAllowed(e.dwell(), "dwell", "move");
                notAllowed(e.depth(), "depth", "move");
                yield new EventRow(occurredAt, "move", coordinate(e.x(), "x", MAX_DOCUMENT_WIDTH),
                        coordinate(e.y(), "y", MAX_DOCUMENT_HEIGHT), null, null, null, false, false, false, null, null);
            }
            case "scroll" -> {
                onlyForClicks(e);
                notAllowed(e.x(), "x", "scroll");
                Integer dwell = e.dwell() == null ? null : (int) range(e.dwell(), 0, MAX_DWELL_MS, "dwell");
                int y = coordinate(e.y(), "y", MAX_DOCUMENT_HEIGHT);
                // Trackers that do not send depth get it against the batch's document height.
                float depth = e.depth() != null ? fraction(e.depth(), "depth") : Math.min(1f, (float) y / documentHeight);
                yield new EventRow(occurredAt, "scroll", 0, y, null, null, null, false, false, false, dwell, depth);
            }
            default -> throw CollectRejection.invalid("kind", "must be click, move or scroll");
        };
    }

    private static EventRow click(CollectBatch.Event e, Instant occurredAt) {
        notAllowed(e.dwell(), "dwell", "click");
        notAllowed(e.depth(), "depth", "click");
        int x = coordinate(e.x(), "x", MAX_DOCUMENT_WIDTH);
        int y = coordinate(e.y(), "y", MAX_DOCUMENT_HEIGHT);
        String selector = e.selector();
        Float boxX = null;
        Float boxY = null;
        if (selector != null) {
            if (selector.isBlank() || selector.length() > MAX_SELECTOR_LENGTH || hasControlCharacter(selector)) {
                throw CollectRejection.invalid("selector",
                        "must be 1 to " + MAX_SELECTOR_LENGTH + " characters without control characters");
            }
            boxX = fraction(e.boxX(), "boxX");
            boxY = fraction(e.boxY(), "boxY");
        } else if (e.boxX() != null || e.boxY() != null) {
            throw CollectRejection.invalid("selector", "is required with boxX and boxY");
        }
        return new EventRow(occurredAt, "click", x, y, selector, boxX, boxY, bool(e.fixed()), bool(e.interactive()), bool(e.rage()), null, null);
    }

    private static void onlyForClicks(CollectBatch.Event e) {
        if (e.selector() != null || e.boxX() != null || e.boxY() != null || e.fixed() != null || e.interactive() != null || e.rage() != null) {
            String field = e.selector() != null ? "selector" : e.boxX() != null ? "boxX" : e.boxY() != null ? "boxY"
                    : e.fixed() != null ? "fixed" : e.interactive() != null ? "interactive" : "rage";
            throw CollectRejection.invalid(field, "is only allowed on clicks");
        }
    }

    private static void notAllowed(Object value, String field, String kind) {
        if (value != null) {
            throw CollectRejection.invalid(field, "is not allowed on " + kind + " events");
        }
    }

    private static int coordinate(Double value, String field, int max) {
        double v = required(value, field);
        if (!Double.isFinite(v) || v < 0 || v > max) {
            throw CollectRejection.invalid(field, "must be a number from 0 to " + max);
        }
        return (int) Math.round(v);
    }

    private static Float fraction(Double value, String field) {
        double v = required(value, field);
        if (!Double.isFinite(v) || v < 0 || v > 1) {
            throw CollectRejection.invalid(field, "must be a number from 0 to 1");
        }
        return (float) v;
    }

    /** The characters of regex {@code \p{Cntrl}}, checked without a regex: this runs for every click. */
    private static boolean hasControlCharacter(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return true;
            }
        }
        return false;
    }

    private static boolean bool(Boolean b) {
        return b != null && b;
    }

    private static int range(int value, int min, int max, String field) {
        if (value < min || value > max) {
            throw CollectRejection.invalid(field, "must be from " + min + " to " + max);
        }
        return value;
    }

    private static long range(long value, long min, long max, String field) {
        if (value < min || value > max) {
            throw CollectRejection.invalid(field, "must be from " + min + " to " + max);
        }
        return value;
    }

    private static <T> T required(T value, String field) {
        if (value == null) {
            throw CollectRejection.invalid(field, "is required");
        }
        return value;
    }
}
