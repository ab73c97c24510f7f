package io.isotherm.dashboard;

import io.isotherm.accounts.AccountError;
import io.isotherm.accounts.Accounts;
import io.isotherm.capture.CaptureQueue;
import io.isotherm.capture.CaptureReads;
import io.isotherm.capture.CaptureResults;
import io.isotherm.capture.CaptureWorker;
import io.isotherm.capture.HtmlSnapshot;
import io.isotherm.capture.PageCapturer;
import io.isotherm.dashboard.access.AccessMode;
import io.isotherm.dashboard.access.AccountApi;
import io.isotherm.dashboard.access.FirstAdmin;
import io.isotherm.dashboard.access.Guard;
import io.isotherm.dashboard.access.InviteLinks;
import io.isotherm.dashboard.access.UserAdminApi;
import io.isotherm.dashboard.export.ExportApi;
import io.isotherm.dashboard.export.Exporter;
import io.isotherm.dashboard.groups.PageGroupApi;
import io.isotherm.dashboard.reports.CountryApi;
import io.isotherm.dashboard.reports.EngagementApi;
import io.isotherm.dashboard.sites.SiteAdminApi;
import io.isotherm.dashboard.web.WebUi;
import io.isotherm.db.site.InvalidSiteSetting;
import io.isotherm.db.segment.InvalidSegmentFilter;
import io.isotherm.db.site.SiteDao;
import io.isotherm.grid.GridGeometry;
import io.javalin.config.JavalinConfig;
import org.jdbi.v3.core.Jdbi;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * The dashboard role: the pages at {@code /}, the read API (JSON reports under {@code /api/sites/{site}/}, see
 * docs/API.md), accounts and site administration, the captures API, share links and
 * the views they open ({@code /share/{token}}), and a worker from the capture module
 * ({@link io.isotherm.capture.CaptureWorker}) that shoots queued screenshots.
 * Every route carries an {@link io.isotherm.dashboard.access.Access} rule that the {@link Guard} enforces.
 */
public final class Dashboard implements AutoCloseable {
    private final DashboardSettings settings;
    private final Guard guard;
    private final AccountApi accountApi;
    private final UserAdminApi userAdmin;
    private final SiteAdminApi siteAdmin;
    private final PageGroupApi groups;
    private final PlatformApi platformApi;
    private final ReadApi api;
    private final CountryApi countries;
    private final EngagementApi engagement;
    private final CaptureApi captures;
    private final ExportApi exports;
    private final ShareLinkApi shareLinks;
    private final SharedViewApi sharedViews;
    private final PageCapturer capturer;
    private final CaptureWorker worker;

    public Dashboard(Jdbi jdbi, GridGeometry grid, DashboardSettings settings) {
        this(jdbi, grid, settings, Clock.systemUTC());
    }

    /** @param clock decides "today" for the default date range */
    Dashboard(Jdbi jdbi, GridGeometry grid, DashboardSettings settings, Clock clock) {
        this.settings = settings;
        var access = settings.access();
        var accounts = new Accounts(jdbi, access.sessionIdle(), access.sessionMax());
        var sites = new SiteDao(jdbi);
        if (access.mode() == AccessMode.ACCOUNTS) FirstAdmin.createFromSettings(access, accounts.users());
        this.guard = new Guard(access, accounts, sites);
        var links = new InviteLinks();
        this.accountApi = new AccountApi(access, accounts, sites, guard.siteAccess());
        this.userAdmin = new UserAdminApi(accounts, sites, links);
        this.siteAdmin = new SiteAdminApi(jdbi, accounts, guard.siteAccess(), links, access.publicUrl());
        this.groups = new PageGroupApi(jdbi, clock);
        this.platformApi = new PlatformApi(grid, settings);
        this.api = new ReadApi(jdbi, grid, guard.siteAccess(), clock);
        this.countries = new CountryApi(jdbi, clock);
        this.engagement = new EngagementApi(jdbi, clock);
        this.captures = new CaptureApi(jdbi, grid, settings.uploadMaxBytes(), settings.uploadMaxPixels());
        this.exports = new ExportApi(new Exporter(new ExportSources(jdbi, grid, clock), new CaptureReads(jdbi),
                new HtmlSnapshot(settings.capture(), Duration.ofSeconds(30))));
        this.shareLinks = new ShareLinkApi(jdbi, access.mode(), accounts, clock);
        this.sharedViews = new SharedViewApi(jdbi, grid, api, clock);
        this.capturer = new PageCapturer(settings.capture());
        this.worker = settings.captureWorker()
                ? new CaptureWorker(new CaptureQueue(jdbi), new CaptureResults(jdbi), capturer, settings.capture(), grid.layoutWidths(), clock)
                        .start(settings.firstEventCaptures())
                : null;
    }

    public void routes(JavalinConfig config) {
        config.routes.beforeMatched(guard);
        new WebUi().routes(config);
        accountApi.routes(config);
        userAdmin.routes(config);
        siteAdmin.routes(config);
        groups.routes(config);
        platformApi.routes(config);
        api.routes(config);
        countries.routes(config);
        engagement.routes(config);
        captures.routes(config);
        exports.routes(config);
        shareLinks.routes(config);
        sharedViews.routes(config);
        // The dashboard's one mapping of expected errors to JSON: its own, and those of the accounts and site rules.
        config.routes.exception(ApiError.class, (e, ctx) -> e.respond(ctx));
        config.routes.exception(AccountError.class, (e, ctx) -> ApiError.refused(e.status(), e.field(), e.getMessage()).respond(ctx));
        config.routes.exception(InvalidSiteSetting.class, (e, ctx) -> ApiError.badParameter(e.field(), e.getMessage()).respond(ctx));
        config.routes.exception(InvalidSegmentFilter.class, (e, ctx) -> ApiError.badParameter(e.field(), e.getMessage()).respond(ctx));
    }

    /** The one-time link to create the first administrator, while there is none (the launcher prints it). */
    public Optional<String> setupPath() {
        return accountApi.setupPath();
    }

    /** "running", or what keeps this dashboard from shooting captures. */
    public String status() {
        if (worker == null) return "running (no capture worker)";
        return capturer.unavailable().map(why -> "running; captures fail: " + why).orElse("running");
    }

    @Override
    public void close() {
        if (worker != null) worker.close();
    }
}
