package io.isotherm.dashboard.access;

import io.isotherm.accounts.Accounts;
import io.isotherm.accounts.Invites;
import io.isotherm.accounts.Role;
import io.isotherm.accounts.User;
import io.isotherm.dashboard.ApiError;
import io.isotherm.dashboard.JsonBody;
import io.isotherm.db.site.Site;
import io.isotherm.db.site.SiteDao;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The administrators' page: every user with their sites, administrator rights, removal, and invitations to administer. */
public final class UserAdminApi {
    record AdminInvite(String email) {}
    record AdminChange(Boolean admin) {}

    private final Accounts accounts;
    private final SiteDao sites;
    private final InviteLinks links;

    public UserAdminApi(Accounts accounts, SiteDao sites, InviteLinks links) {
        this.accounts = accounts;
        this.sites = sites;
        this.links = links;
    }

    public void routes(JavalinConfig config) {
        config.routes.get("/api/users", this::list, Access.ADMIN);
        config.routes.post("/api/users/invites", this::invite, Access.ADMIN);
        config.routes.delete("/api/users/invites/{id}", this::withdraw, Access.ADMIN);
        config.routes.patch("/api/users/{id}", this::change, Access.ADMIN);
        config.routes.delete("/api/users/{id}", this::remove, Access.ADMIN);
    }

    private void list(Context ctx) {
        Map<Integer, Site> byId = new LinkedHashMap<>();
        for (Site site : sites.list()) byId.put(site.id(), site);
        List<Map<String, Object>> users = new ArrayList<>();
        for (User user : accounts.users().list()) {
            Map<String, Object> json = AccountApi.user(user);
            json.put("createdAt", user.createdAt().toString());
            List<Map<String, Object>> memberOf = new ArrayList<>();
            for (Map.Entry<Integer, Role> entry : accounts.members().sitesOf(user.id()).entrySet()) {
                Site site = byId.get(entry.getKey());
                if (site != null) memberOf.add(Map.of("key", site.publicKey(), "name", site.name(), "role", entry.getValue().label()));
            }
            json.put("sites", memberOf);
            users.add(json);
        }
        List<Map<String, Object>> invites = accounts.invites().pending(null).stream()
                .map(i -> Map.<String, Object>of("id", i.id(), "email", i.email(), "expiresAt", i.expiresAt().toString())).toList();
        ctx.json(Map.of("users", users, "invites", invites));
    }

    private void invite(Context ctx) {
        AdminInvite body = JsonBody.read(ctx, AdminInvite.class, "{\"email\": \"…\"}");
        Caller caller = Guard.caller(ctx);
        Invites.Created created = accounts.invites().create(null, null, true, body.email(), caller.user() == null ? null : caller.user().id());
        ctx.status(201).json(links.json(ctx, created));
    }

    private void withdraw(Context ctx) {
        if (!accounts.invites().revoke(AccountApi.id(ctx, "id"), null)) throw ApiError.notFound("unknown invitation");
        ctx.status(204);
    }

    private void change(Context ctx) {
        long id = AccountApi.id(ctx, "id");
        AdminChange body = JsonBody.read(ctx, AdminChange.class, "{\"admin\": true}");
        if (body.admin() == null) throw ApiError.badParameter("admin", "admin must be true or false");
        if (!accounts.users().setAdmin(id, body.admin())) throw ApiError.notFound("unknown user");
        ctx.json(AccountApi.user(accounts.users().find(id).orElseThrow()));
    }

    private void remove(Context ctx) {
        if (!accounts.users().remove(AccountApi.id(ctx, "id"))) throw ApiError.notFound("unknown user");
        ctx.status(204);
    }
}
