package io.isotherm.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.isotherm.dashboard.AccountsBrowser;
import io.isotherm.testing.ViewerTestHooks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.WebElement;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The whole path of a newcomer, in real browsers against the whole platform (every role, the accounts mode, a fresh
 * data directory): set up the first administrator, add a site for their own website, paste the tag the Install tab
 * shows, visit the website and click, watch the installation check see the visit, open the page's heatmap, invite a
 * colleague as a viewer; the colleague, from another address of this machine, accepts the invitation and finds the one
 * site they were invited to, read-only.
 */
class NewcomerJourneyTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN_EMAIL = "ana@shop.example";
    private static final String ADMIN_PASSWORD = "correct horse battery";
    private static final String VIEWER_EMAIL = "vic@shop.example";
    private static final String VIEWER_PASSWORD = "a viewer's own password";
    /** The administrator's browser runs in Berlin: the new site's time zone must come from the browser, not be UTC. */
    private static final String ADMIN_ZONE = "Europe/Berlin";
    private static final int CLICKS = 3;
    /** How long the journey waits for what a page shows (beyond the installation check's own waits). */
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final Duration CHECK_WAIT = Duration.ofSeconds(30);
    /** A person's desktop browser: wider than the dashboard tests' window. */
    private static final int WINDOW_WIDTH = 1600;
    private static final int WINDOW_HEIGHT = 1000;

    @TempDir
    Path temp;

    private Platform platform;
    private JourneyShop shop;
    private AccountsBrowser admin;
    private AccountsBrowser colleague;
    private long started;

    @AfterEach
    void closeEverything() {
        for (AutoCloseable c : new AutoCloseable[] {colleague, admin, shop, platform}) {
            if (c == null) continue;
            try {
                c.close();
            } catch (Exception e) {
                System.err.println("closing " + c.getClass().getSimpleName() + ": " + e);
            }
        }
    }

    @Test
    void a_newcomer_sets_up_records_a_first_heatmap_and_invites_a_read_only_colleague() throws Exception {
        started = System.nanoTime();
        platform = Platform.start(Settings.fromEnvironment(Map.of(
                "ISOTHERM_DATA_DIR", temp.resolve("data").toString(),
                "ISOTHERM_PORT", "0",
                "ISOTHERM_BIND_ADDRESS", "0.0.0.0",
                "ISOTHERM_ROLES", "all",
                "ISOTHERM_CAPTURE_WORKER", "false",
                "ISOTHERM_AGGREGATE_INTERVAL_SECONDS", "1")));
        int port = platform.port();
        String dashboard = "http://127.0.0.1:" + port;
        shop = new JourneyShop();
        admin = browser(temp.resolve("admin-profile"), ADMIN_ZONE);
        ViewerTestHooks.enable(admin.driver()); // step 6 reads the viewer through window.isothermViewer
        step("platform, shop and browser started");

        // 1. A fresh platform sends the first visitor to the setup page: no administrator exists yet.
        admin.open(dashboard + "/");
        admin.waitForPath("/setup", WAIT);
        admin.waitForText("#card-title", "Create the first administrator", WAIT);
        admin.type("#setup-form input[name=email]", ADMIN_EMAIL, WAIT);
        admin.type("#setup-form input[name=password]", ADMIN_PASSWORD, WAIT);
        admin.type("#setup-form input[name=repeat]", ADMIN_PASSWORD, WAIT);
        admin.click("#setup-form button[type=submit]", WAIT);
        admin.waitForPath("/new-site", WAIT);
        step("1. administrator created on /setup");

        // 2. The first site: the newcomer's own website, with the time zone this browser is in already chosen.
        admin.waitFor("#site-form", WAIT);
        String browserZone = (String) admin.js("return Intl.DateTimeFormat().resolvedOptions().timeZone");
        assertThat(browserZone).as("the browser's own time zone").isEqualTo(ADMIN_ZONE);
        assertThat(admin.find("#site-form select[name=timeZone]").getAttribute("value"))
                .as("the time zone preselected on /new-site").isEqualTo(ADMIN_ZONE);
        admin.type("#site-form input[name=name]", "Shop", WAIT);
        admin.type("#site-form textarea[name=origins]", shop.origin(), WAIT);
        admin.click("#site-form button[type=submit]", WAIT);
        admin.waitForPath("/site?site=", WAIT);
        admin.until("the new site opens on its Install tab", WAIT, () -> admin.path().contains("tab=install"));
        String shopKey = query(admin.url(), "site");
        assertThat(shopKey).as("the site key in the address").isNotBlank();
        admin.waitForText("#main h1", "Shop", WAIT);
        assertThat(admin.text(".page-head p")).as("the site's heading line")
                .contains(shop.origin()).contains(ADMIN_ZONE);
        step("2. site Shop added, Install tab " + admin.path());

        // 3. The tag to paste, as the code box shows it; the Copy button answers.
        WebElement code = admin.waitFor("#install-code pre", WAIT);
        String snippet = code.getText().trim();
        assertThat(snippet).as("the tag on the Install tab")
                .contains("src=\"" + dashboard + "/t.js\"")
                .contains("data-site=\"" + shopKey + "\"")
                .startsWith("<script").endsWith("</script>");
        assertThat(admin.text("#public-url-note")).as("the note that the address was guessed")
                .contains("ISOTHERM_PUBLIC_URL").contains(dashboard);
        WebElement copy = admin.find("#install-code button.copy");
        copy.click();
        admin.until("the Copy button says it copied (or how to)", WAIT,
                () -> List.of("Copied", "Press Ctrl+C").contains(copy.getText()));
        if (copy.getText().equals("Press Ctrl+C")) {
            // The browser refused the clipboard: the page selected the tag instead, for Ctrl+C.
            assertThat(((String) admin.js("return getSelection().toString()")).trim()).isEqualTo(snippet);
        }
        shop.paste(snippet);
        step("3. tag copied: " + snippet);

        // 4. A visit to the newcomer's website: a few clicks on the big button, then back to Isotherm (the page is
        // hidden, so the tracker sends its batch).
        admin.open(shop.pageUrl());
        admin.waitFor("#buy", WAIT);
        admin.until("the tracker script is on the page and loaded", WAIT, () -> (Boolean) admin.js(
                "return !!document.querySelector('script[data-site]')"
                        + " && performance.getEntriesByType('resource').some((e) => e.name.endsWith('/t.js'))"));
        @SuppressWarnings("unchecked")
        Map<String, Number> buttonCentre = (Map<String, Number>) admin.js("""
                const r = document.getElementById('buy').getBoundingClientRect();
                return {x: Math.round(r.left + r.width / 2 + scrollX), y: Math.round(r.top + r.height / 2 + scrollY)};""");
        for (int i = 0; i < CLICKS; i++) {
            admin.find("#buy").click();
            // A person's pace: clicks more than 1 s apart are ordinary clicks, not a rage burst.
            AccountsBrowser.pause(1100);
        }
        step("4. " + CLICKS + " clicks on " + shop.pageUrl());

        // 5. The installation check shows the visit within seconds.
        admin.open(dashboard + "/site?site=" + shopKey + "&tab=install");
        admin.waitFor("#install-check", WAIT);
        admin.until("the installation check shows a stored batch from " + shop.pageUrl(), CHECK_WAIT,
                () -> storedLastHour(admin) >= 1 && !admin.findAll("#last-batch .url").isEmpty()
                        && admin.text("#last-batch .url").equals(shop.pageUrl()));
        assertThat(admin.text("#last-batch")).as("the last batch line").startsWith("Last batch received").contains("(desktop)");
        assertThat(cell(admin, "bot")).as("batches dropped as bots in the last hour").isEqualTo("0");
        assertThat(admin.findAll("#install-check tr.refused")).as("refused batches").isEmpty();
        step("5. installation check: " + admin.text("#last-batch"));

        // 6. The heatmap: the Pages tab lists the landing page (once aggregated; a person reloads), which opens the
        // viewer with the clicks drawn.
        admin.click("#tab-pages", WAIT);
        String row = "#pages-table tr[data-page=\"" + shop.pageUrl() + "\"]";
        long[] reloaded = {System.nanoTime()};
        admin.until("the Pages tab lists " + shop.pageUrl() + " with 1 page view and " + CLICKS + " clicks", CHECK_WAIT, () -> {
            List<WebElement> cells = admin.findAll(row + " td");
            if (cells.size() >= 3 && cells.get(1).getText().equals("1") && cells.get(2).getText().equals(String.valueOf(CLICKS))) {
                return true;
            }
            // Not aggregated yet: a person reloads the page.
            if (System.nanoTime() - reloaded[0] > 3_000_000_000L && !admin.findAll("#pages-table, #pages-empty").isEmpty()) {
                admin.driver().navigate().refresh();
                reloaded[0] = System.nanoTime();
            }
            return false;
        });
        WebElement pageLink = admin.find(row + " a.page-title");
        // Titles come from screenshots (capture is off): the page is listed by its path.
        assertThat(pageLink.getText()).as("the page in the list").isEqualTo(JourneyShop.PAGE);
        pageLink.click();
        admin.waitForPath("/view?", WAIT);
        assertThat(query(admin.url(), "site")).isEqualTo(shopKey);
        assertThat(query(admin.url(), "page")).isEqualTo(shop.pageUrl());
        Object viewerError = admin.async("""
                const done = arguments[arguments.length - 1];
                const wait = () => window.isothermViewer
                  ? window.isothermViewer.ready.then((r) => window.isothermViewer.settled().then(() => done(r.error)))
                  : setTimeout(wait, 20);
                wait();""");
        assertThat(viewerError).as("the viewer's load error").isNull();
        // Capture is off: no screenshot, the heatmap is drawn over a blank page of the right size, and says so.
        assertThat(admin.text("#frames")).as("what the viewer shows without a screenshot")
                .contains("No screenshot of this page yet").contains(CLICKS + " clicks");
        assertThat((Boolean) admin.js("""
                isothermViewer.drawAll();
                for (const c of isothermViewer.frames()[0].heat.element.querySelectorAll('canvas')) {
                  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                  for (let p = 3; p < d.length; p += 4) if (d[p] !== 0) return true;
                }
                return false;""")).as("the heat layer has coloured pixels").isTrue();
        long heatAtButton = ((Number) admin.js("""
                const [x, y] = arguments;
                isothermViewer.drawAll();
                const c = [...isothermViewer.frames()[0].heat.element.querySelectorAll('canvas')]
                  .find((c) => y >= +c.dataset.top && y < +c.dataset.top + c.height);
                return c ? c.getContext('2d').getImageData(x, y - c.dataset.top, 1, 1).data[3] : -1;""",
                buttonCentre.get("x"), buttonCentre.get("y"))).longValue();
        assertThat(heatAtButton).as("the heat layer's opacity where the button was clicked " + buttonCentre).isPositive();
        WebElement buy = admin.waitFor("#elements-list button.element[data-selector=\"#buy\"]", WAIT);
        assertThat(buy.getText()).as("the button in the elements panel").contains("#buy").contains(CLICKS + " · 100");
        step("6. viewer drew the heatmap; elements panel: " + buy.getText().replace('\n', ' '));

        // 7a. A second site, which the colleague must not see.
        admin.open(dashboard + "/");
        admin.click("#new-site", WAIT);
        admin.waitForPath("/new-site", WAIT);
        admin.type("#site-form input[name=name]", "Blog", WAIT);
        admin.type("#site-form textarea[name=origins]", "https://blog.example", WAIT);
        admin.click("#site-form button[type=submit]", WAIT);
        admin.until("the Blog site opens", WAIT, () -> admin.path().startsWith("/site?site=") && !query(admin.url(), "site").equals(shopKey));
        String blogKey = query(admin.url(), "site");
        admin.waitForText("#main h1", "Blog", WAIT);
        step("7a. second site Blog added: " + blogKey);

        // 7b. The Team tab of Shop: a one-time link for a viewer.
        admin.open(dashboard + "/site?site=" + shopKey + "&tab=team");
        admin.type("#member-invite-form input[name=email]", VIEWER_EMAIL, WAIT);
        admin.click("#member-invite-form input[name=role][value=viewer]", WAIT);
        admin.click("#member-invite-form button[type=submit]", WAIT);
        WebElement linkBox = admin.waitFor("#member-invite-result input.secret", WAIT);
        String link = linkBox.getAttribute("value");
        assertThat(admin.text("#member-invite-result")).contains(VIEWER_EMAIL).contains("as a viewer");
        WebElement copyLink = admin.find("#member-invite-result button.copy");
        copyLink.click();
        admin.until("the link's Copy button says it copied", WAIT,
                () -> List.of("Copied", "Press Ctrl+C").contains(copyLink.getText()));
        admin.waitForText("#member-invites", VIEWER_EMAIL, WAIT);
        URI invite = URI.create(link);
        assertThat(invite.getPath()).isEqualTo("/invite");
        assertThat(invite.getRawQuery()).startsWith("token=");
        step("7b. invitation link " + invite.getPath());

        // 8. The colleague, on another address of this machine, accepts it.
        Optional<String> lan = nonLoopbackIpv4();
        assumeTrue(lan.isPresent(), "this machine has no non-loopback IPv4 address: the colleague cannot come from another address");
        String there = "http://" + lan.get() + ":" + port;
        colleague = browser(temp.resolve("colleague-profile"), "UTC");
        colleague.open(there + invite.getRawPath() + "?" + invite.getRawQuery());
        colleague.waitFor("#invite-form", WAIT);
        assertThat(colleague.text("#invite-what")).as("what the invitation is for").contains("Shop").contains("viewer");
        assertThat(colleague.text("#invite-email")).isEqualTo(VIEWER_EMAIL);
        colleague.type("#invite-form input[name=password]", VIEWER_PASSWORD, WAIT);
        colleague.type("#invite-form input[name=repeat]", VIEWER_PASSWORD, WAIT);
        colleague.click("#invite-form button[type=submit]", WAIT);
        colleague.until("the colleague lands on the sites page", WAIT,
                () -> colleague.url().equals(there + "/") || colleague.url().startsWith(there + "/?"));
        colleague.waitForText("#main h1", "Shop", WAIT);
        assertThat(colleague.findAll(".site-tabs")).as("a choice of sites (there is only one)").isEmpty();
        assertThat(colleague.pageText()).as("the colleague's sites page").doesNotContain("Blog");
        assertThat(colleague.findAll("#new-site")).as("New site, for administrators").isEmpty();
        assertThat(colleague.findAll("a[data-nav=users]")).as("Users, for administrators").isEmpty();
        JsonNode sites = JSON.readTree((String) colleague.fetch("GET", "/api/sites", null, false).get("body")).get("sites");
        assertThat(sites).as("the colleague's sites").hasSize(1);
        assertThat(sites.get(0).get("key").asText()).isEqualTo(shopKey);
        assertThat(sites.get(0).get("role").asText()).isEqualTo("viewer");
        step("8a. colleague signed in from " + there + ", sees only Shop");

        // Settings: read-only, nothing to save, nothing to delete.
        colleague.click("nav.site-links a[data-tab=settings]", WAIT);
        colleague.waitForPath("/site?site=" + shopKey, WAIT);
        colleague.waitFor("#settings-form", WAIT);
        assertThat(colleague.text("#read-only-note")).contains("viewer").contains("only its owners can change them");
        assertThat(colleague.find("#settings-form input[name=name]").isEnabled()).as("the name field is editable").isFalse();
        assertThat(colleague.find("#settings-form input[name=name]").getAttribute("value")).isEqualTo("Shop");
        assertThat(colleague.findAll("#settings-form button[type=submit]").stream().filter(WebElement::isEnabled).toList())
                .as("enabled save buttons").isEmpty();
        assertThat(colleague.findAll("#danger")).as("the danger zone").isEmpty();
        assertThat(colleague.findAll("#delete-site")).as("a delete button").isEmpty();

        // The API refuses a change from the viewer's own browser, with the session's CSRF token.
        String site = (String) colleague.fetch("GET", "/api/sites/" + shopKey, null, false).get("body");
        JsonNode renamed = JSON.readTree(site);
        ((com.fasterxml.jackson.databind.node.ObjectNode) renamed).put("name", "Renamed by a viewer");
        ((com.fasterxml.jackson.databind.node.ObjectNode) renamed).remove(List.of("key", "role"));
        Map<String, Object> put = colleague.fetch("PUT", "/api/sites/" + shopKey, renamed.toString(), true);
        assertThat(((Number) put.get("status")).intValue()).as("PUT by a viewer: " + put.get("body")).isEqualTo(403);
        Map<String, Object> delete = colleague.fetch("DELETE", "/api/sites/" + shopKey, "{\"confirm\":\"Shop\"}", true);
        assertThat(((Number) delete.get("status")).intValue()).as("DELETE by a viewer: " + delete.get("body")).isEqualTo(403);
        assertThat(JSON.readTree((String) colleague.fetch("GET", "/api/sites/" + shopKey, null, false).get("body")).get("name").asText())
                .as("the site's name after the refused change").isEqualTo("Shop");

        // Blog answers exactly as a site that does not exist.
        Map<String, Object> blog = colleague.fetch("GET", "/api/sites/" + blogKey, null, false);
        Map<String, Object> nothing = colleague.fetch("GET", "/api/sites/nosuchsite2345678", null, false);
        assertThat(((Number) blog.get("status")).intValue()).as("GET Blog by Shop's viewer").isEqualTo(404);
        assertThat(blog.get("body")).isEqualTo(nothing.get("body"));
        colleague.open(there + "/api/sites/" + URLEncoder.encode(blogKey, StandardCharsets.UTF_8));
        assertThat(colleague.pageText()).as("/api/sites/BLOG opened in the colleague's browser")
                .contains((String) nothing.get("body"))
                .doesNotContain("Blog");
        step("8b. viewer: Settings read-only, PUT/DELETE 403, Blog 404");
    }

    /**
     * A person's browser: Debian's headless Chromium with a fresh profile, an ordinary desktop user agent (the
     * collector drops HeadlessChrome as a bot), a desktop window and its own time zone.
     */
    private static AccountsBrowser browser(Path profile, String timeZone) {
        return AccountsBrowser.start(profile, AccountsBrowser.CHROME_ON_LINUX, timeZone, WINDOW_WIDTH, WINDOW_HEIGHT);
    }

    /** The "Stored" count of the last hour in the installation check; -1 while it is not shown. */
    private static long storedLastHour(AccountsBrowser b) {
        String text = cell(b, "stored");
        return text == null ? -1 : Long.parseLong(text.replaceAll("\\D", "").isEmpty() ? "-1" : text.replaceAll("\\D", ""));
    }

    /** The last-hour cell of an outcome's row of the installation check, or null. */
    private static String cell(AccountsBrowser b, String outcome) {
        List<WebElement> cells = b.findAll("#install-check tr[data-outcome=" + outcome + "] td.n");
        return cells.isEmpty() ? null : cells.get(0).getText().trim();
    }

    private static String query(String url, String name) {
        String q = URI.create(url).getRawQuery();
        if (q == null) return "";
        for (String pair : q.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return "";
    }

    /** The first IPv4 address of an interface that is up and not the loopback: another address of this machine. */
    private static Optional<String> nonLoopbackIpv4() throws SocketException {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nic.isUp() || nic.isLoopback()) continue;
            for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                if (address instanceof Inet4Address && !address.isLoopbackAddress() && !address.isLinkLocalAddress()) {
                    return Optional.of(address.getHostAddress());
                }
            }
        }
        return Optional.empty();
    }

    private void step(String what) {
        System.out.printf("[journey %5.1f s] %s%n", (System.nanoTime() - started) / 1e9, what);
    }
}
