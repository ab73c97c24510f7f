package io.isotherm.aggregator;

import io.isotherm.db.event.RawEventPartitions;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Drops raw events past the retention window, a whole day partition at a time (no row-by-row DELETE), and only once
 * every batch with events in it has been aggregated: retention never loses an event the aggregates do not hold.
 * Aggregates are kept. Receipts and page view summaries of those days go too: the collector refuses events more
 * than a day old, so no batch of theirs can still arrive.
 */
final class Retention {
    private static final Logger log = LoggerFactory.getLogger(Retention.class);
    private static final DateTimeFormatter PARTITION_DAY = DateTimeFormatter.ofPattern("yyyyMMdd");

    private final Jdbi jdbi;
    private final int retentionDays;

    Retention(Jdbi jdbi, int retentionDays) {
        this.jdbi = jdbi;
        this.retentionDays = retentionDays;
    }

    /** Drops what is past the window as of {@code today} (UTC); returns the partitions dropped. */
    List<String> apply(LocalDate today) {
        LocalDate firstKept = today.minusDays(retentionDays);
        List<String> dropped = new ArrayList<>();
        for (String partition : new RawEventPartitions(jdbi, 0).names()) {
            LocalDate day = dayOf(partition);
            if (day == null || !day.isBefore(firstKept)) continue;
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
        jdbi.useTransaction(h -> {
            h.createUpdate("DELETE FROM ingest_batch WHERE aggregated_at IS NOT NULL AND received_at < :before")
                    .bind("before", firstKept.atStartOfDay().atOffset(ZoneOffset.UTC)).execute();
            h.createUpdate("DELETE FROM pageview_summary WHERE first_seen < :before")
                    .bind("before", firstKept.atStartOfDay().atOffset(ZoneOffset.UTC)).execute();
        });
        if (!dropped.isEmpty()) log.info("dropped raw event partitions past {} days: {}", retentionDays, dropped);
        return dropped;
    }

    private static LocalDate dayOf(String partition) {
        if (!partition.matches("raw_event_\\d{8}")) return null;
        return LocalDate.parse(partition.substring("raw_event_".length()), PARTITION_DAY);
    }
}
