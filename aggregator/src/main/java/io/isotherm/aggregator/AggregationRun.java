package io.isotherm.aggregator;

import io.isotherm.db.Columns;
import io.isotherm.db.event.RawEvent;
import io.isotherm.db.site.SiteLocks;
import io.isotherm.grid.AggregateVersion;
import io.isotherm.grid.BlockMarks;
import io.isotherm.grid.ViewStore;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * One transaction of aggregation: claim pending batches, add their events to the aggregates, mark them done.
 *
 * <p>Exactly once comes from the transaction and the claim. ingest_batch.aggregated_at is the ledger: a batch is
 * counted in the same transaction that marks it, so a crash leaves both undone and the batch is claimed again.
 * Batches are claimed {@code FOR UPDATE SKIP LOCKED}, site by site: a concurrent aggregator skips the batches this
 * one holds and takes others, and a batch committed late (its id or time older than ones already done) is still
 * found, because the claim asks for unmarked batches, not for batches past a watermark.
 *
 * <p>The same transaction marks the stored views whose numbers it changes and raises the sites' aggregate versions,
 * so a reader's snapshot sees the new counts, the marks and the new version together or none of them.
 */
final class AggregationRun {
    /** The collector refuses events more than 24 h older than their batch's arrival. */
    private static final long MAX_EVENT_AGE_HOURS = 24;

    record Result(int batches, int events) {
        static final Result NONE = new Result(0, 0);
    }

    /**
     * A claim's events are read first as a range of occurred_at, through the BRIN index on it (V13), from at most this
     * long before the claim's earliest arrival: that holds nearly all of them (the tracker sends every few seconds).
     * A batch with older events gets those by key.
     */
    private static final long RECENT_MINUTES = 10;

    /** A batch stored before V23 recorded its events' times: its events are taken to end this long after its arrival. */
    private static final long UNRECORDED_AFTER_SECONDS = 60;

    /**
     * A claimed batch; {@code segment}: its values, null for a batch stored before segments were recorded;
     * {@code firstEventAt}, {@code lastEventAt}: when its events happened (V23), null for one stored before.
     */
    record Claimed(int siteId, UUID pageviewId, int seq, Instant receivedAt, int eventCount, Segments.Values segment,
                   Instant firstEventAt, Instant lastEventAt) {}

    /**
     * The range of occurred_at a site's claimed batches' events are read from first, both ends included: from the
     * earliest of their first events, but no earlier than {@link #RECENT_MINUTES} before their earliest arrival, to
     * the latest of their last events. Batches stored before V23 count from RECENT_MINUTES before their arrival to
     * {@link #UNRECORDED_AFTER_SECONDS} after it.
     */
    record EventWindow(Instant from, Instant to) {
        static EventWindow of(List<Claimed> batches) {
            Instant earliestArrival = batches.stream().map(Claimed::receivedAt).min(Instant::compareTo).orElseThrow();
            Instant recent = earliestArrival.minusSeconds(RECENT_MINUTES * 60);
            Instant first = batches.stream().map(b -> b.firstEventAt() != null ? b.firstEventAt() : recent)
                    .min(Instant::compareTo).orElseThrow();
            Instant last = batches.stream()
                    .map(b -> b.lastEventAt() != null ? b.lastEventAt() : b.receivedAt().plusSeconds(UNRECORDED_AFTER_SECONDS))
                    .max(Instant::compareTo).orElseThrow();
            return new EventWindow(first.isBefore(recent) ? recent : first, last);
        }

        /** The rows of {@code site}'s page views {@code pageviews} (a uuid[] literal) in this window. */
        String select(int site, String pageviews) {
            // The keys are ours (integers and UUIDs), so they can be written into the statement, which COPY needs (it
            // takes no parameters).
            return """
                    SELECT %s FROM raw_event
                    WHERE site_id = %d AND occurred_at >= '%s' AND occurred_at <= '%s' AND pageview_id = ANY('%s'::uuid[])"""
                    .formatted(RawEvent.columnList(), site, from, to, pageviews);
        }
    }

    /** Receives an event and the id of its batch's segment. */
    private interface EventSink {
        void accept(RawEvent event, int segment);
    }

    private final Jdbi jdbi;
    private final AggregatorSettings settings;
    private final TallyWriter writer;

    AggregationRun(Jdbi jdbi, AggregatorSettings settings) {
        this.jdbi = jdbi;
        this.settings = settings;
        this.writer = new TallyWriter(settings);
    }

    Result runOnce() {
        return jdbi.inTransaction(this::run);
    }

    private Result run(Handle handle) {
        List<Claimed> claimed = claim(handle);
        if (claimed.isEmpty()) return Result.NONE;

        Columns keys = new Columns("site", Integer.class, "pageview", UUID.class, "seq", Integer.class);
        claimed.forEach(b -> keys.add(b.siteId(), b.pageviewId(), b.seq()));
        Map<Integer, ZoneId> zones = zones(handle, claimed.stream().map(Claimed::siteId).distinct().sorted().toList());

        Tally tally = new Tally(settings);
        // Per site (one shard under Citus): its claimed batches' events, COPYed.
        claimed.stream().collect(Collectors.groupingBy(Claimed::siteId, TreeMap::new, Collectors.toList())).forEach((site, batches) -> {
            ZoneId zone = zones.get(site);
            if (zone == null) return; // a removed site's events count for nobody
            Map<Segments.Values, Integer> segments = Segments.ids(handle, site,
                    batches.stream().map(Claimed::segment).filter(java.util.Objects::nonNull).toList());
            read(handle, site, batches, segments, (e, segment) -> tally.add(e, zone, segment));
        });

        PageviewMerge merge = new PageviewMerge(settings.grid().bucketPx());
        merge.merge(handle, tally);
        writer.write(handle, tally, merge);
        ViewStore.markDirty(handle, changedViews(tally));
        BlockMarks.mark(handle, changedDays(tally));
        keys.bind(handle.createUpdate("""
                        UPDATE ingest_batch i SET aggregated_at = now()
                        FROM unnest(:site, :pageview, :seq) AS b(site, pageview, seq)
                        WHERE i.site_id = b.site AND i.pageview_id = b.pageview AND i.seq = b.seq"""))
                .execute();
        // Last: the version rows stay locked from here to the commit only. The sites of zones exist and are locked.
        AggregateVersion.bump(handle, zones.keySet());
        return new Result(claimed.size(), tally.events());
    }

    /**
     * Reads the batches' events in two steps. First their {@link EventWindow}: a range of occurred_at that holds about
     * only these batches' rows, read in the order they were stored and filtered by page view in PostgreSQL (a hashed
     * list), by batch here. Then, for the few batches that did not get all their events that way (events may be up to
     * 24 h older than their batch, which the collector checks), their older events by key. The two steps' time ranges
     * do not overlap, so every event is read once.
     */
    private static void read(Handle handle, int site, List<Claimed> batches, Map<Segments.Values, Integer> segments, EventSink sink) {
        Instant earliest = batches.stream().map(Claimed::receivedAt).min(Instant::compareTo).orElseThrow();
        EventWindow window = EventWindow.of(batches);
        Map<BatchKey, int[]> seen = new HashMap<>(); // {events read, segment id}
        batches.forEach(b -> seen.put(new BatchKey(b.pageviewId(), b.seq()),
                new int[] {0, b.segment() == null ? Segments.NONE : segments.get(b.segment())}));
        String pageviews = batches.stream().map(b -> b.pageviewId().toString()).distinct().collect(Collectors.joining(",", "{", "}"));
        RawEventStream.read(handle, window.select(site, pageviews), e -> {
            int[] count = seen.get(new BatchKey(e.pageviewId(), e.seq()));
            if (count == null) return; // another batch of a claimed page view: not ours (yet)
            count[0]++;
            sink.accept(e, count[1]);
        });
        List<Claimed> incomplete = batches.stream().filter(b -> seen.get(new BatchKey(b.pageviewId(), b.seq()))[0] < b.eventCount()).toList();
        if (incomplete.isEmpty()) return;
        String keyPageviews = incomplete.stream().map(b -> b.pageviewId().toString()).collect(Collectors.joining(",", "{", "}"));
        String keySeqs = incomplete.stream().map(b -> Integer.toString(b.seq())).collect(Collectors.joining(",", "{", "}"));
        RawEventStream.read(handle, """
                SELECT %s FROM raw_event e
                JOIN unnest('%s'::uuid[], '%s'::integer[]) AS b(pageview, seq) ON e.pageview_id = b.pageview AND e.seq = b.seq
                WHERE e.site_id = %d AND e.occurred_at >= '%s' AND e.occurred_at < '%s'"""
                .formatted(RawEvent.columnList("e"), keyPageviews, keySeqs, site, earliest.minusSeconds(MAX_EVENT_AGE_HOURS * 3600 + 60), window.from()),
                e -> sink.accept(e, seen.get(new BatchKey(e.pageviewId(), e.seq()))[1]));
    }

    private record BatchKey(UUID pageviewId, int seq) {}

    /**
     * The stored views whose numbers this run changes: those of its cells, and both kinds of every page × device whose
     * page views or document size it changes (a page view without a click or move changes the view's page views).
     */
    private static List<ViewStore.ViewKey> changedViews(Tally tally) {
        List<ViewStore.ViewKey> views = new ArrayList<>();
        // Stored views are of every segment together: the rows of segment NONE hold every event.
        tally.tiles.keySet().stream().filter(t -> t.segment() == Segments.NONE)
                .forEach(t -> views.add(new ViewStore.ViewKey(t.siteId(), t.pageId(), t.device(), t.kind())));
        tally.targets.keySet().forEach(t -> views.add(new ViewStore.ViewKey(t.siteId(), t.pageId(), t.device(), "click")));
        tally.pageDays.keySet().forEach(d -> {
            for (String kind : List.of("click", "move")) views.add(new ViewStore.ViewKey(d.siteId(), d.pageId(), d.device(), kind));
        });
        return views;
    }

    /** The days whose count grids this run adds parts to: the refresh adds them to the rows that hold the day. */
    private static List<BlockMarks.Day> changedDays(Tally tally) {
        List<BlockMarks.Day> days = new ArrayList<>();
        tally.tiles.keySet().forEach(t -> days.add(new BlockMarks.Day(t.siteId(), t.pageId(), t.device(), t.kind(), t.day(), t.segment())));
        tally.targets.keySet().forEach(t -> days.add(new BlockMarks.Day(t.siteId(), t.pageId(), t.device(), "click", t.day(), Segments.NONE)));
        tally.segmentTargets.keySet().forEach(d -> days.add(new BlockMarks.Day(d.siteId(), d.pageId(), d.device(), "click", d.day(), d.segment())));
        return days;
    }

    /**
     * The sites of the oldest {@code :limit} pending batches, and how many each has among them. It reads those batches
     * alone, in arrival order (ingest_batch_pending_oldest, V22), so a run's claim does not grow with the backlog.
     */
    static final String OLDEST_PENDING_SITES = """
            SELECT site_id, count(*) FROM (
                SELECT site_id FROM ingest_batch WHERE aggregated_at IS NULL ORDER BY received_at LIMIT :limit) oldest
            GROUP BY site_id""";

    /**
     * Claims the oldest pending batches, site by site: the sites of the oldest {@code batchesPerRun} batches and how
     * many each has among them, then that many of each site's oldest, {@code FOR UPDATE SKIP LOCKED}. A lock is
     * taken with an equality on {@code site_id}, so that under Citus each claim runs on one shard. The sites'
     * locks come first ({@link SiteLocks}): a concurrent {@code site remove} waits for this run and then deletes its
     * aggregates too, instead of leaving orphans.
     */
    private List<Claimed> claim(Handle handle) {
        Map<Integer, Integer> perSite = new TreeMap<>();
        handle.createQuery(OLDEST_PENDING_SITES)
                .bind("limit", settings.batchesPerRun())
                .map((rs, ctx) -> Map.entry(rs.getInt(1), rs.getInt(2)))
                .forEach(e -> perSite.put(e.getKey(), e.getValue()));
        if (perSite.isEmpty()) return List.of();
        SiteLocks.share(handle, perSite.keySet());
        List<Claimed> claimed = new ArrayList<>();
        perSite.forEach((site, limit) -> claimed.addAll(handle.createQuery("""
                        SELECT site_id, pageview_id, seq, received_at, event_count,
                               referrer, utm_source, utm_medium, utm_campaign, variant, browser, os, time_zone,
                               first_event_at, last_event_at
                        FROM ingest_batch
                        WHERE site_id = :site AND aggregated_at IS NULL
                        ORDER BY received_at
                        LIMIT :limit
                        FOR UPDATE SKIP LOCKED""")
                .bind("site", site)
                .bind("limit", limit)
                .map((rs, ctx) -> new Claimed(rs.getInt(1), rs.getObject(2, UUID.class), rs.getInt(3),
                        rs.getObject(4, OffsetDateTime.class).toInstant(), rs.getInt(5),
                        Segments.Values.of(rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9),
                                rs.getString(10), rs.getString(11), rs.getString(12), rs.getString(13)),
                        instant(rs.getObject(14, OffsetDateTime.class)), instant(rs.getObject(15, OffsetDateTime.class))))
                .list()));
        return claimed;
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }

    /** The claimed batches' sites that still exist (their locks are held), and their time zones. */
    private static Map<Integer, ZoneId> zones(Handle handle, List<Integer> siteIds) {
        Map<Integer, ZoneId> zones = new HashMap<>();
        handle.createQuery("SELECT site_id, time_zone FROM site WHERE site_id = ANY(:ids)")
                .bindArray("ids", Integer.class, siteIds)
                .map((rs, ctx) -> Map.entry(rs.getInt(1), rs.getString(2)))
                .forEach(e -> zones.put(e.getKey(), zoneOf(e.getValue())));
        return zones;
    }

    private static ZoneId zoneOf(String name) {
        try {
            return ZoneId.of(name);
        } catch (RuntimeException e) {
            return ZoneOffset.UTC;
        }
    }
}
