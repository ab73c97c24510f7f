package io.isotherm.accounts;

import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Named API tokens of a user ({@code api_token}): shown once, stored as a hash, optionally limited to one site and to
 * reading, revocable, with the time of last use. A token acts for its user, never beyond what the user may do.
 */
public final class ApiTokens {
    /** What a token says about itself; {@code siteId} null for every site of its user. */
    public record Token(long id, long userId, Integer siteId, String name, boolean readOnly, Instant createdAt,
                        Instant lastUsedAt, Instant revokedAt) {}

    /** A token just made, with its secret (shown once, never stored). */
    public record Created(String secret, Token token) {}

    /** Tokens start with this, so a leaked one is easy to recognise (and to scan for). */
    public static final String PREFIX = "isot_";
    private static final RowMapper<Token> MAPPER = (rs, ctx) -> new Token(rs.getLong("token_id"), rs.getLong("user_id"),
            (Integer) rs.getObject("site_id"), rs.getString("name"), rs.getString("scope").equals("read"),
            rs.getTimestamp("created_at").toInstant(), instant(rs.getTimestamp("last_used_at")), instant(rs.getTimestamp("revoked_at")));

    private final Jdbi jdbi;

    public ApiTokens(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public Created create(long userId, String name, Integer siteId, boolean readOnly) {
        if (name == null || name.isBlank()) throw AccountError.invalid("name", "name is required: what the token is for");
        if (name.trim().length() > 100) throw AccountError.invalid("name", "name is longer than 100 characters");
        String secret = Secrets.generate(PREFIX);
        Token token = jdbi.withHandle(h -> h.createQuery("""
                        INSERT INTO api_token (user_id, site_id, name, scope, token_hash)
                        VALUES (:user, :site, :name, :scope, :hash) RETURNING *""")
                .bind("user", userId).bind("site", siteId).bind("name", name.trim())
                .bind("scope", readOnly ? "read" : "write").bind("hash", Secrets.hash(secret))
                .map(MAPPER).one());
        return new Created(secret, token);
    }

    /** The live token of a secret, its last use recorded (at most once a minute). */
    public Optional<Token> authenticate(String secret) {
        if (secret == null || !secret.startsWith(PREFIX) || secret.length() > 100) return Optional.empty();
        return jdbi.withHandle(h -> h.createQuery("""
                        UPDATE api_token SET last_used_at = now()
                        WHERE token_hash = :hash AND revoked_at IS NULL
                          AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')
                        RETURNING *""")
                        .bind("hash", Secrets.hash(secret)).map(MAPPER).findOne())
                .or(() -> jdbi.withHandle(h -> h.createQuery("SELECT * FROM api_token WHERE token_hash = :hash AND revoked_at IS NULL")
                        .bind("hash", Secrets.hash(secret)).map(MAPPER).findOne()));
    }

    /** A user's tokens, revoked ones included (the list says when), newest first; every user's with null. */
    public List<Token> list(Long userId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT * FROM api_token WHERE :user::bigint IS NULL OR user_id = :user ORDER BY created_at DESC, token_id DESC""")
                .bind("user", userId).map(MAPPER).list());
    }

    public Optional<Token> find(long tokenId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM api_token WHERE token_id = :id").bind("id", tokenId).map(MAPPER).findOne());
    }

    /** Revokes a token (of that user, unless {@code userId} is null); false when there is no such live token. */
    public boolean revoke(long tokenId, Long userId) {
        return jdbi.withHandle(h -> h.createUpdate("""
                        UPDATE api_token SET revoked_at = now()
                        WHERE token_id = :id AND revoked_at IS NULL AND (:user::bigint IS NULL OR user_id = :user)""")
                .bind("id", tokenId).bind("user", userId).execute() == 1);
    }

    private static Instant instant(java.sql.Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
