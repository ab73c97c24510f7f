package io.isotherm.dashboard.access;

import io.isotherm.accounts.Memberships;
import io.isotherm.accounts.Role;
import io.isotherm.db.site.Site;
import io.javalin.http.Context;

import java.util.Optional;

/** What a caller may do on a site: own it, view it, or nothing (then the site does not exist for them). */
public final class SiteAccess {
    static final String SITE = "isotherm.site";
    static final String ROLE = "isotherm.role";

    private final Memberships members;

    public SiteAccess(Memberships members) {
        this.members = members;
    }

    /** The caller's role on a site; a read-only token makes an owner a viewer. */
    public Optional<Role> roleOn(Caller caller, Site site) {
        if (caller.anonymous()) return Optional.empty();
        Optional<Role> role;
        if (caller.operator()) {
            role = Optional.of(Role.OWNER);
        } else if (caller.token() != null && caller.token().siteId() != null && caller.token().siteId() != site.id()) {
            role = Optional.empty();
        } else if (caller.user().admin()) {
            role = Optional.of(Role.OWNER);
        } else {
            role = members.roleOf(caller.user().id(), site.id());
        }
        return caller.readOnly() ? role.map(r -> Role.VIEWER) : role;
    }

    /** The site of a {@code SITE_READ} or {@code SITE_WRITE} route, as {@link Guard} found it. */
    public static Site site(Context ctx) {
        Site site = ctx.attribute(SITE);
        if (site == null) throw new IllegalStateException(ctx.path() + " is not a site route");
        return site;
    }

    /** The caller's role on the route's site. */
    public static Role role(Context ctx) {
        Role role = ctx.attribute(ROLE);
        if (role == null) throw new IllegalStateException(ctx.path() + " is not a site route");
        return role;
    }
}
