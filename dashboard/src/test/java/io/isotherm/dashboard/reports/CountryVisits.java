package io.isotherm.dashboard.reports;

import io.isotherm.aggregator.Aggregator;
import io.isotherm.aggregator.AggregatorSettings;
import io.isotherm.db.Database;
import io.isotherm.db.event.RawEvent;
import io.isotherm.db.event.RawEventPartitions;
import io.isotherm.db.page.PageDao;
import io.isotherm.db.site.Site;
import io.isotherm.db.site.SiteDao;
import io.isotherm.testing.StoredTraffic;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Page views of known reach and clicks from known time zones, stored as the collector stores them (one batch each,
 * with its visit's segment values) and counted by the real aggregator, for the countries report's tests.
 */
final class CountryVisits {
    /** Every page view's document: 5000 px tall, seen through a 1440 × 900 viewport (the first screen is 18 %). */
    static final int DOCUMENT = 5000, VIEWPORT = 900;

    private final Database db;

    /** Creates the raw_event partitions of the 60 days up to {@code today}. */
    CountryVisits(Database db, LocalDate today) {
        this.db = db;
        new RawEventPartitions(db.jdbi(), 0).ensure(today.minusDays(59), 61);
    }

    Site site(String name, String origin) {
        return new SiteDao(db.jdbi()).add(name, List.of(origin), List.of());
    }

    long page(Site site, String url) {
        return new PageDao(db.jdbi()).idFor(site, url);
    }

    /**
     * One page view that scrolled to {@code percent} % of the page (at least 20) and clicked {@code clicks} times.
     *
     * @param visit null: a batch stored before segments were recorded (its country is "not recorded")
     */
    void view(Site site, long page, String device, Instant at, int percent, int clicks, StoredTraffic.Visit visit) {
        if (percent < 20 || percent > 100) throw new IllegalArgumentException("the first screen alone is 18 %");
        UUID id = UUID.randomUUID();
        List<RawEvent> events = new ArrayList<>();
        // The collector's depth fraction is left out: the aggregator then takes y over the document's height, exact.
        events.add(event(site, page, id, device, at, "scroll", percent * DOCUMENT / 100, null, false));
        for (int c = 0; c < clicks; c++) events.add(event(site, page, id, device, at.plusSeconds(1 + c), "click", 400, "#buy", true));
        StoredTraffic.storeBatch(db.jdbi(), at.plusSeconds(clicks + 5), events, visit);
    }

    /**
     * The tests' known page views on two pages: France 3 (reach 40, 60, 100 %; 3 clicks), the US 3 (New York and
     * Chicago; 20, 80, 90 %; 5 clicks), Germany 2 (Firefox; 50, 30 %; 1 click), India 2 (Asia/Calcutta, the old name of
     * Asia/Kolkata; 25, 35 %; 3 clicks), Japan 1 (tablet; 70 %; 2 clicks), 2 of no country (UTC and none sent; 45,
     * 55 %; 1 click) and 1 stored before segments (64 %; 2 clicks), all at {@code at}.
     */
    void knownSet(Site site, long home, long pricing, Instant at) {
        // page, device, time, reach %, clicks, visitor
        view(site, home, "desktop", at, 40, 2, from("Europe/Paris"));
        view(site, home, "desktop", at, 60, 1, from("Europe/Paris"));
        view(site, pricing, "mobile", at, 100, 0, from("Europe/Paris"));
        view(site, home, "desktop", at, 50, 1, from("Europe/Berlin").browser("Firefox", "Linux"));
        view(site, pricing, "desktop", at, 30, 0, from("Europe/Berlin").browser("Firefox", "Linux"));
        view(site, home, "desktop", at, 20, 0, from("America/New_York"));
        view(site, home, "desktop", at, 80, 4, from("America/New_York"));
        view(site, pricing, "desktop", at, 90, 1, from("America/Chicago"));
        view(site, home, "tablet", at, 70, 2, from("Asia/Tokyo"));
        view(site, pricing, "desktop", at, 25, 0, from("Asia/Calcutta")); // the old name of Asia/Kolkata
        view(site, pricing, "desktop", at, 35, 3, from("Asia/Calcutta"));
        view(site, home, "desktop", at, 45, 1, from("UTC"));               // a zone of no country
        view(site, home, "desktop", at, 55, 0, from(null));                // no zone sent
        view(site, home, "desktop", at, 64, 2, null);                      // stored before segments
    }

    /** A visitor of a time zone (null: none sent), arriving directly. */
    static StoredTraffic.Visit from(String timeZone) {
        return StoredTraffic.Visit.DIRECT.timeZone(timeZone);
    }

    void aggregate() {
        new Aggregator(db.jdbi(), AggregatorSettings.defaults()).aggregatePending();
    }

    private static RawEvent event(Site site, long page, UUID id, String device, Instant at, String kind, int y, String selector,
                                  boolean interactive) {
        return new RawEvent(site.id(), page, id, 0, at, kind, device, 200, y, 1440, DOCUMENT, 1440, VIEWPORT, selector,
                selector == null ? null : 0.5f, selector == null ? null : 0.5f, false, interactive, false, null, null);
    }
}
