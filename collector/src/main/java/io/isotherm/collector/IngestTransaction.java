package io.isotherm.collector;

import io.isotherm.db.site.SiteLocks;
import org.jdbi.v3.core.Handle;
import org.postgresql.PGConnection;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The statements of one group commit, run on a handle inside a transaction. Public so that the bench's COPY
 * ceiling runs exactly these, not a copy of them.
 *
 * <p>Receipts first: a receipt that already exists marks a redelivery, whose events are not copied again. The
 * sites' locks are taken first ({@link SiteLocks}) so that a concurrent {@code site remove} waits for this commit
 * and then deletes these rows too, or runs first and leaves nothing to attach them to.
 */
public final class IngestTransaction {
    /** The receipts this transaction inserted, and which of the group's sites still existed while it ran. */
    public record Result(Set<BatchReceipt.Key> stored, Set<Integer> liveSites) {
    }

    private IngestTransaction() {
    }

    public static Result store(Handle h, List<EncodedBatch> group) throws SQLException {
        Integer[] siteIds = group.stream().map(b -> b.receipt().siteId()).distinct().toArray(Integer[]::new);
        SiteLocks.share(h, Arrays.asList(siteIds));
        Set<Integer> liveSites = new HashSet<>(h.createQuery("SELECT site_id FROM site WHERE site_id = ANY(:ids)")
                .bind("ids", siteIds)
                .mapTo(Integer.class)
                .list());
        List<EncodedBatch> batches = group.stream()
                .filter(b -> liveSites.contains(b.receipt().siteId()))
                .sorted(Comparator.comparing(b -> b.receipt().key())) // one lock order for all writers: no deadlocks
                .toList();
        Set<BatchReceipt.Key> stored = insertReceipts(h, batches.stream().map(EncodedBatch::receipt).toList());
        var rows = new ByteArrayOutputStream(64 * 1024);
        Set<BatchReceipt.Key> copied = new HashSet<>();
        for (EncodedBatch b : batches) {
            BatchReceipt.Key key = b.receipt().key();
            if (stored.contains(key) && copied.add(key)) { // the same batch twice in one group: once
                rows.writeBytes(b.rows());
            }
        }
        if (rows.size() > 0) {
            try {
                h.getConnection().unwrap(PGConnection.class).getCopyAPI()
                        .copyIn(EventCopyEncoder.COPY_SQL, new ByteArrayInputStream(rows.toByteArray()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new Result(stored, liveSites);
    }

    /** Inserts the receipts in one statement; answers the keys of those that were new. */
    private static Set<BatchReceipt.Key> insertReceipts(Handle h, List<BatchReceipt> receipts) {
        int n = receipts.size();
        Integer[] sites = new Integer[n];
        UUID[] pageviews = new UUID[n];
        Integer[] seqs = new Integer[n];
        Long[] pages = new Long[n];
        Integer[] counts = new Integer[n];
        Float[] pixelRatios = new Float[n];
        String[] timeZones = new String[n];
        String[][] visits = new String[7][n]; // referrer, utm_source, utm_medium, utm_campaign, variant, browser, os
        String[] firstEvents = new String[n], lastEvents = new String[n]; // as EventCopyEncoder writes the rows' times
        for (int i = 0; i < n; i++) {
            BatchReceipt r = receipts.get(i);
            sites[i] = r.siteId();
            pageviews[i] = r.pageviewId();
            seqs[i] = r.seq();
            pages[i] = r.pageId();
            counts[i] = r.eventCount();
            pixelRatios[i] = r.devicePixelRatio();
            timeZones[i] = r.timeZone();
            firstEvents[i] = timestamp(r.firstEventAt());
            lastEvents[i] = timestamp(r.lastEventAt());
            Visit v = r.visit();
            visits[0][i] = v.referrer();
            visits[1][i] = v.utmSource();
            visits[2][i] = v.utmMedium();
            visits[3][i] = v.utmCampaign();
            visits[4][i] = v.variant();
            visits[5][i] = v.browser();
            visits[6][i] = v.os();
        }
        return new HashSet<>(h.createQuery("""
                        INSERT INTO ingest_batch (site_id, pageview_id, seq, page_id, event_count, device_pixel_ratio, time_zone,
                            referrer, utm_source, utm_medium, utm_campaign, variant, browser, os, first_event_at, last_event_at)
                        SELECT * FROM unnest(:sites, :pageviews, :seqs, :pages, :counts, :pixelRatios, :timeZones,
                            :referrers, :utmSources, :utmMediums, :utmCampaigns, :variants, :browsers, :oses,
                            CAST(:firstEvents AS timestamptz[]), CAST(:lastEvents AS timestamptz[]))
                        ON CONFLICT DO NOTHING
                        RETURNING site_id, pageview_id, seq""")
                .bind("sites", sites)
                .bind("pageviews", pageviews)
                .bind("seqs", seqs)
                .bind("pages", pages)
                .bind("counts", counts)
                .bind("pixelRatios", pixelRatios)
                .bind("timeZones", timeZones)
                .bind("referrers", visits[0])
                .bind("utmSources", visits[1])
                .bind("utmMediums", visits[2])
                .bind("utmCampaigns", visits[3])
                .bind("variants", visits[4])
                .bind("browsers", visits[5])
                .bind("oses", visits[6])
                .bind("firstEvents", firstEvents)
                .bind("lastEvents", lastEvents)
                .map((rs, ctx) -> new BatchReceipt.Key(rs.getInt(1), rs.getObject(2, UUID.class), rs.getInt(3)))
                .list());
    }

    private static String timestamp(Instant t) {
        if (t == null) return null;
        StringBuilder text = new StringBuilder(32);
        EventCopyEncoder.timestamp(text, t);
        return text.toString();
    }
}
