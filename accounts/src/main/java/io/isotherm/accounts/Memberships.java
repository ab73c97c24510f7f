package io.isotherm.accounts;

import org.jdbi.v3.core.Jdbi;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Who belongs to which site, and as what ({@code site_member}). Administrators need no membership. */
public final class Memberships {
    public record Member(User user, Role role) {}

    private final Jdbi jdbi;

    public Memberships(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Adds the user to the site, or changes their role there. */
    public void set(int siteId, long userId, Role role) {
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO site_member (site_id, user_id, role) VALUES (:site, :user, :role)
                        ON CONFLICT (site_id, user_id) DO UPDATE SET role = excluded.role""")
                .bind("site", siteId).bind("user", userId).bind("role", role.label()).execute());
    }

    public boolean remove(int siteId, long userId) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM site_member WHERE site_id = :site AND user_id = :user")
                .bind("site", siteId).bind("user", userId).execute() == 1);
    }

    public Optional<Role> roleOf(long userId, int siteId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT role FROM site_member WHERE site_id = :site AND user_id = :user")
                .bind("site", siteId).bind("user", userId).mapTo(String.class).findOne().map(r -> Role.parse(r, "role")));
    }

    /** The sites a user belongs to, by id, with the role. */
    public Map<Integer, Role> sitesOf(long userId) {
        Map<Integer, Role> sites = new LinkedHashMap<>();
        jdbi.useHandle(h -> h.createQuery("SELECT site_id, role FROM site_member WHERE user_id = :user ORDER BY site_id")
                .bind("user", userId)
                .map((rs, ctx) -> Map.entry(rs.getInt(1), Role.parse(rs.getString(2), "role")))
                .forEach(e -> sites.put(e.getKey(), e.getValue())));
        return sites;
    }

    public List<Member> members(int siteId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT u.*, m.role FROM site_member m JOIN app_user u USING (user_id)
                        WHERE m.site_id = :site ORDER BY lower(u.email)""")
                .bind("site", siteId)
                .map((rs, ctx) -> new Member(Users.MAPPER.map(rs, ctx), Role.parse(rs.getString("role"), "role")))
                .list());
    }
}
