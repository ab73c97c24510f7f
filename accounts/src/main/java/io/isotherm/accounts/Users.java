package io.isotherm.accounts;

import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

import java.util.List;
import java.util.Optional;

/** The {@code app_user} table: adding, finding, signing in, changing passwords, removing. */
public final class Users {
    private static final String UNIQUE_VIOLATION = "23505";
    static final RowMapper<User> MAPPER = (rs, ctx) -> new User(rs.getLong("user_id"), rs.getString("email"),
            rs.getBoolean("is_admin"), rs.getTimestamp("created_at").toInstant());

    private final Jdbi jdbi;

    public Users(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** A new user; 409 when the email is taken, 400 for a bad email or a short password. */
    public User add(String email, String password, boolean admin) {
        String checked = Emails.check(email, "email");
        String hash = Passwords.hash(Passwords.checkNew(password, "password"));
        try {
            return jdbi.withHandle(h -> h.createQuery("""
                            INSERT INTO app_user (email, password_hash, is_admin) VALUES (:email, :hash, :admin)
                            RETURNING *""")
                    .bind("email", checked).bind("hash", hash).bind("admin", admin)
                    .map(MAPPER).one());
        } catch (RuntimeException e) {
            if (UNIQUE_VIOLATION.equals(sqlState(e))) throw AccountError.conflict("email", "a user with this email exists already");
            throw e;
        }
    }

    /**
     * The first administrator, only while there is no user at all; empty when someone was first. The table lock makes
     * two concurrent setups create one administrator, not two.
     */
    public Optional<User> addFirstAdmin(String email, String password) {
        String checked = Emails.check(email, "email");
        String hash = Passwords.hash(Passwords.checkNew(password, "password"));
        return jdbi.inTransaction(h -> {
            h.execute("LOCK TABLE app_user IN SHARE ROW EXCLUSIVE MODE");
            if (h.createQuery("SELECT EXISTS (SELECT 1 FROM app_user)").mapTo(Boolean.class).one()) return Optional.empty();
            return Optional.of(h.createQuery("INSERT INTO app_user (email, password_hash, is_admin) VALUES (:email, :hash, true) RETURNING *")
                    .bind("email", checked).bind("hash", hash).map(MAPPER).one());
        });
    }

    public boolean any() {
        return jdbi.withHandle(h -> h.createQuery("SELECT EXISTS (SELECT 1 FROM app_user)").mapTo(Boolean.class).one());
    }

    public Optional<User> find(long id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM app_user WHERE user_id = :id").bind("id", id).map(MAPPER).findOne());
    }

    public Optional<User> findByEmail(String email) {
        if (email == null) return Optional.empty();
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM app_user WHERE lower(email) = lower(:email)")
                .bind("email", email.trim()).map(MAPPER).findOne());
    }

    public List<User> list() {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM app_user ORDER BY lower(email)").map(MAPPER).list());
    }

    /** The user whose email and password these are. An unknown email costs the same time as a wrong password. */
    public Optional<User> authenticate(String email, String password) {
        record Row(User user, String hash) {}
        Optional<Row> row = email == null ? Optional.empty() : jdbi.withHandle(h -> h.createQuery(
                        "SELECT * FROM app_user WHERE lower(email) = lower(:email)")
                .bind("email", email.trim())
                .map((rs, ctx) -> new Row(MAPPER.map(rs, ctx), rs.getString("password_hash"))).findOne());
        if (row.isEmpty()) {
            Passwords.verifyNobody(password);
            return Optional.empty();
        }
        return Passwords.verify(password, row.get().hash()) ? Optional.of(row.get().user()) : Optional.empty();
    }

    /** Sets a new password and ends every session of the user. False when no user has that id. */
    public boolean setPassword(long userId, String password) {
        String hash = Passwords.hash(Passwords.checkNew(password, "password"));
        return jdbi.inTransaction(h -> {
            int updated = h.createUpdate("UPDATE app_user SET password_hash = :hash, password_changed_at = now() WHERE user_id = :id")
                    .bind("hash", hash).bind("id", userId).execute();
            h.createUpdate("DELETE FROM user_session WHERE user_id = :id").bind("id", userId).execute();
            return updated == 1;
        });
    }

    public boolean setAdmin(long userId, boolean admin) {
        return jdbi.inTransaction(h -> {
            if (!admin) refuseLastAdmin(h, userId);
            return h.createUpdate("UPDATE app_user SET is_admin = :admin WHERE user_id = :id")
                    .bind("admin", admin).bind("id", userId).execute() == 1;
        });
    }

    /** Removes a user with their sessions, tokens and memberships. The last administrator cannot be removed. */
    public boolean remove(long userId) {
        return jdbi.inTransaction(h -> {
            refuseLastAdmin(h, userId);
            return h.createUpdate("DELETE FROM app_user WHERE user_id = :id").bind("id", userId).execute() == 1;
        });
    }

    private static void refuseLastAdmin(org.jdbi.v3.core.Handle h, long userId) {
        h.execute("LOCK TABLE app_user IN SHARE ROW EXCLUSIVE MODE");
        boolean lastAdmin = h.createQuery("""
                        SELECT is_admin AND (SELECT count(*) FROM app_user WHERE is_admin) = 1
                        FROM app_user WHERE user_id = :id""")
                .bind("id", userId).mapTo(Boolean.class).findOne().orElse(false);
        if (lastAdmin) throw AccountError.conflict(null, "this is the last administrator: make someone else an administrator first");
    }

    static String sqlState(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException sql && sql.getSQLState() != null) return sql.getSQLState();
        }
        return null;
    }
}
