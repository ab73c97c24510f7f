package io.isotherm.collector;

import io.isotherm.db.site.SiteLocks;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The installation check's numbers: what became of each site's batches per UTC minute, outcome and detail, and the
 * newest stored batch of each site. Request threads only touch memory (a lock-free increment, a compare-and-set);
 * {@link #flush()}, every few seconds, adds everything counted since the last flush to {@code ingest_outcome} with
 * one upsert and moves {@code ingest_last_batch} forward with another, in one transaction. Every collector adds
 * its own counts, so any number of them can run against one database and the sums stay exact.
 *
 * <p>A flush that fails (the database is away) keeps its counts and adds them with the next one. The one case this
 * cannot tell apart is a commit that succeeded but whose answer was lost on the way back: those counts are added
 * twice. Counts older than {@link #KEEP} are deleted by {@link #prune()} and no longer written by a late flush.
 */
final class IngestOutcomes {
    private static final Logger log = LoggerFactory.getLogger(IngestOutcomes.class);

    /** The installation check shows the last hour and day; older counts are deleted. */
    static final Duration KEEP = Duration.ofDays(2);
    /** An origin is at most this long in {@code detail}; a longer one is cut. */
    static final int MAX_DETAIL_LENGTH = 200;
    /** Distinct details per site and minute (per collector); further ones are counted under {@link #OTHER}. */
    static final int MAX_DETAILS_PER_MINUTE = 20;
    static final String OTHER = "other";

    /** A counter a flush has taken: incrementers that still hold it put a fresh one in the map instead. */
    private static final long RETIRED = Long.MIN_VALUE;

    /** One row of {@code ingest_outcome}; {@code minute} counts minutes since the epoch (UTC). */
    record Key(int siteId, long minute, IngestOutcome outcome, String detail) {
        /** The order every collector writes rows in, so that concurrent upserts take row locks in the same order. */
        static final Comparator<Key> ORDER = Comparator.comparingInt(Key::siteId).thenComparingLong(Key::minute)
                .thenComparing(k -> k.outcome().label()).thenComparing(Key::detail);
    }

    /** One row of {@code ingest_last_batch}; {@code device} is the device class label ({@code desktop}, …). */
    record LastBatch(Instant receivedAt, String pageUrl, String device) {
        static LastBatch newer(LastBatch a, LastBatch b) {
            if (a == null) return b;
            if (b == null) return a;
            return b.receivedAt.isAfter(a.receivedAt) ? b : a;
        }
    }

    private record SiteMinute(int siteId, long minute) {
    }

    private final Jdbi jdbi;
    private final Clock clock;
    private final Map<Key, AtomicLong> counts = new ConcurrentHashMap<>();
    private final Map<Integer, AtomicReference<LastBatch>> lastBatches = new ConcurrentHashMap<>();
    /** The details already counted per site and minute, to keep their number bounded. */
    private final Map<SiteMinute, Set<String>> details = new ConcurrentHashMap<>();
    /** Taken from the counters but not yet in the database (a flush failed); only touched under this object's lock. */
    private final Map<Key, Long> unflushed = new TreeMap<>(Key.ORDER);
    private final Map<Integer, LastBatch> unflushedLast = new TreeMap<>();

    IngestOutcomes(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    void count(int siteId, IngestOutcome outcome) {
        count(siteId, outcome, "");
    }

    /** Counts one batch of a site; {@code detail} is "" or, for refused origins, the origin. */
    void count(int siteId, IngestOutcome outcome, String detail) {
        long minute = clock.millis() / 60_000;
        Key key = new Key(siteId, minute, outcome, detail.isEmpty() ? "" : bounded(siteId, minute, detail));
        while (true) {
            AtomicLong counter = counts.get(key);
            if (counter == null) {
                counter = counts.computeIfAbsent(key, k -> new AtomicLong());
            }
            if (increment(counter)) {
                return;
            }
            counts.remove(key, counter); // a flush took it: the next round puts a fresh one
        }
    }

    /** A batch the writer committed (or had already): counted, and if it is new, a candidate for the last batch. */
    void stored(AcceptedBatch batch, GroupCommitWriter.Outcome outcome, Instant receivedAt) {
        int siteId = batch.receipt().siteId();
        if (outcome == GroupCommitWriter.Outcome.STORED) {
            count(siteId, IngestOutcome.STORED);
            lastBatches.computeIfAbsent(siteId, k -> new AtomicReference<>())
                    .accumulateAndGet(new LastBatch(receivedAt, batch.pageUrl(), batch.device().sqlName()), LastBatch::newer);
        } else {
            count(siteId, IngestOutcome.DUPLICATE);
        }
    }

    /** A dropped batch of a known site; an unknown site's drop has no site to count it for. */
    void dropped(int siteId, Drop drop) {
        IngestOutcome outcome = IngestOutcome.of(drop.reason());
        if (outcome != null) {
            count(siteId, outcome, drop.detail());
        }
    }

    private static boolean increment(AtomicLong counter) {
        long n;
        do {
            n = counter.get();
            if (n == RETIRED) {
                return false;
            }
        } while (!counter.compareAndSet(n, n + 1));
        return true;
    }

    /**
     * The detail as stored: without control characters, at most {@link #MAX_DETAIL_LENGTH} characters, and one of
     * the first {@link #MAX_DETAILS_PER_MINUTE} of its site and minute, or else {@link #OTHER}. Only refusals with
     * a detail get here, so the lock below is off the path of stored batches.
     */
    private String bounded(int siteId, long minute, String detail) {
        String clean = clean(detail);
        Set<String> seen = details.computeIfAbsent(new SiteMinute(siteId, minute), k -> ConcurrentHashMap.newKeySet());
        if (seen.contains(clean)) {
            return clean;
        }
        synchronized (seen) {
            if (seen.size() < MAX_DETAILS_PER_MINUTE) {
                seen.add(clean);
                return clean;
            }
        }
        return OTHER;
    }

    static String clean(String detail) {
        int end = Math.min(detail.length(), MAX_DETAIL_LENGTH);
        if (end < detail.length() && Character.isHighSurrogate(detail.charAt(end - 1))) {
            end--; // do not cut a character in half
        }
        var clean = new StringBuilder(end);
        for (int i = 0; i < end; i++) {
            char c = detail.charAt(i);
            clean.append(c < 0x20 || c == 0x7f ? '?' : c); // PostgreSQL text takes no NUL; logs and the dashboard no controls
        }
        return clean.toString();
    }

    /**
     * Adds what was counted since the last successful flush to the database. Returns false when that failed; the
     * counts are then kept for the next flush. Never throws: it runs on a schedule.
     */
    synchronized boolean flush() {
        takeCounts();
        long now = clock.millis() / 60_000;
        details.keySet().removeIf(k -> k.minute < now - 1);
        int expired = dropExpired(now);
        if (expired > 0) {
            log.warn("dropped {} ingest outcome counts older than {} days that could not be stored", expired, KEEP.toDays());
        }
        if (unflushed.isEmpty() && unflushedLast.isEmpty()) {
            return true;
        }
        try {
            jdbi.useTransaction(h -> {
                // The sites' locks first: a concurrent site remove waits and deletes these rows too, or has
                // finished and the rows of its site are left out.
                SiteLocks.share(h, sitesToWrite());
                writeCounts(h);
                writeLastBatches(h);
            });
        } catch (RuntimeException e) {
            log.warn("could not store {} ingest outcome rows, keeping them for the next flush: {}",
                    unflushed.size() + unflushedLast.size(), Causes.rootMessage(e));
            return false;
        }
        unflushed.clear();
        unflushedLast.clear();
        return true;
    }

    /** Deletes counts older than {@link #KEEP}. Idempotent, so every collector may do it now and then. */
    int prune() {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM ingest_outcome WHERE minute < now() - :keepSeconds * interval '1 second'")
                .bind("keepSeconds", KEEP.toSeconds())
                .execute());
    }

    /** Moves every counter's value into {@link #unflushed}, retiring the counter so no increment is lost or counted twice. */
    private void takeCounts() {
        for (var entry : counts.entrySet()) {
            AtomicLong counter = entry.getValue();
            long n = counter.getAndSet(RETIRED);
            counts.remove(entry.getKey(), counter);
            if (n > 0) {
                unflushed.merge(entry.getKey(), n, Long::sum);
            }
        }
        for (var entry : lastBatches.entrySet()) {
            LastBatch last = entry.getValue().getAndSet(null);
            if (last != null) {
                unflushedLast.merge(entry.getKey(), last, LastBatch::newer);
            }
        }
    }

    private Set<Integer> sitesToWrite() {
        Set<Integer> sites = new TreeSet<>(unflushedLast.keySet());
        unflushed.keySet().forEach(k -> sites.add(k.siteId()));
        return sites;
    }

    private int dropExpired(long nowMinute) {
        long oldest = nowMinute - KEEP.toMinutes();
        int before = unflushed.size();
        unflushed.keySet().removeIf(k -> k.minute < oldest); // the last batches stay: one per site, however old
        return before - unflushed.size();
    }

    /**
     * One upsert for all counts, in {@link Key#ORDER}. Rows of sites removed meanwhile are left out: their sites'
     * locks are held ({@link SiteLocks}), so a concurrent {@code site remove} either waits and deletes these rows
     * too, or has finished and leaves nothing to count for.
     */
    private void writeCounts(Handle h) {
        int n = unflushed.size();
        if (n == 0) {
            return;
        }
        Integer[] sites = new Integer[n];
        Long[] minutes = new Long[n];
        String[] outcomes = new String[n];
        String[] detailValues = new String[n];
        Long[] batches = new Long[n];
        int i = 0;
        for (var entry : unflushed.entrySet()) {
            Key key = entry.getKey();
            sites[i] = key.siteId();
            minutes[i] = key.minute();
            outcomes[i] = key.outcome().label();
            detailValues[i] = key.detail();
            batches[i] = entry.getValue();
            i++;
        }
        h.createUpdate("""
                        INSERT INTO ingest_outcome (site_id, minute, outcome, detail, batches)
                        SELECT u.site_id, to_timestamp(u.minute * 60), u.outcome, u.detail, u.batches
                        FROM unnest(:sites, :minutes, :outcomes, :details, :batches)
                             WITH ORDINALITY AS u(site_id, minute, outcome, detail, batches, i)
                        WHERE u.site_id IN (SELECT site_id FROM site WHERE site_id = ANY(:sites))
                        ORDER BY u.i
                        ON CONFLICT (site_id, minute, outcome, detail) DO UPDATE SET batches = ingest_outcome.batches + excluded.batches""")
                .bind("sites", sites)
                .bind("minutes", minutes)
                .bind("outcomes", outcomes)
                .bind("details", detailValues)
                .bind("batches", batches)
                .execute();
    }

    /** Moves each site's last batch forward, never back: another collector may have stored a newer one. */
    private void writeLastBatches(Handle h) {
        int n = unflushedLast.size();
        if (n == 0) {
            return;
        }
        Integer[] sites = new Integer[n];
        Long[] micros = new Long[n];
        String[] urls = new String[n];
        String[] devices = new String[n];
        int i = 0;
        for (var entry : unflushedLast.entrySet()) { // a TreeMap: by site id, the same lock order in every collector
            LastBatch last = entry.getValue();
            sites[i] = entry.getKey();
            micros[i] = ChronoUnit.MICROS.between(Instant.EPOCH, last.receivedAt());
            urls[i] = last.pageUrl();
            devices[i] = last.device();
            i++;
        }
        h.createUpdate("""
                        INSERT INTO ingest_last_batch (site_id, received_at, page_url, device)
                        SELECT u.site_id, timestamptz 'epoch' + u.micros * interval '1 microsecond', u.page_url, u.device
                        FROM unnest(:sites, :micros, :urls, :devices) AS u(site_id, micros, page_url, device)
                        WHERE u.site_id IN (SELECT site_id FROM site WHERE site_id = ANY(:sites))
                        ORDER BY u.site_id
                        ON CONFLICT (site_id) DO UPDATE
                        SET received_at = excluded.received_at, page_url = excluded.page_url, device = excluded.device
                        WHERE excluded.received_at > ingest_last_batch.received_at""")
                .bind("sites", sites)
                .bind("micros", micros)
                .bind("urls", urls)
                .bind("devices", devices)
                .execute();
    }
}
