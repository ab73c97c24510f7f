package io.isotherm.grid;

import org.jdbi.v3.core.Handle;

import java.util.Collection;

/**
 * A site's aggregate version ({@code site_aggregate_version}): raised by every aggregation transaction that adds to
 * the site's counts, in that same transaction. Reads made in one snapshot carry it; two answers with the same version
 * were computed from the same counts.
 */
public final class AggregateVersion {
    private AggregateVersion() {
    }

    /**
     * Raises the version of each site, in ascending site order so that concurrent aggregators queue on the rows
     * instead of deadlocking. Meant as the last statement of the aggregation transaction: the rows stay locked only
     * until its commit. The sites must exist and be held by the transaction ({@code SiteLocks}), as the aggregator's
     * are, so that none is removed meanwhile.
     */
    public static void bump(Handle handle, Collection<Integer> siteIds) {
        // One statement per site: under Citus each runs on the site's shard alone.
        siteIds.stream().distinct().sorted().forEach(site -> handle.createUpdate("""
                        INSERT INTO site_aggregate_version (site_id, version) VALUES (:site, 1)
                        ON CONFLICT (site_id) DO UPDATE SET version = site_aggregate_version.version + 1""")
                .bind("site", site)
                .execute());
    }

    /** The site's version as the handle's snapshot sees it; 0 before its first aggregation. */
    public static long of(Handle handle, int siteId) {
        return handle.createQuery("SELECT version FROM site_aggregate_version WHERE site_id = :site")
                .bind("site", siteId)
                .mapTo(Long.class)
                .findOne()
                .orElse(0L);
    }
}
