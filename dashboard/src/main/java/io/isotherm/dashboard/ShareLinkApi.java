package io.isotherm.dashboard;

import io.isotherm.accounts.Accounts;
import io.isotherm.accounts.ShareLinks;
import io.isotherm.accounts.User;
import io.isotherm.dashboard.access.Access;
import io.isotherm.dashboard.access.AccessMode;
import io.isotherm.dashboard.access.Guard;
import io.isotherm.dashboard.access.InviteLinks;
import io.isotherm.dashboard.access.SiteAccess;
import io.isotherm.db.device.DeviceClass;
import io.isotherm.db.page.PageDao;
import io.isotherm.db.site.Site;
import io.isotherm.grid.HeatmapQuery;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import org.jdbi.v3.core.Jdbi;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A site's share links (docs/API.md, "Share links"): owners make a read-only link to one view, list and revoke them;
 * viewers see the list. The link itself is answered once, at creation; {@link SharedViewApi} serves what it opens.
 */
final class ShareLinkApi {
    static final List<String> MAPS = List.of("click", "move", "scroll", "attention");
    static final int MAX_DAYS_VALID = 365;
    private static final Pattern PALETTE = Pattern.compile("[a-z0-9-]{1,40}");
    private static final String EXAMPLE = "{\"page\": \"https://shop.example/pricing\", \"map\": \"click\", \"device\": \"desktop\", "
            + "\"preset\": \"30d\", \"palette\": \"viridis\", \"expiresInDays\": 30}";
    static final String LOCAL_ONLY = "share links need sign-in (ISOTHERM_DASHBOARD_ACCESS=accounts): in the local and open "
            + "modes this dashboard lets in this machine or everyone, not the holder of a link";

    /** The body of {@code POST /shares}: a view, and how long the link lasts (null: until revoked). */
    record ShareBody(String page, String map, String device, String preset, String from, String to, String palette, Double sigma,
                     Integer expiresInDays) {}

    private final AccessMode mode;
    private final ShareLinks shares;
    private final Accounts accounts;
    private final SiteLookup lookup;
    private final PageDao pages;
    private final Clock clock;

    ShareLinkApi(Jdbi jdbi, AccessMode mode, Accounts accounts, Clock clock) {
        this.mode = mode;
        this.shares = accounts.shares();
        this.accounts = accounts;
        this.lookup = new SiteLookup(jdbi);
        this.pages = new PageDao(jdbi);
        this.clock = clock;
    }

    void routes(JavalinConfig config) {
        config.routes.get("/api/sites/{site}/shares", this::list, Access.SITE_READ);
        config.routes.post("/api/sites/{site}/shares", this::create, Access.SITE_WRITE);
        config.routes.delete("/api/sites/{site}/shares/{id}", this::revoke, Access.SITE_WRITE);
    }

    private void list(Context ctx) {
        Site site = SiteAccess.site(ctx);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("available", mode == AccessMode.ACCOUNTS);
        body.put("reason", mode == AccessMode.ACCOUNTS ? null : LOCAL_ONLY);
        body.put("shares", shares.list(site.id()).stream().map(link -> json(site, link)).toList());
        ctx.json(body);
    }

    private void create(Context ctx) {
        if (mode != AccessMode.ACCOUNTS) throw ApiError.refused(409, null, LOCAL_ONLY);
        Site site = SiteAccess.site(ctx);
        ShareBody body = JsonBody.read(ctx, ShareBody.class, EXAMPLE);
        ShareLinks.View view = view(site, body);
        Duration validFor = null;
        if (body.expiresInDays() != null) {
            if (body.expiresInDays() < 1 || body.expiresInDays() > MAX_DAYS_VALID) {
                throw ApiError.badParameter("expiresInDays", "expiresInDays must be a whole number of days from 1 to " + MAX_DAYS_VALID
                        + ", or null for a link that lasts until it is revoked");
            }
            validFor = Duration.ofDays(body.expiresInDays());
        }
        User user = Guard.caller(ctx).user();
        ShareLinks.Created created = shares.create(site.id(), view, validFor, user == null ? null : user.id());
        Map<String, Object> json = json(site, created.link());
        json.put("link", InviteLinks.origin(ctx) + "/share/" + created.secret());
        ctx.status(201).json(json);
    }

    private void revoke(Context ctx) {
        Site site = SiteAccess.site(ctx);
        if (!shares.revoke(site.id(), PathIds.of(ctx, "id", "unknown share link"))) throw ApiError.notFound("unknown share link");
        ctx.status(204);
    }

    /** The view of a body, each part checked; what is left out takes the viewer's default. */
    private ShareLinks.View view(Site site, ShareBody body) {
        if (body.page() == null || body.page().isBlank()) throw ApiError.badParameter("page", "page is required: the page's URL");
        String map = body.map() == null ? MAPS.get(0) : body.map();
        if (!MAPS.contains(map)) throw ApiError.badParameter("map", "map must be " + String.join(" or ", MAPS));
        String device = body.device() == null ? DeviceClass.NAMES.get(0) : body.device();
        if (!DeviceClass.NAMES.contains(device)) throw ApiError.badParameter("device", "device must be " + DeviceClass.namesText());
        String palette = body.palette() == null ? "viridis" : body.palette();
        if (!PALETTE.matcher(palette).matches()) throw ApiError.badParameter("palette", "palette must be a palette's name, like viridis");
        Double sigma = body.sigma();
        if (sigma != null && !(sigma >= HeatmapQuery.MIN_SIGMA_PX && sigma <= HeatmapQuery.MAX_SIGMA_PX)) {
            throw ApiError.badParameter("sigma", "sigma must be a number of px from %d to %d".formatted(
                    (int) HeatmapQuery.MIN_SIGMA_PX, (int) HeatmapQuery.MAX_SIGMA_PX));
        }
        String preset = null;
        DateRange fixed = null;
        if (body.from() != null || body.to() != null) {
            if (body.preset() != null) throw ApiError.badParameter("preset", "give a preset or from and to, not both");
            if (body.from() == null || body.to() == null) throw ApiError.badParameter(body.from() == null ? "from" : "to",
                    "a fixed range needs both from and to");
            fixed = DateRange.parse(body.from(), body.to(), today(site));
        } else {
            preset = body.preset() == null ? "30d" : body.preset();
            if (!DateRange.PRESETS.contains(preset)) throw ApiError.badParameter("preset", "preset must be " + String.join(" or ", DateRange.PRESETS));
        }
        long page = lookup.page(site, body.page().trim()); // last: the one check that reads the database
        return new ShareLinks.View(page, map, device, preset, fixed == null ? null : fixed.from(), fixed == null ? null : fixed.to(),
                palette, sigma);
    }

    private LocalDate today(Site site) {
        return LocalDate.now(clock.withZone(ZoneId.of(site.timeZone())));
    }

    /** A link as the list shows it: its view, who made it, and whether it still opens. */
    private Map<String, Object> json(Site site, ShareLinks.Link link) {
        ShareLinks.View view = link.view();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", link.id());
        json.put("page", pages.url(site.id(), view.pageId()).orElse(null));
        json.put("map", view.map());
        json.put("device", view.device());
        json.put("preset", view.preset());
        json.put("from", view.from() == null ? null : view.from().toString());
        json.put("to", view.to() == null ? null : view.to().toString());
        json.put("palette", view.palette());
        json.put("sigma", view.sigma());
        json.put("createdBy", link.createdBy() == null ? null : accounts.users().find(link.createdBy()).map(User::email).orElse(null));
        json.put("createdAt", link.createdAt().toString());
        json.put("expiresAt", link.expiresAt() == null ? null : link.expiresAt().toString());
        json.put("revokedAt", link.revokedAt() == null ? null : link.revokedAt().toString());
        json.put("status", link.revokedAt() != null ? "revoked" : link.live() ? "live" : "expired");
        return json;
    }
}
