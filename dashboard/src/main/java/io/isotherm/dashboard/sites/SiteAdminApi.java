package io.isotherm.dashboard.sites;

import io.isotherm.accounts.Accounts;
import io.isotherm.accounts.Invites;
import io.isotherm.accounts.Memberships;
import io.isotherm.accounts.Role;
import io.isotherm.dashboard.ApiError;
import io.isotherm.dashboard.JsonBody;
import io.isotherm.dashboard.PathIds;
import io.isotherm.dashboard.access.Access;
import io.isotherm.dashboard.access.Caller;
import io.isotherm.dashboard.access.Guard;
import io.isotherm.dashboard.access.InviteLinks;
import io.isotherm.dashboard.access.SiteAccess;
import io.isotherm.db.site.Site;
import io.isotherm.db.site.SiteDao;
import io.isotherm.db.site.SiteSettings;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sites as their owners manage them (docs/API.md, "Administration endpoints"): create, read, edit and delete a site,
 * allow an origin, its members and invitations, the install snippet and the installation check.
 */
public final class SiteAdminApi {
    private static final Logger log = LoggerFactory.getLogger(SiteAdminApi.class);

    /** The editable fields of a site; the numbers are null for the platform's settings. */
    record SiteBody(String name, List<String> origins, List<String> keepQuery, String timeZone, List<String> excludedPaths,
                    Integer mobileBelow, Integer tabletBelow, Integer retentionDays) {
        SiteSettings checked() {
            return SiteSettings.checked(name, origins, keepQuery, timeZone, excludedPaths, mobileBelow, tabletBelow, retentionDays);
        }
    }

    record Confirmation(String confirm) {}
    record OriginBody(String origin) {}
    record InviteBody(String email, String role) {}
    record RoleBody(String role) {}

    private static final String SITE_EXAMPLE = "{\"name\": \"Shop\", \"origins\": [\"https://shop.example\"], \"timeZone\": \"Europe/Berlin\"}";

    private final SiteDao sites;
    private final Accounts accounts;
    private final SiteAccess siteAccess;
    private final InviteLinks links;
    private final InstallCheck installCheck;
    private final URI publicUrl;

    public SiteAdminApi(Jdbi jdbi, Accounts accounts, SiteAccess siteAccess, InviteLinks links, URI publicUrl) {
        this.sites = new SiteDao(jdbi);
        this.accounts = accounts;
        this.siteAccess = siteAccess;
        this.links = links;
        this.installCheck = new InstallCheck(jdbi);
        this.publicUrl = publicUrl;
    }

    public void routes(JavalinConfig config) {
        config.routes.post("/api/sites", this::create, Access.ADMIN);
        config.routes.get("/api/sites/{site}", ctx -> ctx.json(json(SiteAccess.site(ctx), SiteAccess.role(ctx))), Access.SITE_READ);
        config.routes.put("/api/sites/{site}", this::edit, Access.SITE_WRITE);
        config.routes.delete("/api/sites/{site}", this::delete, Access.SITE_WRITE);
        config.routes.post("/api/sites/{site}/origins", this::allowOrigin, Access.SITE_WRITE);
        config.routes.get("/api/sites/{site}/install", this::install, Access.SITE_READ);
        config.routes.get("/api/sites/{site}/members", this::members, Access.SITE_READ);
        config.routes.post("/api/sites/{site}/invites", this::invite, Access.SITE_WRITE);
        config.routes.delete("/api/sites/{site}/invites/{id}", this::withdraw, Access.SITE_WRITE);
        config.routes.put("/api/sites/{site}/members/{id}", this::changeRole, Access.SITE_WRITE);
        config.routes.delete("/api/sites/{site}/members/{id}", this::removeMember, Access.SITE_WRITE);
    }

    private void create(Context ctx) {
        SiteSettings settings = JsonBody.read(ctx, SiteBody.class, SITE_EXAMPLE).checked();
        Site site = sites.add(settings);
        Caller caller = Guard.caller(ctx);
        if (caller.user() != null) accounts.members().set(site.id(), caller.user().id(), Role.OWNER);
        log.info("site {} ({}) created", site.publicKey(), site.name());
        ctx.status(201).json(json(site, Role.OWNER));
    }

    private void edit(Context ctx) {
        Site before = SiteAccess.site(ctx);
        SiteSettings settings = JsonBody.read(ctx, SiteBody.class, SITE_EXAMPLE).checked();
        Site after = sites.update(before.id(), settings).orElseThrow(() -> ApiError.notFound("unknown site"));
        Map<String, Object> json = json(after, SiteAccess.role(ctx));
        if (!before.timeZone().equals(after.timeZone())) {
            json.put("notice", "The time zone is now " + after.timeZone() + ". It applies to events aggregated from now on; "
                    + "days already counted keep the time zone they were counted in (" + before.timeZone() + ").");
        }
        ctx.json(json);
    }

    private void delete(Context ctx) {
        Site site = SiteAccess.site(ctx);
        Confirmation body = JsonBody.read(ctx, Confirmation.class, "{\"confirm\": \"the site's name\"}");
        if (body.confirm() == null || !body.confirm().trim().equals(site.name())) {
            throw ApiError.badParameter("confirm", "type the site's name, " + site.name() + ", to delete it");
        }
        sites.remove(site.publicKey());
        log.info("site {} ({}) deleted", site.publicKey(), site.name());
        ctx.status(204);
    }

    private void allowOrigin(Context ctx) {
        Site site = SiteAccess.site(ctx);
        OriginBody body = JsonBody.read(ctx, OriginBody.class, "{\"origin\": \"https://shop.example\"}");
        if (body.origin() == null || body.origin().isBlank()) throw ApiError.badParameter("origin", "origin is required");
        List<String> origins = new ArrayList<>(site.origins());
        origins.add(body.origin());
        SiteSettings now = SiteSettings.of(site);
        SiteSettings settings = withField("origin", () -> SiteSettings.checked(now.name(), origins, now.pageQueryParams(), now.timeZone(),
                now.excludedPaths(), now.mobileBelow(), now.tabletBelow(), now.retentionDays()));
        ctx.json(json(sites.update(site.id(), settings).orElseThrow(() -> ApiError.notFound("unknown site")), SiteAccess.role(ctx)));
    }

    private void install(Context ctx) {
        Site site = SiteAccess.site(ctx);
        String collector = publicUrl != null ? trimSlash(publicUrl.toString()) : InviteLinks.origin(ctx);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("snippet", "<script defer src=\"" + collector + "/t.js\" data-site=\"" + site.publicKey() + "\"></script>");
        body.put("collectorUrl", collector);
        body.put("publicUrlSet", publicUrl != null);
        body.putAll(installCheck.status(site.id()));
        ctx.header("Cache-Control", "no-store").json(body);
    }

    private void members(Context ctx) {
        Site site = SiteAccess.site(ctx);
        List<Map<String, Object>> members = accounts.members().members(site.id()).stream()
                .map(m -> Map.<String, Object>of("id", m.user().id(), "email", m.user().email(), "role", m.role().label())).toList();
        List<Map<String, Object>> invites = accounts.invites().pending(site.id()).stream()
                .map(i -> Map.<String, Object>of("id", i.id(), "email", i.email(), "role", i.role().label(), "expiresAt", i.expiresAt().toString()))
                .toList();
        ctx.json(Map.of("members", members, "invites", invites));
    }

    private void invite(Context ctx) {
        Site site = SiteAccess.site(ctx);
        InviteBody body = JsonBody.read(ctx, InviteBody.class, "{\"email\": \"…\", \"role\": \"viewer\"}");
        Role role = Role.parse(body.role() == null ? "viewer" : body.role(), "role");
        Caller caller = Guard.caller(ctx);
        Invites.Created created = accounts.invites().create(site.id(), role, false, body.email(), caller.user() == null ? null : caller.user().id());
        ctx.status(201).json(links.json(ctx, created));
    }

    private void withdraw(Context ctx) {
        if (!accounts.invites().revoke(id(ctx), SiteAccess.site(ctx).id())) throw ApiError.notFound("unknown invitation");
        ctx.status(204);
    }

    private void changeRole(Context ctx) {
        Site site = SiteAccess.site(ctx);
        long userId = id(ctx);
        Role role = Role.parse(JsonBody.read(ctx, RoleBody.class, "{\"role\": \"viewer\"}").role(), "role");
        Memberships members = accounts.members();
        if (members.roleOf(userId, site.id()).isEmpty()) throw ApiError.notFound("unknown member");
        if (role == Role.VIEWER) keepAnOwner(ctx, site, userId);
        members.set(site.id(), userId, role);
        ctx.json(Map.of("id", userId, "role", role.label()));
    }

    private void removeMember(Context ctx) {
        Site site = SiteAccess.site(ctx);
        long userId = id(ctx);
        keepAnOwner(ctx, site, userId);
        if (!accounts.members().remove(site.id(), userId)) throw ApiError.notFound("unknown member");
        ctx.status(204);
    }

    /** A site keeps an owner, unless an administrator (who can always reach it) says otherwise. */
    private void keepAnOwner(Context ctx, Site site, long userId) {
        if (Guard.caller(ctx).admin()) return;
        long otherOwners = accounts.members().members(site.id()).stream()
                .filter(m -> m.role() == Role.OWNER && m.user().id() != userId).count();
        if (otherOwners == 0) throw ApiError.refused(409, null, "a site needs at least one owner: make someone else an owner first");
    }

    /** A site as docs/API.md shows it, with the caller's role. */
    static Map<String, Object> json(Site site, Role role) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("key", site.publicKey());
        json.put("name", site.name());
        json.put("origins", site.origins());
        json.put("keepQuery", site.pageQueryParams());
        json.put("timeZone", site.timeZone());
        json.put("excludedPaths", site.excludedPaths());
        json.put("mobileBelow", site.mobileBelow());
        json.put("tabletBelow", site.tabletBelow());
        json.put("retentionDays", site.retentionDays());
        json.put("role", role.label());
        return json;
    }

    private static SiteSettings withField(String field, java.util.function.Supplier<SiteSettings> check) {
        try {
            return check.get();
        } catch (io.isotherm.db.site.InvalidSiteSetting e) {
            throw ApiError.badParameter(field, e.getMessage());
        }
    }

    private static long id(Context ctx) {
        return PathIds.of(ctx, "id", "unknown id");
    }

    private static String trimSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
