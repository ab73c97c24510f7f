package io.isotherm.dashboard.access;

import io.isotherm.accounts.Accounts;
import io.isotherm.accounts.ApiTokens;
import io.isotherm.accounts.Role;
import io.isotherm.accounts.Secrets;
import io.isotherm.accounts.Sessions;
import io.isotherm.accounts.ShareLinks;
import io.isotherm.dashboard.ApiError;
import io.isotherm.db.site.Site;
import io.isotherm.db.site.SiteDao;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.security.RouteRole;

import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Runs before every dashboard route (the ones with an {@link Access} role) and, in this order: adds the security
 * headers, refuses unknown host names, finds the caller, refuses cross-site changes, then applies the route's rule.
 * A share link's routes ({@link Access#SHARED}) have no caller: after the host check, the link in the path decides.
 * Routes of other roles (the collector's) carry no {@link Access} and are left alone.
 */
public final class Guard implements Handler {
    public static final String CALLER = "isotherm.caller";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    static final String CONTENT_SECURITY_POLICY = String.join("; ",
            "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data: blob:", "connect-src 'self'",
            "object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'");
    private static final Set<HandlerType> SAFE = Set.of(HandlerType.GET, HandlerType.HEAD, HandlerType.OPTIONS);

    private final AccessSettings settings;
    private final HostCheck hosts;
    private final Accounts accounts;
    private final SiteDao sites;
    private final SiteAccess siteAccess;

    public Guard(AccessSettings settings, Accounts accounts, SiteDao sites) {
        this.settings = settings;
        this.hosts = new HostCheck(settings.publicUrl(), settings.dashboardHosts());
        this.accounts = accounts;
        this.sites = sites;
        this.siteAccess = new SiteAccess(accounts.members());
    }

    public SiteAccess siteAccess() {
        return siteAccess;
    }

    @Override
    public void handle(Context ctx) throws Exception {
        Access rule = rule(ctx.routeRoles());
        if (rule == null) return;
        headers(ctx);
        if (!hosts.allows(ctx.header("Host"))) {
            throw ApiError.refused(403, "Host", "this dashboard does not answer to the host name " + ctx.header("Host")
                    + ": add it to ISOTHERM_DASHBOARD_HOSTS, or set ISOTHERM_PUBLIC_URL to the address people use");
        }
        if (rule == Access.SHARED) {
            shared(ctx);
            return;
        }
        Caller caller = identify(ctx);
        ctx.attribute(CALLER, caller);
        if (!SAFE.contains(ctx.method())) checkSameOrigin(ctx, caller, rule);
        if (rule == Access.PUBLIC) return;
        if (caller.anonymous()) throw signInFirst(ctx);
        if (caller.readOnly() && !SAFE.contains(ctx.method())) {
            throw ApiError.refused(403, null, "this API token is read-only");
        }
        switch (rule) {
            case ADMIN -> {
                if (!caller.admin()) throw ApiError.refused(403, null, "only an administrator may do this");
            }
            case SITE_READ, SITE_WRITE -> siteRule(ctx, caller, rule);
            default -> { }
        }
    }

    /** The caller of a dashboard request, as the guard found it. */
    public static Caller caller(Context ctx) {
        Caller caller = ctx.attribute(CALLER);
        if (caller == null) throw new IllegalStateException(ctx.path() + " has no Access rule");
        return caller;
    }

    private static Access rule(Set<RouteRole> roles) {
        for (RouteRole role : roles) {
            if (role instanceof Access access) return access;
        }
        return null;
    }

    private static void headers(Context ctx) {
        ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "same-origin");
        ctx.header("X-Frame-Options", "DENY");
    }

    private Caller identify(Context ctx) throws UnknownHostException {
        switch (settings.mode()) {
            case OPEN -> {
                return Caller.OPERATOR;
            }
            case LOCAL -> {
                if (!InetAddress.getByName(ctx.ip()).isLoopbackAddress()) {
                    throw ApiError.refused(403, null, "this dashboard answers only on its own machine (ISOTHERM_DASHBOARD_ACCESS=local): "
                            + "open it at http://localhost, or set ISOTHERM_DASHBOARD_ACCESS=accounts to let people sign in from elsewhere");
                }
                return Caller.OPERATOR;
            }
            default -> {
                return signedIn(ctx);
            }
        }
    }

    private Caller signedIn(Context ctx) {
        String authorization = ctx.header("Authorization");
        if (authorization != null) {
            if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
                throw ApiError.refused(401, "Authorization", "Authorization must be 'Bearer TOKEN' with an API token");
            }
            ApiTokens.Token token = accounts.tokens().authenticate(authorization.substring(7).trim())
                    .orElseThrow(() -> ApiError.refused(401, "Authorization", "this API token is unknown or revoked"));
            return accounts.users().find(token.userId()).map(user -> Caller.byToken(user, token))
                    .orElseThrow(() -> ApiError.refused(401, "Authorization", "this API token is unknown or revoked"));
        }
        Optional<Sessions.Session> session = accounts.sessions().find(SessionCookie.read(ctx));
        if (session.isEmpty()) return Caller.ANONYMOUS;
        return accounts.users().find(session.get().userId()).map(user -> Caller.bySession(user, session.get())).orElse(Caller.ANONYMOUS);
    }

    /**
     * A change must come from the dashboard's own pages: browsers say where a request comes from in Sec-Fetch-Site
     * and Origin; a session must also show its CSRF token, and the anonymous endpoints take JSON only, which a form on
     * another site cannot send. API tokens are not sent by browsers on their own, so they need no proof.
     */
    private static void checkSameOrigin(Context ctx, Caller caller, Access rule) {
        String fetchSite = ctx.header("Sec-Fetch-Site");
        if (fetchSite != null && !fetchSite.equals("same-origin") && !fetchSite.equals("none")) {
            throw ApiError.refused(403, "Sec-Fetch-Site", "cross-site requests may not change anything here");
        }
        String origin = ctx.header("Origin");
        if (origin != null && !sameHost(origin, ctx.header("Host"))) {
            throw ApiError.refused(403, "Origin", "requests from " + origin + " may not change anything here");
        }
        if (caller.session() != null && !Secrets.same(caller.session().csrfToken(), ctx.header(CSRF_HEADER))) {
            throw ApiError.refused(403, CSRF_HEADER, "the " + CSRF_HEADER + " header is missing or wrong: reload the page");
        }
        if (rule == Access.PUBLIC && caller.token() == null) {
            String type = ctx.contentType() == null ? "" : ctx.contentType().split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
            if (!type.equals("application/json")) {
                throw ApiError.refused(415, "Content-Type", "send JSON (Content-Type: application/json)");
            }
        }
    }

    private static boolean sameHost(String origin, String host) {
        if (host == null) return false;
        try {
            URI uri = URI.create(origin);
            String authority = uri.getRawAuthority();
            return authority != null && authority.equalsIgnoreCase(host);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Pages send the browser to sign in (or to set up the first administrator); the API answers 401. */
    private ApiError signInFirst(Context ctx) {
        boolean nobody = !accounts.users().any();
        if (ctx.path().startsWith("/api/")) {
            return ApiError.refused(401, null, nobody ? "no administrator exists yet: create one at /setup" : "sign in, or send an API token");
        }
        if (nobody) return ApiError.redirect("/setup");
        String target = ctx.path() + (ctx.queryString() == null ? "" : "?" + ctx.queryString());
        return ApiError.redirect("/login?next=" + URLEncoder.encode(target, StandardCharsets.UTF_8));
    }

    /**
     * A share link stands for its one view, whoever holds it: no session or token is looked at, and every refusal is
     * the server's 404 for an unknown URL, so a guessed or revoked link says nothing about what exists.
     */
    private void shared(Context ctx) {
        if (settings.mode() != AccessMode.ACCOUNTS || !SAFE.contains(ctx.method())) throw ShareAccess.notFound(ctx);
        String token = ctx.pathParamMap().get("token");
        if (token == null) throw new IllegalStateException(ctx.path() + " has the shared rule but no {token}");
        ShareLinks.Link link = accounts.shares().resolve(token).orElseThrow(() -> ShareAccess.notFound(ctx));
        Site site = sites.findById(link.siteId()).orElseThrow(() -> ShareAccess.notFound(ctx));
        // Not for search engines, and not kept by the browser past a revocation.
        ctx.header("X-Robots-Tag", "noindex, nofollow");
        ctx.header("Cache-Control", "private, no-cache");
        ctx.attribute(CALLER, Caller.ANONYMOUS);
        ctx.attribute(ShareAccess.LINK, link);
        ctx.attribute(SiteAccess.SITE, site);
    }

    private void siteRule(Context ctx, Caller caller, Access rule) {
        String key = ctx.pathParamMap().get("site");
        if (key == null) throw new IllegalStateException(ctx.path() + " has a site rule but no {site}");
        Site site = sites.findByKey(key).orElseThrow(() -> ApiError.notFound("unknown site"));
        Role role = siteAccess.roleOn(caller, site).orElseThrow(() -> ApiError.notFound("unknown site"));
        if (rule == Access.SITE_WRITE && !role.canChange()) {
            throw ApiError.refused(403, null, "viewers of this site cannot change it: ask one of its owners");
        }
        ctx.attribute(SiteAccess.SITE, site);
        ctx.attribute(SiteAccess.ROLE, role);
    }
}
