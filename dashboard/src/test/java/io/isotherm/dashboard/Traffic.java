package io.isotherm.dashboard;

import io.isotherm.aggregator.Aggregator;
import io.isotherm.aggregator.AggregatorSettings;
import io.isotherm.db.Database;
import io.isotherm.db.event.RawEvent;
import io.isotherm.db.event.RawEventPartitions;
import io.isotherm.db.page.PageDao;
import io.isotherm.db.site.Site;
import io.isotherm.db.site.SiteDao;
import io.isotherm.grid.Layouts;
import io.isotherm.testing.StoredTraffic;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Known visits in: page views written as the collector stores them (a receipt in ingest_batch, rows in raw_event),
 * then counted by the real aggregator, so the read API is tested on what the aggregator really writes.
 */
final class Traffic {
    final Database db;

    /** Creates the raw_event partitions of the 60 days up to {@code today}. */
    Traffic(Database db, LocalDate today) {
        this.db = db;
        new RawEventPartitions(db.jdbi(), 0).ensure(today.minusDays(59), 61);
    }

    Site site(String timeZone, String... keptQueryParams) {
        Site site = new SiteDao(db.jdbi()).add("Shop", List.of("https://shop.example"), List.of(keptQueryParams));
        db.jdbi().useHandle(h -> h.execute("UPDATE site SET time_zone = ? WHERE site_id = ?", timeZone, site.id()));
        return site;
    }

    long page(Site site, String url) {
        return new PageDao(db.jdbi()).idFor(site, url);
    }

    /** A page view of a document {@code documentHeight} px tall, as wide as the viewport. */
    Visit visit(Site site, long pageId, String device, int viewportWidth, int viewportHeight, int documentHeight) {
        return new Visit(site.id(), pageId, device, viewportWidth, viewportHeight, documentHeight);
    }

    /** A desktop page view: 1440 × 900 viewport, 5000 px document. */
    Visit visit(Site site, long pageId) {
        return visit(site, pageId, "desktop", 1440, 900, 5000);
    }

    void aggregate() {
        new Aggregator(db.jdbi(), AggregatorSettings.defaults()).aggregatePending();
    }

    /** An element box of the page's current layout, as the screenshot capture will write it. */
    void layout(Site site, long pageId, String device, String selector, int x, int y, int width, int height) {
        db.jdbi().useHandle(h -> h.execute("""
                INSERT INTO layout_element (site_id, page_id, device, selector, x, y, width, height, captured_at)
                VALUES (?, ?, ?::device_class, ?, ?, ?, ?, ?, now())""", site.id(), pageId, device, selector, x, y, width, height));
    }


    /** An element box of a capture, in layout px, with the label the capture took from the page (null when none). */
    record Box(String selector, int x, int y, int width, int height, String label) {
        Box(String selector, int x, int y, int width, int height) {
            this(selector, x, y, width, height, null);
        }
    }

    /**
     * A finished browser capture of the page, stored as the capture worker stores one: tiles of at most
     * {@code tileHeight} px drawn as a white page with a coloured block at each box, the boxes as its elements and as
     * the page's current layout. Returns the capture's id.
     */
    long capture(Site site, long pageId, String device, int width, int height, int tileHeight, List<Box> boxes) {
        List<byte[]> tiles = new ArrayList<>();
        for (int y = 0; y < height; y += tileHeight) tiles.add(drawTile(width, y, Math.min(tileHeight, height - y), boxes));
        return capture(site, pageId, device, width, height, tileHeight, tiles, boxes);
    }

    /** A finished capture with the given PNG tiles (each {@code tileHeight} px tall but the last). */
    long capture(Site site, long pageId, String device, int width, int height, int tileHeight, List<byte[]> tiles, List<Box> boxes) {
        return db.jdbi().inTransaction(h -> {
            long id = h.createQuery("""
                            INSERT INTO capture (site_id, page_id, device, source, requested_by, url, status, http_status,
                                final_url, requested_at, started_at, captured_at, width, height, element_count)
                            SELECT :site, :page, :device::device_class, 'browser', 'cli', url, 'ok', 200, url,
                                clock_timestamp(), clock_timestamp(), clock_timestamp(), :width, :height, :elements
                            FROM page WHERE site_id = :site AND page_id = :page
                            RETURNING capture_id""")
                    .bind("site", site.id()).bind("page", pageId).bind("device", device)
                    .bind("width", width).bind("height", height).bind("elements", boxes.size())
                    .mapTo(Long.class).one();
            for (int i = 0; i < tiles.size(); i++) {
                h.createUpdate("""
                                INSERT INTO capture_tile (site_id, capture_id, tile, y, height, content_type, image)
                                VALUES (:site, :id, :tile, :y, :height, 'image/png', :image)""")
                        .bind("site", site.id()).bind("id", id).bind("tile", (short) i).bind("y", i * tileHeight)
                        .bind("height", Math.min(tileHeight, height - i * tileHeight)).bind("image", tiles.get(i))
                        .execute();
            }
            for (Box b : boxes) {
                h.execute("INSERT INTO capture_element (site_id, capture_id, selector, x, y, width, height, label) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        site.id(), id, b.selector(), b.x(), b.y(), b.width(), b.height(), b.label());
            }
            Layouts.replace(h, site.id(), pageId, device,
                    boxes.stream().map(b -> new Layouts.Box(b.selector(), b.x(), b.y(), b.width(), b.height(), b.label())).toList(),
                    Instant.now());
            return id;
        });
    }

    /** A plain white PNG, as a capture's tile. */
    byte[] capturePng(int width, int height) {
        return drawTile(width, 0, height, List.of());
    }

    private static byte[] drawTile(int width, int top, int height, List<Box> boxes) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        for (int i = 0; i < boxes.size(); i++) {
            Box b = boxes.get(i);
            g.setColor(Color.getHSBColor(i * 0.17f % 1, 0.35f, 0.95f));
            g.fillRect(b.x(), b.y() - top, b.width(), b.height());
        }
        g.dispose();
        return png(image);
    }

    /** An image as PNG bytes. */
    static byte[] png(BufferedImage image) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(image, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record Event(String kind, Instant at, int x, int y, String selector, boolean interactive, boolean rage, Integer dwellMs, Float depth) {}

    /** One page view; {@link #send} stores the events added since the last send as its next batch. */
    final class Visit {
        private final UUID id = UUID.randomUUID();
        private final int siteId;
        private final long pageId;
        private final String device;
        private final int viewportWidth, viewportHeight, documentHeight;
        private final List<Event> events = new ArrayList<>();
        private int seq;
        private StoredTraffic.Visit segment; // null: stored as before segments were recorded

        private Visit(int siteId, long pageId, String device, int viewportWidth, int viewportHeight, int documentHeight) {
            this.siteId = siteId;
            this.pageId = pageId;
            this.device = device;
            this.viewportWidth = viewportWidth;
            this.viewportHeight = viewportHeight;
            this.documentHeight = documentHeight;
        }

        /** Its batches carry these segment values (referrer class, campaign, variant, browser, OS, time zone). */
        Visit from(StoredTraffic.Visit segment) {
            this.segment = segment;
            return this;
        }

        /** A click on an interactive element (or on no element, with a null selector). */
        Visit click(Instant at, int x, int y, String selector) {
            return add(new Event("click", at, x, y, selector, true, false, null, null));
        }

        Visit rageClick(Instant at, int x, int y, String selector) {
            return add(new Event("click", at, x, y, selector, true, true, null, null));
        }

        /** A click on an element that is not interactive. */
        Visit deadClick(Instant at, int x, int y, String selector) {
            return add(new Event("click", at, x, y, selector, false, false, null, null));
        }

        Visit move(Instant at, int x, int y) {
            return add(new Event("move", at, x, y, null, false, false, null, null));
        }

        /** The viewport's bottom edge at y; dwell null for "the deepest point grew". */
        Visit scroll(Instant at, int y, Integer dwellMs) {
            return add(new Event("scroll", at, 0, y, null, false, false, dwellMs, Math.min(1f, (float) y / documentHeight)));
        }

        private Visit add(Event event) {
            events.add(event);
            return this;
        }

        /** Stores the pending events as one batch, received 5 s after the last of them. */
        void send() {
            Instant received = events.stream().map(Event::at).max(Instant::compareTo).orElseThrow().plusSeconds(5);
            int batch = seq++;
            // The document is as wide as the viewport; clicks on an element land in the middle of its box.
            StoredTraffic.storeBatch(db.jdbi(), received, events.stream()
                    .map(e -> new RawEvent(siteId, pageId, id, batch, e.at(), e.kind(), device, e.x(), e.y(), viewportWidth,
                            documentHeight, viewportWidth, viewportHeight, e.selector(), e.selector() != null ? 0.5f : null,
                            e.selector() != null ? 0.5f : null, false, e.interactive(), e.rage(), e.dwellMs(), e.depth()))
                    .toList(), segment);
            events.clear();
        }
    }
}
