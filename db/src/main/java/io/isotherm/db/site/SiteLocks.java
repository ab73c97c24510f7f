package io.isotherm.db.site;

import org.jdbi.v3.core.Handle;

import java.util.Collection;

/**
 * Keeps a site's rows from outliving the site. A transaction that writes rows of some sites first takes their
 * locks shared (before any row lock), then reads which of them still exist and writes only theirs;
 * {@code site remove} takes its site's lock exclusively before it deletes. So a removal either waits for the
 * writers in flight and deletes their rows too, or commits first and the writers then find the site gone.
 *
 * <p>Transaction-level advisory locks rather than {@code FOR KEY SHARE} on the site rows: under Citus {@code site}
 * is a reference table, copied to every node, and row locks taken on it by concurrent writers deadlock between
 * the copies. Advisory locks live on the node the application talks to (the coordinator), for every writer alike.
 */
public final class SiteLocks {
    private SiteLocks() {
    }

    /** Takes the sites' locks shared, in site order, so that writers never wait on each other here. */
    public static void share(Handle h, Collection<Integer> siteIds) {
        Integer[] ids = siteIds.stream().distinct().sorted().toArray(Integer[]::new);
        if (ids.length == 0) return;
        // unnest yields the array in order: the locks are taken in site order.
        h.createQuery("SELECT pg_advisory_xact_lock_shared(hashtext('isotherm.site'), id) FROM unnest(:ids) AS s(id)")
                .bind("ids", ids)
                .mapToMap()
                .list();
    }

    /** Takes the site's lock exclusively: waits for every transaction writing its rows, and holds off new ones. */
    public static void exclusive(Handle h, int siteId) {
        h.createQuery("SELECT pg_advisory_xact_lock(hashtext('isotherm.site'), :id)")
                .bind("id", siteId)
                .mapToMap()
                .list();
    }
}
