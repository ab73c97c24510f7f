package io.isotherm.aggregator;

import io.isotherm.db.event.RawEventPartitions;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Drops raw events past their site's retention window, and only once their batch has been aggregated: retention never
 * loses an event the aggregates do not hold. Aggregates are kept.
 *
 * <p>A site keeps its raw events for its own {@code retention_days}, or the platform's when it has none. The day
 * partitions are shared by every site, so a whole partition (cheap: no row-by-row DELETE) goes only past the
 * longest window of any site. The events of a site with a shorter window than that are deleted row by row, one
 * statement per distinct window and pass, confined to the days between the two windows (partition pruning keeps
 * the statement off every other day).
 *
 * <p>Receipts follow their site's window too: the collector refuses events more than a day old, so no batch of
 * theirs can still arrive. Page view summaries are aggregates (since V17 the page view's fact row, which the
 * engagement grids, the countries and the segments' scroll maps count): they are kept like the others.
 */
final class Retention {
    private static final Logger log = LoggerFactory.getLogger(Retention.class);
    private static final DateTimeFormatter PARTITION_DAY = DateTimeFormatter.ofPattern("yyyyMMdd");

    private final Jdbi jdbi;
    private final int platformDays;

    Retention(Jdbi jdbi, int platformDays) {
        this.jdbi = jdbi;
        this.platformDays = platformDays;
    }

    /** Drops what is past the windows as of {@code today} (UTC); returns the partitions dropped. */
    List<String> apply(LocalDate today) {
        TreeMap<Integer, List<Integer>> sitesByDays = sitesByRetention();
        int longestDays = sitesByDays.isEmpty() ? platformDays : Math.max(platformDays, sitesByDays.lastKey());
        int shortestDays = sitesByDays.isEmpty() ? platformDays : Math.min(platformDays, sitesByDays.firstKey());
        LocalDate firstKeptDay = today.minusDays(longestDays);

        List<String> dropped = dropPartitionsBefore(firstKeptDay);
        if (!dropped.isEmpty()) log.info("dropped raw event partitions past {} days: {}", longestDays, dropped);

        sitesByDays.forEach((days, sites) -> {
            if (days >= longestDays) return; // their events go with the partitions
            int deleted = deleteEvents(sites, firstKeptDay, today.minusDays(days));
            if (deleted > 0) log.info("deleted {} raw events past {} days of sites {}", deleted, days, sites);
        });

        deleteLedgers(today, shortestDays);
        return dropped;
    }

    /** Every site's id by the days its raw events are kept, shortest first. */
    private TreeMap<Integer, List<Integer>> sitesByRetention() {
        TreeMap<Integer, List<Integer>> sites = new TreeMap<>();
        jdbi.useHandle(h -> h.createQuery("SELECT site_id, coalesce(retention_days, :platform) FROM site ORDER BY site_id")
                .bind("platform", platformDays)
                .map((rs, ctx) -> Map.entry(rs.getInt(2), rs.getInt(1)))
                .forEach(e -> sites.computeIfAbsent(e.getKey(), days -> new ArrayList<>()).add(e.getValue())));
        return sites;
    }

    /** Drops the partitions of the days before {@code firstKeptDay} whose events are all aggregated. */
    private List<String> dropPartitionsBefore(LocalDate firstKeptDay) {
        List<String> dropped = new ArrayList<>();
        for (String partition : new RawEventPartitions(jdbi, 0).names()) {
            LocalDate day = dayOf(partition);
            if (day == null || !day.isBefore(firstKeptDay)) continue;
            boolean done = jdbi.inTransaction(h -> {
                // The same lock the collector takes to create partitions.
                h.execute("SELECT pg_advisory_xact_lock(hashtext('isotherm.raw_event_partitions'))");
                boolean pending = h.createQuery("""
                                SELECT EXISTS (SELECT 1 FROM %s e JOIN ingest_batch b
                                    ON b.site_id = e.site_id AND b.pageview_id = e.pageview_id AND b.seq = e.seq
                                    WHERE b.aggregated_at IS NULL)""".formatted(partition))
                        .mapTo(Boolean.class).one();
                if (pending) return false;
                h.execute("DROP TABLE " + partition);
                return true;
            });
            if (done) {
                dropped.add(partition);
            } else {
                log.warn("raw events of {} are past retention but not all aggregated yet; kept", day);
            }
        }
        return dropped;
    }

    /**
     * Deletes the sites' raw events from {@code from} (the oldest day no partition drop removes) to {@code before},
     * except those of batches not aggregated yet. The test is "no pending receipt" rather than "an aggregated receipt":
     * a receipt may already be gone (a pass cut short after deleting receipts), and its events are aggregated all the
     * same, since a receipt is only ever deleted once aggregated.
     */
    private int deleteEvents(List<Integer> sites, LocalDate from, LocalDate before) {
        return jdbi.withHandle(h -> h.createUpdate("""
                        DELETE FROM raw_event e
                        WHERE e.site_id = ANY(:sites)
                          AND e.occurred_at >= :from AND e.occurred_at < :before
                          AND NOT EXISTS (SELECT 1 FROM ingest_batch b
                                          WHERE b.site_id = e.site_id AND b.pageview_id = e.pageview_id AND b.seq = e.seq
                                            AND b.aggregated_at IS NULL)""")
                .bindArray("sites", Integer.class, sites)
                .bind("from", startOf(from))
                .bind("before", startOf(before))
                .execute());
    }

    /**
     * Aggregated receipts received before their site's window (orphans without a site row: the platform's). A receipt
     * thus lives as long as the events it stands for.
     *
     * @param shortestDays the shortest window of any site: rows newer than its start stay whatever their site, which
     *                     spares the look-up of the site's window for every recent row
     */
    private void deleteLedgers(LocalDate today, int shortestDays) {
        jdbi.useTransaction(h -> {
            h.createUpdate("""
                            DELETE FROM ingest_batch b
                            WHERE b.aggregated_at IS NOT NULL AND b.received_at < :latest
                              AND b.received_at < :today - interval '24 hours'
                                  * coalesce((SELECT s.retention_days FROM site s WHERE s.site_id = b.site_id), :platform)""")
                    .bind("latest", startOf(today.minusDays(shortestDays))).bind("today", startOf(today))
                    .bind("platform", platformDays)
                    .execute();
        });
    }

    private static OffsetDateTime startOf(LocalDate day) {
        return day.atStartOfDay().atOffset(ZoneOffset.UTC);
    }

    private static LocalDate dayOf(String partition) {
        if (!partition.matches("raw_event_\\d{8}")) return null;
        return LocalDate.parse(partition.substring("raw_event_".length()), PARTITION_DAY);
    }
}
