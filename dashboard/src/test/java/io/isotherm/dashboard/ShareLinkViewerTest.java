package io.isotherm.dashboard;

import io.isotherm.accounts.Accounts;
import io.isotherm.accounts.Role;
import io.isotherm.dashboard.access.AccessSettings;
import io.isotherm.db.site.Site;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static io.isotherm.dashboard.DashboardServer.TODAY;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A share link in real browsers: the owner makes it with Share in the viewer and revokes it in the site's settings;
 * a fresh browser that never signed in opens it, sees the view with its heat and nothing that leads elsewhere, and
 * every other URL with the token answers 404; once revoked, the link itself does.
 */
class ShareLinkViewerTest {
    static final String PASSWORD = "a long enough password";
    static final String PRICING = "https://shop.example/pricing";
    static final String ABOUT = "https://shop.example/about";

    @TempDir
    static Path profiles;
    static DashboardServer server;
    static Site shop;
    static long aboutCapture;

    @BeforeAll
    static void start() {
        server = DashboardServer.startWithAccounts(AccessSettings.defaults());
        Traffic traffic = server.traffic();
        shop = traffic.site("UTC");
        Instant t = TODAY.minusDays(1).atTime(12, 0).toInstant(ZoneOffset.UTC);
        long pricing = traffic.page(shop, PRICING);
        long about = traffic.page(shop, ABOUT);
        for (int i = 0; i < 5; i++) traffic.visit(shop, pricing).click(t, 300, 300, "#buy").send();
        traffic.visit(shop, about).click(t, 900, 900, null).send();
        traffic.aggregate();
        traffic.capture(shop, pricing, "desktop", 1440, 1600, 800, List.of(new Traffic.Box("#buy", 200, 250, 200, 100, "Buy now")));
        aboutCapture = traffic.capture(shop, about, "desktop", 1440, 1200, 800, List.of());
        Accounts accounts = new Accounts(server.db().jdbi());
        var owner = accounts.users().add("olga@example.com", PASSWORD, false);
        accounts.members().set(shop.id(), owner.id(), Role.OWNER);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    @Test
    void a_link_made_in_the_viewer_shows_its_one_view_to_a_browser_that_never_signed_in_until_it_is_revoked() {
        try (AccountsBrowser owner = AccountsBrowser.start(profiles.resolve("owner"));
             ViewerBrowser visitor = ViewerBrowser.start(profiles.resolve("visitor"))) {
            owner.signIn(server.url(), "olga@example.com", PASSWORD);
            owner.open(server.viewUrl(shop, PRICING, "&palette=inferno&preset=7d"));
            owner.click("#share");
            owner.waitForText("#share-dialog", "The click map of " + PRICING + " on Desktop, last 7 days, always the latest.");
            owner.find("#share-dialog select[name=expires] option[value='7']").click();
            owner.click("#share-create");
            String link = owner.waitFor("#share-result input").getAttribute("value");
            assertThat(link).startsWith(server.url() + "/share/isos_");
            assertThat(owner.text("#share-result")).contains("It works until");
            owner.click("#share-result .dialog-actions button");
            assertThat(owner.findAll("#share-dialog")).isEmpty();
            String path = URI.create(link).getPath();

            // A browser with no account and no cookie of this dashboard.
            visitor.open(link);
            visitor.settle();
            assertThat(visitor.driver().manage().getCookies()).isEmpty();
            assertThat(visitor.js("return isothermViewer.state.page")).isEqualTo(PRICING);
            assertThat(visitor.js("return isothermViewer.state.palette")).isEqualTo("inferno");
            assertThat(visitor.js("return isothermViewer.state.from")).isEqualTo(TODAY.minusDays(6).toString());
            assertThat(visitor.anyHeat(0)).as("the heat is drawn").isTrue();
            assertThat(visitor.find(".shots img").getAttribute("src")).startsWith(server.url() + path + "/captures/");
            assertThat(visitor.text("#crumb-page")).contains(PRICING);
            assertThat(visitor.text("#shared-badge")).startsWith("Shared view, until ");
            assertThat(visitor.text("#elements-list")).contains("Buy now");
            // Nothing that leads elsewhere or changes anything; the controls that would change the view are hidden.
            assertThat(visitor.findAll("a[href]")).isEmpty();
            assertThat(visitor.findAll("#captures-menu, #download, #export-menu, #share, #crumb-site")).isEmpty();
            for (String control : List.of("#map-switch", "#device-switch", "select[name=preset]", "select[name=cmp]", "#sigma-select")) {
                assertThat(visitor.find(control).isDisplayed()).as(control).isFalse();
            }
            assertThat(visitor.find("#scale-switch").isDisplayed()).as("how it looks may change").isTrue();
            assertThat(visitor.find("select[name=palette]").isEnabled()).isFalse();
            // Everything the page fetched came from the link or the viewer's own files.
            @SuppressWarnings("unchecked")
            List<String> fetched = (List<String>) visitor.js(
                    "return performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname)");
            assertThat(fetched).isNotEmpty().allMatch(p -> p.startsWith(path + "/") || p.startsWith("/ui/"), "under the link or /ui/");

            // Every other URL with the token answers 404, from the visitor's own page.
            for (String other : List.of(path + "/api/sites", path + "/pages", path + "/captures/" + aboutCapture + "/tiles/0",
                    path + "/captures/" + aboutCapture + "/elements", path + "/sites", path + "/view/" + shop.publicKey())) {
                assertThat(status(visitor, other)).as(other).isEqualTo(404);
            }
            assertThat(status(visitor, "/api/sites")).as("the site list needs an account").isEqualTo(401);
            assertThat(status(visitor, "/api/sites/" + shop.publicKey() + "/pages")).isEqualTo(401);
            assertThat(number(visitor, path + "/heatmap?page=" + ABOUT + "&device=mobile", "total")).as("fixed to the link's view").isEqualTo(5);

            // Listed in the site's settings, and revoked there.
            owner.open(server.url() + "/site?site=" + shop.publicKey() + "&tab=settings");
            owner.waitForText("#shares tr[data-status=live]", PRICING);
            assertThat(owner.text("#shares tr[data-status=live]")).contains("olga@example.com").contains("Last 7 days (rolling)");
            owner.click("#shares tr[data-status=live] button");
            owner.confirm();
            owner.waitFor("#shares tr[data-status=revoked]");
            assertThat(owner.findAll("#shares tr[data-status=revoked] button")).isEmpty();

            visitor.driver().navigate().refresh();
            assertThat(visitor.driver().getPageSource()).contains("not found").doesNotContain("Shared view");
            assertThat(status(visitor, path + "/view")).isEqualTo(404);
            assertThat(status(visitor, path + "/captures")).isEqualTo(404);
        }
    }

    /** The status of a GET made by the visitor's page, with its cookies (none). */
    static long status(ViewerBrowser browser, String path) {
        return ((Number) browser.async("""
                const [path, done] = arguments;
                fetch(path, {cache: 'no-store'}).then((r) => done(r.status), () => done(-1));""", path)).longValue();
    }

    static long number(ViewerBrowser browser, String path, String field) {
        @SuppressWarnings("unchecked")
        Map<String, Object> body = (Map<String, Object>) browser.async("""
                const [path, done] = arguments;
                fetch(path, {cache: 'no-store'}).then((r) => r.json()).then(done, () => done(null));""", path);
        return ((Number) body.get(field)).longValue();
    }
}
