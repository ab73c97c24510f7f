package io.isotherm.collector;

import io.isotherm.db.device.DeviceClass;
import io.isotherm.db.device.DeviceWidths;
import io.isotherm.db.page.PageUrl;
import io.isotherm.db.site.Site;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Checks every field of a batch against its type and bounds. The first problem found is reported with the path of
 * the field ({@code events[3].x}); nothing of a refused batch is stored.
 */
final class BatchValidator {
    static final int MAX_EVENTS = 500;
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
            throw Drop.invalid("site", "must be a site key (1-64 letters, digits, '-' or '_')");
        }
        return site;
    }

    /** The page key of the URL ({@link PageUrl}: the one place that knows what a page URL may be). */
    static String pageUrl(CollectBatch batch, Site site) {
        String url = required(batch.url(), "url");
        try {
            return PageUrl.of(site, url);
        } catch (IllegalArgumentException e) {
            throw Drop.invalid("url", e.getMessage());
        }
    }

    /**
     * Checks every field; the batch has no page id yet ({@link ValidBatch#onPage}), so that refused input never
     * creates a page.
     *
     * @param deviceWidths the platform's; the site's own thresholds, where it has any, override them
     * @param visit        what the batch says of its visit ({@link VisitClassifier}), checked already
     */
    static ValidBatch validate(CollectBatch batch, Site site, Instant receivedAt, DeviceWidths deviceWidths, Visit visit) {
        String pageview = required(batch.pageview(), "pageview");
        if (!UUID_FORMAT.matcher(pageview).matches()) {
            throw Drop.invalid("pageview", "must be a UUID");
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
            throw Drop.invalid("device", "must be " + DeviceClass.namesText());
        }
        DeviceClass device = DeviceClass.of(batch.device(), viewportWidth, deviceWidths.forSite(site.mobileBelow(), site.tabletBelow()));
        Float pixelRatio = null;
        if (batch.dpr() != null) {
            double dpr = batch.dpr();
            if (!(dpr >= MIN_PIXEL_RATIO && dpr <= MAX_PIXEL_RATIO)) { // also refuses NaN
                throw Drop.invalid("dpr", "must be a number from " + MIN_PIXEL_RATIO + " to " + MAX_PIXEL_RATIO);
            }
            pixelRatio = (float) dpr;
        }
        String timeZone = batch.tz();
        if (timeZone != null && (timeZone.length() > MAX_TIME_ZONE_LENGTH || !TIME_ZONE.matcher(timeZone).matches())) {
            throw Drop.invalid("tz", "must be an IANA time zone name of at most " + MAX_TIME_ZONE_LENGTH + " characters");
        }
        List<CollectBatch.Event> events = required(batch.events(), "events");
        if (events.isEmpty() || events.size() > MAX_EVENTS) {
            throw Drop.invalid("events", "must hold 1 to " + MAX_EVENTS + " events");
        }
        for (int i = 0; i < events.size(); i++) {
            CollectBatch.Event event = events.get(i);
            if (event == null) {
                throw Drop.invalid("events[" + i + "]", "is required");
            }
            try {
                check(event, sentAt);
            } catch (Drop e) {
                throw e.inside("events[" + i + "]");
            }
        }
        return new ValidBatch(site.id(), UUID.fromString(pageview), seq, sentAt, receivedAt, device, documentWidth, documentHeight,
                viewportWidth, viewportHeight, pixelRatio, timeZone, visit, events);
    }

    /** One event; field names here are relative to the event, the caller adds {@code events[i]} on a drop. */
    private static void check(CollectBatch.Event e, long sentAt) {
        String kind = required(e.kind(), "kind");
        long t = range(required(e.t(), "t"), 0, MAX_EPOCH_MS, "t"); // bounded: sentAt - t cannot overflow
        long age = sentAt - t;
        if (age > MAX_EVENT_AGE_MS) {
            throw Drop.invalid("t", "must be at most 24 hours before sentAt");
        }
        if (age < -MAX_EVENT_LEAD_MS) {
            throw Drop.invalid("t", "must not be more than 1 second after sentAt");
        }
        switch (kind) {
            case "click" -> checkClick(e);
            case "move" -> {
                onlyForClicks(e);
                notAllowed(e.dwell(), "dwell", "move");
                notAllowed(e.depth(), "depth", "move");
                coordinate(e.x(), "x", MAX_DOCUMENT_WIDTH);
                coordinate(e.y(), "y", MAX_DOCUMENT_HEIGHT);
            }
            case "scroll" -> {
                onlyForClicks(e);
                notAllowed(e.x(), "x", "scroll");
                if (e.dwell() != null) {
                    range(e.dwell(), 0, MAX_DWELL_MS, "dwell");
                }
                coordinate(e.y(), "y", MAX_DOCUMENT_HEIGHT);
                if (e.depth() != null) {
                    fraction(e.depth(), "depth");
                }
            }
            default -> throw Drop.invalid("kind", "must be click, move or scroll");
        }
    }

    private static void checkClick(CollectBatch.Event e) {
        notAllowed(e.dwell(), "dwell", "click");
        notAllowed(e.depth(), "depth", "click");
        coordinate(e.x(), "x", MAX_DOCUMENT_WIDTH);
        coordinate(e.y(), "y", MAX_DOCUMENT_HEIGHT);
        String selector = e.selector();
        if (selector != null) {
            if (selector.isBlank() || selector.length() > MAX_SELECTOR_LENGTH || !isPrintableText(selector)) {
                throw Drop.invalid("selector", "must be 1 to " + MAX_SELECTOR_LENGTH + " characters of valid Unicode without control characters");
            }
            fraction(e.boxX(), "boxX");
            fraction(e.boxY(), "boxY");
        } else if (e.boxX() != null || e.boxY() != null) {
            throw Drop.invalid("selector", "is required with boxX and boxY");
        }
    }

    private static void onlyForClicks(CollectBatch.Event e) {
        if (e.selector() != null || e.boxX() != null || e.boxY() != null || e.fixed() != null || e.interactive() != null || e.rage() != null) {
            String field = e.selector() != null ? "selector" : e.boxX() != null ? "boxX" : e.boxY() != null ? "boxY"
                    : e.fixed() != null ? "fixed" : e.interactive() != null ? "interactive" : "rage";
            throw Drop.invalid(field, "is only allowed on clicks");
        }
    }

    private static void notAllowed(Object value, String field, String kind) {
        if (value != null) {
            throw Drop.invalid(field, "is not allowed on " + kind + " events");
        }
    }

    private static void coordinate(Double value, String field, int max) {
        double v = required(value, field);
        if (!Double.isFinite(v) || v < 0 || v > max) {
            throw Drop.invalid(field, "must be a number from 0 to " + max);
        }
    }

    private static void fraction(Double value, String field) {
        double v = required(value, field);
        if (!Double.isFinite(v) || v < 0 || v > 1) {
            throw Drop.invalid(field, "must be a number from 0 to 1");
        }
    }

    /**
     * No character of regex {@code \p{Cntrl}}, and no surrogate outside a pair (JSON's {@code "\ud800"} escape makes
     * one; stored as UTF-8 it would silently become another text). Checked without a regex: this runs for every click.
     */
    static boolean isPrintableText(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return false;
            }
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private static int range(int value, int min, int max, String field) {
        if (value < min || value > max) {
            throw Drop.invalid(field, "must be from " + min + " to " + max);
        }
        return value;
    }

    private static long range(long value, long min, long max, String field) {
        if (value < min || value > max) {
            throw Drop.invalid(field, "must be from " + min + " to " + max);
        }
        return value;
    }

    private static <T> T required(T value, String field) {
        if (value == null) {
            throw Drop.invalid(field, "is required");
        }
        return value;
    }
}
