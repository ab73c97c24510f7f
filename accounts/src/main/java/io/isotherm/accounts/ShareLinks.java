package io.isotherm.accounts;

import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * Read-only links to one view of a site's page ({@code share_link}), for people without an account: made by an owner,
 * shown once, stored as a hash, optionally expiring, revocable. What a view may hold is checked by the caller (the
 * dashboard knows pages, device classes and ranges); this class keeps the links.
 */
public final class ShareLinks {
    /** Links start with this, so a leaked one is easy to recognise. */
    public static final String PREFIX = "isos_";

    /**
     * What a link shows: a page, a map, a device class, a range (a {@code preset} such as "30d" that moves with the
     * days, or fixed {@code from} and {@code to}), a palette and a smoothing radius (null for the default).
     */
    public record View(long pageId, String map, String device, String preset, LocalDate from, LocalDate to, String palette,
                       Double sigma) {}

    /**
     * A link as its site's owners see it; {@code expiresAt} null for never; {@code live} while neither revoked nor
     * expired (by the database's clock, which decides whether a link opens).
     */
    public record Link(long id, int siteId, View view, Long createdBy, Instant createdAt, Instant expiresAt, Instant revokedAt,
                       boolean live) {}

    /** A link just made, with its secret (shown once, never stored). */
    public record Created(String secret, Link link) {}

    private static final RowMapper<Link> MAPPER = (rs, ctx) -> new Link(rs.getLong("share_id"), rs.getInt("site_id"),
            new View(rs.getLong("page_id"), rs.getString("map"), rs.getString("device"), rs.getString("preset"),
                    day(rs.getDate("from_day")), day(rs.getDate("to_day")), rs.getString("palette"), (Double) rs.getObject("sigma")),
            (Long) rs.getObject("created_by"), rs.getTimestamp("created_at").toInstant(), instant(rs.getTimestamp("expires_at")),
            instant(rs.getTimestamp("revoked_at")), rs.getBoolean("live"));
    private static final String LIVE = "(revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())) AS live";

    private final Jdbi jdbi;

    public ShareLinks(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** @param validFor null for a link that lasts until revoked */
    public Created create(int siteId, View view, Duration validFor, Long createdBy) {
        String secret = Secrets.generate(PREFIX);
        Link link = jdbi.withHandle(h -> h.createQuery("""
                        INSERT INTO share_link (site_id, token_hash, page_id, map, device, preset, from_day, to_day, palette, sigma,
                                                created_by, expires_at)
                        VALUES (:site, :hash, :page, :map, :device, :preset, :from, :to, :palette, :sigma, :by,
                                now() + :ttl::bigint * interval '1 second')
                        RETURNING *, true AS live""")
                .bind("site", siteId).bind("hash", Secrets.hash(secret)).bind("page", view.pageId()).bind("map", view.map())
                .bind("device", view.device()).bind("preset", view.preset()).bind("from", view.from()).bind("to", view.to())
                .bind("palette", view.palette()).bind("sigma", view.sigma()).bind("by", createdBy)
                .bind("ttl", validFor == null ? null : validFor.toSeconds())
                .map(MAPPER).one());
        return new Created(secret, link);
    }

    /** The link of a secret while it is neither revoked nor expired; empty for anything else. */
    public Optional<Link> resolve(String secret) {
        if (secret == null || !secret.startsWith(PREFIX) || secret.length() > 100) return Optional.empty();
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT *, true AS live FROM share_link
                        WHERE token_hash = :hash AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())""")
                .bind("hash", Secrets.hash(secret)).map(MAPPER).findOne());
    }

    /** A site's links, revoked and expired ones included (the list says which), newest first. */
    public List<Link> list(int siteId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT *, " + LIVE + " FROM share_link WHERE site_id = :site ORDER BY created_at DESC, share_id DESC")
                .bind("site", siteId).map(MAPPER).list());
    }

    /** Revokes a live link of a site; false when the site has no such link or it was revoked already. */
    public boolean revoke(int siteId, long shareId) {
        return jdbi.withHandle(h -> h.createUpdate("""
                        UPDATE share_link SET revoked_at = now() WHERE share_id = :id AND site_id = :site AND revoked_at IS NULL""")
                .bind("id", shareId).bind("site", siteId).execute() == 1);
    }

    private static LocalDate day(java.sql.Date date) {
        return date == null ? null : date.toLocalDate();
    }

    private static Instant instant(java.sql.Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
