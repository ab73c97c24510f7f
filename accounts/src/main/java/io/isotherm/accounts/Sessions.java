package io.isotherm.accounts;

import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Server-side sessions in {@code user_session}: revocable, listed per user, ending after {@code idle} without use or
 * {@code absolute} after sign-in, whichever comes first. The cookie holds a random secret; the table holds its hash.
 */
public final class Sessions {
    /** A session as its user sees it in their list. */
    public record Session(long id, long userId, String csrfToken, String userAgent, Instant createdAt, Instant lastSeenAt,
                          Instant expiresAt) {}

    /** A session just opened, with the secret for the cookie (never stored). */
    public record Opened(String secret, Session session) {}

    /** Last use is written at most this often per session, not on every request. */
    private static final Duration TOUCH_EVERY = Duration.ofMinutes(1);
    private static final RowMapper<Session> MAPPER = (rs, ctx) -> new Session(rs.getLong("session_id"), rs.getLong("user_id"),
            rs.getString("csrf_token"), rs.getString("user_agent"), rs.getTimestamp("created_at").toInstant(),
            rs.getTimestamp("last_seen_at").toInstant(), rs.getTimestamp("expires_at").toInstant());

    private final Jdbi jdbi;
    private final Duration idle;
    private final Duration absolute;

    public Sessions(Jdbi jdbi, Duration idle, Duration absolute) {
        if (idle.isNegative() || idle.isZero() || absolute.compareTo(idle) < 0) {
            throw new IllegalArgumentException("the idle limit must be positive and no longer than the absolute limit");
        }
        this.jdbi = jdbi;
        this.idle = idle;
        this.absolute = absolute;
    }

    public Duration idle() {
        return idle;
    }

    public Duration absolute() {
        return absolute;
    }

    public Opened open(long userId, String userAgent) {
        String secret = Secrets.generate("");
        String agent = userAgent == null ? null : userAgent.substring(0, Math.min(300, userAgent.length()));
        Session session = jdbi.withHandle(h -> h.createQuery("""
                        INSERT INTO user_session (token_hash, user_id, csrf_token, user_agent, expires_at)
                        VALUES (:hash, :user, :csrf, :agent, now() + :absolute * interval '1 second')
                        RETURNING *""")
                .bind("hash", Secrets.hash(secret)).bind("user", userId).bind("csrf", Secrets.generate(""))
                .bind("agent", agent).bind("absolute", absolute.toSeconds())
                .map(MAPPER).one());
        return new Opened(secret, session);
    }

    /** The live session of a cookie's secret; an expired or idle one is deleted and not found. */
    public Optional<Session> find(String secret) {
        if (secret == null || secret.isEmpty() || secret.length() > 100) return Optional.empty();
        byte[] hash = Secrets.hash(secret);
        Optional<Session> found = jdbi.withHandle(h -> h.createQuery("SELECT * FROM user_session WHERE token_hash = :hash")
                .bind("hash", hash).map(MAPPER).findOne());
        if (found.isEmpty()) return found;
        Session session = found.get();
        Instant now = Instant.now();
        if (!now.isBefore(session.expiresAt()) || !now.isBefore(session.lastSeenAt().plus(idle))) {
            revoke(session.userId(), session.id());
            return Optional.empty();
        }
        if (Duration.between(session.lastSeenAt(), now).compareTo(TOUCH_EVERY) > 0) {
            jdbi.useHandle(h -> h.createUpdate("UPDATE user_session SET last_seen_at = now() WHERE session_id = :id")
                    .bind("id", session.id()).execute());
        }
        return found;
    }

    /** A user's live sessions, newest use first. */
    public List<Session> list(long userId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT * FROM user_session
                        WHERE user_id = :user AND expires_at > now() AND last_seen_at > now() - :idle * interval '1 second'
                        ORDER BY last_seen_at DESC""")
                .bind("user", userId).bind("idle", idle.toSeconds()).map(MAPPER).list());
    }

    /** Ends one session of a user; false when it is not theirs or already gone. */
    public boolean revoke(long userId, long sessionId) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM user_session WHERE session_id = :id AND user_id = :user")
                .bind("id", sessionId).bind("user", userId).execute() == 1);
    }

    /** Ends every session of a user but {@code keep} (null: all of them). */
    public int revokeAll(long userId, Long keep) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM user_session WHERE user_id = :user AND session_id IS DISTINCT FROM :keep")
                .bind("user", userId).bind("keep", keep).execute());
    }

    /** Deletes sessions past either limit; called now and then, since {@link #find} already refuses them. */
    public int deleteExpired() {
        return jdbi.withHandle(h -> h.createUpdate("""
                        DELETE FROM user_session WHERE expires_at <= now() OR last_seen_at <= now() - :idle * interval '1 second'""")
                .bind("idle", idle.toSeconds()).execute());
    }
}
