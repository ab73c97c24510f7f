package io.isotherm.accounts;

import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One-time invitation links ({@code invite}): to a site with a role, or as an administrator. The inviter copies the
 * link (no mail server needed); the colleague opens it and chooses a password, or, with an account already, confirms
 * theirs. Only the link secret's hash is stored.
 */
public final class Invites {
    public static final Duration VALID_FOR = Duration.ofDays(7);

    /** {@code siteId} and {@code role} are null for an administrator's invitation. */
    public record Invite(long id, Integer siteId, Role role, boolean admin, String email, Instant createdAt, Instant expiresAt) {}

    public record Created(String secret, Invite invite) {}

    private static final RowMapper<Invite> MAPPER = (rs, ctx) -> new Invite(rs.getLong("invite_id"), (Integer) rs.getObject("site_id"),
            rs.getString("role") == null ? null : Role.parse(rs.getString("role"), "role"), rs.getBoolean("is_admin"),
            rs.getString("email"), rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("expires_at").toInstant());

    private final Jdbi jdbi;
    private final Users users;
    private final Memberships members;

    public Invites(Jdbi jdbi, Users users, Memberships members) {
        this.jdbi = jdbi;
        this.users = users;
        this.members = members;
    }

    /** An invitation to a site ({@code siteId} and {@code role}) or, with {@code admin}, to administer everything. */
    public Created create(Integer siteId, Role role, boolean admin, String email, Long createdBy) {
        if (!admin && (siteId == null || role == null)) throw new IllegalArgumentException("a site invitation needs a site and a role");
        String checked = Emails.check(email, "email");
        String secret = Secrets.generate("");
        Invite invite = jdbi.withHandle(h -> h.createQuery("""
                        INSERT INTO invite (site_id, role, is_admin, email, token_hash, created_by, expires_at)
                        VALUES (:site, :role, :admin, :email, :hash, :by, now() + :ttl * interval '1 second') RETURNING *""")
                .bind("site", siteId).bind("role", role == null ? null : role.label()).bind("admin", admin)
                .bind("email", checked).bind("hash", Secrets.hash(secret)).bind("by", createdBy)
                .bind("ttl", VALID_FOR.toSeconds())
                .map(MAPPER).one());
        return new Created(secret, invite);
    }

    /** The open invitation of a link, if it is unused and not expired. */
    public Optional<Invite> find(String secret) {
        if (secret == null || secret.isEmpty() || secret.length() > 100) return Optional.empty();
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT * FROM invite WHERE token_hash = :hash AND used_at IS NULL AND expires_at > now()""")
                .bind("hash", Secrets.hash(secret)).map(MAPPER).findOne());
    }

    /** The open invitations of a site (or, with null, the administrators' ones). */
    public List<Invite> pending(Integer siteId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT * FROM invite
                        WHERE used_at IS NULL AND expires_at > now()
                          AND (site_id = :site OR (:site::integer IS NULL AND site_id IS NULL))
                        ORDER BY created_at DESC""")
                .bind("site", siteId).map(MAPPER).list());
    }

    /** Withdraws an open invitation of a site (null: an administrator's); false when there is none. */
    public boolean revoke(long inviteId, Integer siteId) {
        return jdbi.withHandle(h -> h.createUpdate("""
                        DELETE FROM invite WHERE invite_id = :id AND used_at IS NULL
                          AND (site_id = :site OR (:site::integer IS NULL AND site_id IS NULL))""")
                .bind("id", inviteId).bind("site", siteId).execute() == 1);
    }

    /**
     * Uses a link once. Without an account for the invited email, one is made with {@code password}; with one, the
     * password must be that account's. Then the membership (or administrator right) is granted.
     */
    public User accept(String secret, String password) {
        // One transaction, the invitation row locked first: a wrong password or a refused new account leaves the link
        // unused, and of two acceptances at once the second finds it used. Nested Jdbi calls on this thread (the
        // Users and Memberships below) join this transaction.
        return jdbi.inTransaction(h -> {
            Invite invite = h.createQuery("""
                            SELECT * FROM invite WHERE token_hash = :hash AND used_at IS NULL AND expires_at > now() FOR UPDATE""")
                    .bind("hash", Secrets.hash(secret == null ? "" : secret)).map(MAPPER).findOne()
                    .orElseThrow(() -> AccountError.notFound("this invitation link was used already, was withdrawn or has expired"));
            Optional<User> existing = users.findByEmail(invite.email());
            User user;
            if (existing.isPresent()) {
                user = users.authenticate(invite.email(), password)
                        .orElseThrow(() -> AccountError.invalid("password", "this is not the password of the account " + invite.email()));
            } else {
                user = users.add(invite.email(), password, invite.admin());
            }
            h.createUpdate("UPDATE invite SET used_at = now() WHERE invite_id = :id").bind("id", invite.id()).execute();
            if (invite.admin() && !user.admin()) {
                users.setAdmin(user.id(), true);
                user = users.find(user.id()).orElseThrow();
            }
            if (invite.siteId() != null) members.set(invite.siteId(), user.id(), invite.role());
            return user;
        });
    }
}
