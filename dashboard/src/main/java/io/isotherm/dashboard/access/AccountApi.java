package io.isotherm.dashboard.access;

import io.isotherm.accounts.Accounts;
import io.isotherm.accounts.ApiTokens;
import io.isotherm.accounts.Invites;
import io.isotherm.accounts.LoginThrottle;
import io.isotherm.accounts.Passwords;
import io.isotherm.accounts.Sessions;
import io.isotherm.accounts.User;
import io.isotherm.dashboard.ApiError;
import io.isotherm.dashboard.JsonBody;
import io.isotherm.dashboard.PathIds;
import io.isotherm.db.site.Site;
import io.isotherm.db.site.SiteDao;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Signing in and out, the first administrator's setup, invitation links, and a user's own account: password,
 * sessions and API tokens (docs/API.md, "Authentication and access").
 */
public final class AccountApi {
    private static final Logger log = LoggerFactory.getLogger(AccountApi.class);

    record Credentials(String email, String password, String token) {}
    record PasswordChange(String current, String password) {}
    record TokenRequest(String name, String site, String scope) {}
    record InviteAnswer(String password) {}

    private final AccessSettings settings;
    private final Accounts accounts;
    private final SiteDao sites;
    private final SiteAccess siteAccess;
    private final LoginThrottle throttle;
    private final SessionCookie cookie;
    private final SetupLink setup = new SetupLink();

    public AccountApi(AccessSettings settings, Accounts accounts, SiteDao sites, SiteAccess siteAccess) {
        this.settings = settings;
        this.accounts = accounts;
        this.sites = sites;
        this.siteAccess = siteAccess;
        this.throttle = new LoginThrottle(settings.loginAttemptsPerAccount(), settings.loginAttemptsPerAddress(), settings.loginWindow());
        this.cookie = new SessionCookie(settings.secureCookies());
    }

    public void routes(JavalinConfig config) {
        config.routes.get("/api/setup", this::setupState, Access.PUBLIC);
        config.routes.post("/api/setup", this::setup, Access.PUBLIC);
        config.routes.post("/api/login", this::login, Access.PUBLIC);
        config.routes.post("/api/logout", this::logout, Access.SIGNED_IN);
        config.routes.get("/api/me", this::me, Access.SIGNED_IN);
        config.routes.post("/api/me/password", this::changePassword, Access.SIGNED_IN);
        config.routes.get("/api/me/sessions", this::sessions, Access.SIGNED_IN);
        config.routes.delete("/api/me/sessions/{id}", this::endSession, Access.SIGNED_IN);
        config.routes.get("/api/me/tokens", this::tokens, Access.SIGNED_IN);
        config.routes.post("/api/me/tokens", this::createToken, Access.SIGNED_IN);
        config.routes.delete("/api/me/tokens/{id}", this::revokeToken, Access.SIGNED_IN);
        config.routes.get("/api/invites/{token}", this::invite, Access.PUBLIC);
        config.routes.post("/api/invites/{token}/accept", this::acceptInvite, Access.PUBLIC);
    }

    /** The setup link's path while no user exists in the accounts mode; the launcher prints it. */
    public Optional<String> setupPath() {
        return settings.mode() == AccessMode.ACCOUNTS && !accounts.users().any() ? Optional.of(setup.path()) : Optional.empty();
    }

    private void setupState(Context ctx) throws Exception {
        boolean needed = !accounts.users().any();
        ctx.json(Map.of("needed", needed, "allowed", needed && setup.allows(ctx, ctx.queryParam("token"))));
    }

    private void setup(Context ctx) throws Exception {
        Credentials body = JsonBody.read(ctx, Credentials.class, "{\"email\": \"…\", \"password\": \"…\"}");
        if (accounts.users().any()) throw ApiError.refused(409, null, "an administrator exists already: sign in instead");
        if (!setup.allows(ctx, body.token())) {
            throw ApiError.refused(403, "token", "create the first administrator on the server's own machine, "
                    + "or with the setup link that 'isotherm serve' printed to its console");
        }
        User user = accounts.users().addFirstAdmin(body.email(), body.password())
                .orElseThrow(() -> ApiError.refused(409, null, "an administrator exists already: sign in instead"));
        log.info("first administrator {} created", user.email());
        signIn(ctx, user);
        ctx.status(201).json(Map.of("user", user(user)));
    }

    private void login(Context ctx) {
        Credentials body = JsonBody.read(ctx, Credentials.class, "{\"email\": \"…\", \"password\": \"…\"}");
        if (body.email() == null || body.email().isBlank()) throw ApiError.badParameter("email", "email is required");
        if (body.password() == null || body.password().isEmpty()) throw ApiError.badParameter("password", "password is required");
        Optional<Duration> wait = throttle.attempt(body.email(), ctx.ip());
        if (wait.isPresent()) {
            log.info("sign-in attempts throttled for {} from {}", body.email(), ctx.ip());
            throw ApiError.tooManyRequests(wait.get().toSeconds(), "too many sign-in attempts: try again in " + wait.get().toSeconds() + " s");
        }
        User user = accounts.users().authenticate(body.email(), body.password())
                .orElseThrow(() -> ApiError.refused(401, null, "wrong email or password"));
        signIn(ctx, user);
        ctx.json(Map.of("user", user(user)));
    }

    private void signIn(Context ctx, User user) {
        Sessions.Opened opened = accounts.sessions().open(user.id(), ctx.userAgent());
        cookie.set(ctx, opened.secret(), settings.sessionMax());
    }

    private void logout(Context ctx) {
        Caller caller = Guard.caller(ctx);
        if (caller.session() != null) accounts.sessions().revoke(caller.user().id(), caller.session().id());
        cookie.clear(ctx);
        ctx.status(204);
    }

    private void me(Context ctx) {
        Caller caller = Guard.caller(ctx);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("user", caller.user() == null ? null : user(caller.user()));
        body.put("admin", caller.admin());
        body.put("csrfToken", caller.session() == null ? null : caller.session().csrfToken());
        body.put("access", settings.mode().label());
        ctx.json(body);
    }

    private void changePassword(Context ctx) {
        Caller caller = Guard.caller(ctx);
        User user = signedInUser(caller);
        PasswordChange body = JsonBody.read(ctx, PasswordChange.class, "{\"current\": \"…\", \"password\": \"…\"}");
        Passwords.checkNew(body.password(), "password");
        if (accounts.users().authenticate(user.email(), body.current()).isEmpty()) {
            throw ApiError.badParameter("current", "this is not your current password");
        }
        accounts.users().setPassword(user.id(), body.password()); // ends every session …
        if (caller.session() != null) signIn(ctx, user);           // … and this browser gets a new one
        ctx.status(204);
    }

    private void sessions(Context ctx) {
        Caller caller = Guard.caller(ctx);
        User user = signedInUser(caller);
        List<Map<String, Object>> list = accounts.sessions().list(user.id()).stream().map(s -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", s.id());
            m.put("userAgent", s.userAgent());
            m.put("createdAt", s.createdAt().toString());
            m.put("lastSeenAt", s.lastSeenAt().toString());
            m.put("expiresAt", earlier(s.expiresAt(), s.lastSeenAt().plus(settings.sessionIdle())).toString());
            m.put("current", caller.session() != null && caller.session().id() == s.id());
            return m;
        }).toList();
        ctx.json(Map.of("sessions", list));
    }

    private void endSession(Context ctx) {
        User user = signedInUser(Guard.caller(ctx));
        if (!accounts.sessions().revoke(user.id(), id(ctx, "id"))) throw ApiError.notFound("unknown session");
        ctx.status(204);
    }

    private void tokens(Context ctx) {
        User user = signedInUser(Guard.caller(ctx));
        ctx.json(Map.of("tokens", accounts.tokens().list(user.id()).stream().map(this::token).toList()));
    }

    private void createToken(Context ctx) {
        Caller caller = Guard.caller(ctx);
        User user = signedInUser(caller);
        TokenRequest body = JsonBody.read(ctx, TokenRequest.class, "{\"name\": \"…\", \"site\": \"KEY or null\", \"scope\": \"read\"}");
        String scope = body.scope() == null ? "read" : body.scope();
        if (!scope.equals("read") && !scope.equals("write")) throw ApiError.badParameter("scope", "scope must be read or write");
        Integer siteId = null;
        if (body.site() != null && !body.site().isBlank()) {
            Site site = sites.findByKey(body.site()).filter(s -> siteAccess.roleOn(caller, s).isPresent())
                    .orElseThrow(() -> ApiError.badParameter("site", "you have no site with this key"));
            if (scope.equals("write") && !siteAccess.roleOn(caller, site).orElseThrow().canChange()) {
                throw ApiError.badParameter("scope", "you are a viewer of this site: a token for it can only read");
            }
            siteId = site.id();
        }
        ApiTokens.Created created = accounts.tokens().create(user.id(), body.name(), siteId, scope.equals("read"));
        Map<String, Object> json = token(created.token());
        json.put("token", created.secret());
        ctx.status(201).json(json);
    }

    private void revokeToken(Context ctx) {
        User user = signedInUser(Guard.caller(ctx));
        if (!accounts.tokens().revoke(id(ctx, "id"), user.id())) throw ApiError.notFound("unknown token");
        ctx.status(204);
    }

    private void invite(Context ctx) {
        Invites.Invite invite = openInvite(ctx);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("email", invite.email());
        body.put("site", invite.siteId() == null ? null : sites.findById(invite.siteId())
                .map(s -> Map.of("key", s.publicKey(), "name", s.name())).orElse(null));
        body.put("role", invite.role() == null ? null : invite.role().label());
        body.put("admin", invite.admin());
        body.put("existingUser", accounts.users().findByEmail(invite.email()).isPresent());
        body.put("expiresAt", invite.expiresAt().toString());
        ctx.json(body);
    }

    private void acceptInvite(Context ctx) {
        InviteAnswer body = JsonBody.read(ctx, InviteAnswer.class, "{\"password\": \"…\"}");
        Invites.Invite invite = openInvite(ctx);
        Optional<Duration> wait = throttle.attempt(invite.email(), ctx.ip());
        if (wait.isPresent()) throw ApiError.tooManyRequests(wait.get().toSeconds(), "too many attempts: try again in " + wait.get().toSeconds() + " s");
        User user = accounts.invites().accept(ctx.pathParam("token"), body.password());
        log.info("{} accepted an invitation", user.email());
        signIn(ctx, user);
        ctx.json(Map.of("user", user(user)));
    }

    private Invites.Invite openInvite(Context ctx) {
        return accounts.invites().find(ctx.pathParam("token"))
                .orElseThrow(() -> ApiError.notFound("this invitation link was used already, was withdrawn or has expired"));
    }

    /** The account endpoints need an account: in the local and open modes there is none. */
    private static User signedInUser(Caller caller) {
        if (caller.user() == null) throw ApiError.refused(409, null, "there are no accounts in this access mode (ISOTHERM_DASHBOARD_ACCESS)");
        return caller.user();
    }

    private Map<String, Object> token(ApiTokens.Token t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", t.id());
        m.put("name", t.name());
        m.put("site", t.siteId() == null ? null : sites.findById(t.siteId()).map(Site::publicKey).orElse(null));
        m.put("scope", t.readOnly() ? "read" : "write");
        m.put("createdAt", t.createdAt().toString());
        m.put("lastUsedAt", t.lastUsedAt() == null ? null : t.lastUsedAt().toString());
        m.put("revokedAt", t.revokedAt() == null ? null : t.revokedAt().toString());
        return m;
    }

    static Map<String, Object> user(User user) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", user.id());
        m.put("email", user.email());
        m.put("admin", user.admin());
        return m;
    }

    static long id(Context ctx, String name) {
        return PathIds.of(ctx, name, "unknown " + name);
    }

    private static Instant earlier(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
