package io.isotherm.collector;

import io.isotherm.db.device.DeviceClass;
import io.isotherm.db.event.RawEvent;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** A batch whose every field {@link BatchValidator} checked, still without its page's id. */
record ValidBatch(
        int siteId,
        UUID pageviewId,
        int seq,
        long sentAt,
        Instant receivedAt,
        DeviceClass device,
        int documentWidth,
        int documentHeight,
        int viewportWidth,
        int viewportHeight,
        Float devicePixelRatio,
        String timeZone,
        Visit visit,
        List<CollectBatch.Event> events) {

    /** The batch on its page: its receipt, and the raw_event row of each event. */
    AcceptedBatch onPage(long pageId, String pageUrl) {
        String deviceName = device.sqlName();
        var rows = new ArrayList<RawEvent>(events.size());
        Instant first = null, last = null;
        for (CollectBatch.Event e : events) {
            RawEvent row = row(e, pageId, deviceName);
            rows.add(row);
            // As the row stores it: raw_event keeps microseconds (EventCopyEncoder writes them, truncated).
            Instant at = row.occurredAt().truncatedTo(ChronoUnit.MICROS);
            if (first == null || at.isBefore(first)) first = at;
            if (last == null || at.isAfter(last)) last = at;
        }
        var receipt = new BatchReceipt(siteId, pageviewId, seq, pageId, rows.size(), devicePixelRatio, timeZone, visit, first, last);
        return new AcceptedBatch(receipt, pageUrl, device, rows);
    }

    private RawEvent row(CollectBatch.Event e, long pageId, String deviceName) {
        // Client clocks are often wrong; the distance between event and send time is not.
        Instant occurredAt = receivedAt.minusMillis(Math.max(sentAt - e.t(), 0));
        return switch (e.kind()) {
            case "click" -> new RawEvent(siteId, pageId, pageviewId, seq, occurredAt, "click", deviceName, px(e.x()), px(e.y()),
                    documentWidth, documentHeight, viewportWidth, viewportHeight, e.selector(), fraction(e.boxX()), fraction(e.boxY()),
                    isTrue(e.fixed()), isTrue(e.interactive()), isTrue(e.rage()), null, null);
            case "move" -> new RawEvent(siteId, pageId, pageviewId, seq, occurredAt, "move", deviceName, px(e.x()), px(e.y()),
                    documentWidth, documentHeight, viewportWidth, viewportHeight, null, null, null, false, false, false, null, null);
            default -> scroll(e, pageId, deviceName, occurredAt);
        };
    }

    private RawEvent scroll(CollectBatch.Event e, long pageId, String deviceName, Instant occurredAt) {
        int y = px(e.y());
        Integer dwellMs = e.dwell() == null ? null : e.dwell().intValue();
        // Trackers that do not send depth get it against the batch's document height.
        float depth = e.depth() != null ? e.depth().floatValue() : Math.min(1f, (float) y / documentHeight);
        return new RawEvent(siteId, pageId, pageviewId, seq, occurredAt, "scroll", deviceName, 0, y,
                documentWidth, documentHeight, viewportWidth, viewportHeight, null, null, null, false, false, false, dwellMs, depth);
    }

    private static int px(Double value) {
        return (int) Math.round(value);
    }

    private static Float fraction(Double value) {
        return value == null ? null : value.floatValue();
    }

    private static boolean isTrue(Boolean b) {
        return b != null && b;
    }
}
