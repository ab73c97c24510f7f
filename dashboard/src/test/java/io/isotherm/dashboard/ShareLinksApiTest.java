package io.isotherm.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import io.isotherm.accounts.Accounts;
import io.isotherm.accounts.Role;
import io.isotherm.accounts.Secrets;
import io.isotherm.accounts.ShareLinks;
import io.isotherm.dashboard.access.AccessSettings;
import io.isotherm.db.site.Site;
import io.isotherm.db.site.SiteDao;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static io.isotherm.dashboard.DashboardServer.TODAY;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Share links over HTTP with accounts: owners make, list and revoke them; a link opens its one view to anyone
 * without signing in, and nothing else; a revoked, expired or unknown link is the same 404; roles; the local mode.
 */
class ShareLinksApiTest {
    static final String PRICING = "https://shop.example/pricing";
    static final String ABOUT = "https://shop.example/about";

    static DashboardServer server;
    static Accounts accounts;
    static Site shop;
    static Site blog;
    static String ownerToken;
    static String viewerToken;
    static String strangerToken;
    static long pricingCapture;
    static long aboutCapture;

    @BeforeAll
    static void start() {
        server = DashboardServer.startWithAccounts(AccessSettings.defaults());
        Traffic traffic = server.traffic();
        shop = traffic.site("UTC");
        blog = new SiteDao(server.db().jdbi()).add("Blog", List.of("https://blog.example"), List.of());
        Instant t = TODAY.minusDays(1).atTime(12, 0).toInstant(ZoneOffset.UTC);
        long pricing = traffic.page(shop, PRICING);
        long about = traffic.page(shop, ABOUT);
        for (int i = 0; i < 3; i++) traffic.visit(shop, pricing).click(t, 200, 300, null).send();
        traffic.visit(shop, about).click(t, 900, 900, null).send();
        traffic.visit(shop, pricing, "mobile", 390, 800, 3000).click(t, 50, 50, null).send();
        traffic.aggregate();
        pricingCapture = traffic.capture(shop, pricing, "desktop", 1440, 1200, 800, List.of(new Traffic.Box("#buy", 100, 250, 200, 100, "Buy")));
        aboutCapture = traffic.capture(shop, about, "desktop", 1440, 1200, 800, List.of());

        accounts = new Accounts(server.db().jdbi());
        var owner = accounts.users().add("olga@example.com", "a long enough password", false);
        var viewer = accounts.users().add("vera@example.com", "a long enough password", false);
        var stranger = accounts.users().add("sam@example.com", "a long enough password", false);
        accounts.members().set(shop.id(), owner.id(), Role.OWNER);
        accounts.members().set(shop.id(), viewer.id(), Role.VIEWER);
        accounts.members().set(blog.id(), stranger.id(), Role.OWNER);
        ownerToken = accounts.tokens().create(owner.id(), "test", null, false).secret();
        viewerToken = accounts.tokens().create(viewer.id(), "test", null, false).secret();
        strangerToken = accounts.tokens().create(stranger.id(), "test", null, false).secret();
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    static DashboardServer.Response call(String token, String method, String path, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + path)).header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (token != null) request.header("Authorization", "Bearer " + token);
        return server.send(request);
    }

    static String shares(Site site) {
        return "/api/sites/" + site.publicKey() + "/shares";
    }

    /** A new link to the pricing page's click map on desktop; returns its path, /share/TOKEN. */
    static String share(String extraJson) {
        var created = call(ownerToken, "POST", shares(shop), "{\"page\": \"" + PRICING + "\", \"map\": \"click\", \"device\": \"desktop\""
                + extraJson + "}");
        assertThat(created.status()).as(created.json().toString()).isEqualTo(201);
        return URI.create(created.json().get("link").asText()).getPath();
    }

    static String encoded(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    @Test
    void an_owner_makes_a_link_that_is_shown_once_and_stored_only_as_a_hash() {
        var created = call(ownerToken, "POST", shares(shop), """
                {"page": "%s", "map": "move", "device": "mobile", "preset": "7d", "palette": "magma", "sigma": 24, "expiresInDays": 30}"""
                .formatted(PRICING));
        assertThat(created.status()).isEqualTo(201);
        JsonNode link = created.json();
        assertThat(link.get("link").asText()).startsWith(server.url() + "/share/" + ShareLinks.PREFIX);
        assertThat(link.get("page").asText()).isEqualTo(PRICING);
        assertThat(link.get("map").asText()).isEqualTo("move");
        assertThat(link.get("device").asText()).isEqualTo("mobile");
        assertThat(link.get("preset").asText()).isEqualTo("7d");
        assertThat(link.get("palette").asText()).isEqualTo("magma");
        assertThat(link.get("sigma").asDouble()).isEqualTo(24);
        assertThat(link.get("status").asText()).isEqualTo("live");
        assertThat(link.get("createdBy").asText()).isEqualTo("olga@example.com");
        assertThat(Instant.parse(link.get("expiresAt").asText())).isAfter(Instant.parse(link.get("createdAt").asText()).plusSeconds(29 * 86400));

        String secret = link.get("link").asText().substring((server.url() + "/share/").length());
        Map<String, Object> row = server.db().jdbi().withHandle(h -> h.createQuery("SELECT * FROM share_link WHERE share_id = :id")
                .bind("id", link.get("id").asLong()).mapToMap().one());
        assertThat((byte[]) row.get("token_hash")).isEqualTo(Secrets.hash(secret));
        assertThat(row.values()).noneMatch(value -> String.valueOf(value).contains(secret));

        var list = call(ownerToken, "GET", shares(shop), null);
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json().get("available").asBoolean()).isTrue();
        JsonNode listed = find(list.json().get("shares"), link.get("id").asLong());
        assertThat(listed.get("page").asText()).isEqualTo(PRICING);
        assertThat(listed.has("link")).as("the link is shown once, when it is made").isFalse();
        assertThat(list.json().toString()).doesNotContain(secret);
    }

    @Test
    void a_link_opens_its_view_to_anyone_without_signing_in_and_query_parameters_change_nothing() throws Exception {
        String path = share(", \"palette\": \"inferno\"");
        var view = server.get(path + "/view");
        assertThat(view.status()).isEqualTo(200);
        assertThat(view.json().get("page").asText()).isEqualTo(PRICING);
        assertThat(view.json().get("site").asText()).isEqualTo("Shop");
        assertThat(view.json().get("map").asText()).isEqualTo("click");
        assertThat(view.json().get("device").get("id").asText()).isEqualTo("desktop");
        assertThat(view.json().get("device").get("layoutWidth").asInt()).isEqualTo(1440);
        assertThat(view.json().get("from").asText()).as("the last 30 days by default").isEqualTo(TODAY.minusDays(29).toString());
        assertThat(view.json().get("to").asText()).isEqualTo(TODAY.toString());
        assertThat(view.json().get("palette").asText()).isEqualTo("inferno");

        // The same heatmap as the owner's read API gives for that view, whatever the query asks for.
        String scope = "?page=" + encoded(PRICING) + "&device=desktop&kind=click";
        var owners = call(ownerToken, "GET", "/api/sites/" + shop.publicKey() + "/heatmap" + scope, null);
        var shared = server.get(path + "/heatmap");
        assertThat(shared.status()).isEqualTo(200);
        assertThat(shared.json().get("total").asLong()).isEqualTo(3).isEqualTo(owners.json().get("total").asLong());
        assertThat(shared.json().get("values")).isEqualTo(owners.json().get("values"));
        var steered = server.get(path + "/heatmap?page=" + encoded(ABOUT) + "&device=mobile&kind=move&from=2024-01-01&to=2024-01-31&sigma=200");
        assertThat(steered.json()).isEqualTo(shared.json());
        HttpResponse<byte[]> binary = server.getBytes(path + "/heatmap.bin?page=" + encoded(ABOUT));
        assertThat(binary.statusCode()).isEqualTo(200);
        assertThat(binary.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/octet-stream"));
        assertThat(binary.headers().firstValue("X-Robots-Tag")).contains("noindex, nofollow");

        var elements = server.get(path + "/elements?page=" + encoded(ABOUT));
        assertThat(elements.status()).isEqualTo(200);
        assertThat(elements.json().toString()).isEqualTo(call(ownerToken, "GET", "/api/sites/" + shop.publicKey() + "/elements" + scope, null).json().toString());

        // Only the page's current screenshot on that device, with tiles under the link.
        var captures = server.get(path + "/captures?page=" + encoded(ABOUT));
        assertThat(captures.json().get("captures")).hasSize(1);
        JsonNode capture = captures.json().get("captures").get(0);
        assertThat(capture.get("id").asLong()).isEqualTo(pricingCapture);
        assertThat(capture.get("tiles").get(0).get("url").asText()).isEqualTo(path + "/captures/" + pricingCapture + "/tiles/0");
        assertThat(capture.toString()).doesNotContain("/api/").doesNotContain(shop.publicKey());
        assertThat(server.getBytes(path + "/captures/" + pricingCapture + "/tiles/1").statusCode()).isEqualTo(200);
        assertThat(server.get(path + "/captures/" + pricingCapture + "/elements").json().get("elements").get(0).get("selector").asText())
                .isEqualTo("#buy");
    }

    @Test
    void every_other_url_with_the_token_is_the_404_of_an_unknown_link() {
        String path = share("");
        String unknownLink = "/share/" + ShareLinks.PREFIX + "nosuchlink/view";
        assertThat(raw(unknownLink)).isEqualTo(unknownUrl(unknownLink));
        List<String> others = List.of(
                "/scroll", // a click map's link has no scroll map
                "/pages", "/calendar", "/api/sites", "/api/sites/" + shop.publicKey() + "/pages", "/api/platform", "/sites",
                "/captures/" + aboutCapture + "/tiles/0", "/captures/" + aboutCapture + "/elements", "/captures/" + aboutCapture,
                "/captures/" + pricingCapture, "/captures/" + pricingCapture + "/tiles/99", "/captures/x/tiles/0", "/view/more");
        for (String other : others) assertThat(raw(path + other)).as(other).isEqualTo(unknownUrl(path + other));
        assertThat(server.get(path + "/view").status()).as("the link itself still opens").isEqualTo(200);
        assertThat(server.getBytes(path).statusCode()).isEqualTo(200);
    }

    @Test
    void revoked_and_expired_links_answer_the_404_of_an_unknown_link_and_the_list_says_why() throws Exception {
        String revoked = share(", \"expiresInDays\": 7");
        String expired = share(", \"expiresInDays\": 1");
        long revokedId = idOf(revoked);
        long expiredId = idOf(expired);
        assertThat(server.get(revoked + "/view").status()).isEqualTo(200);

        assertThat(call(ownerToken, "DELETE", shares(shop) + "/" + revokedId, null).status()).isEqualTo(204);
        assertThat(call(ownerToken, "DELETE", shares(shop) + "/" + revokedId, null).status()).as("revoked already").isEqualTo(404);
        server.db().jdbi().useHandle(h -> h.execute("UPDATE share_link SET expires_at = now() - interval '1 second' WHERE share_id = ?", expiredId));

        for (String path : List.of(revoked, expired)) {
            for (String part : List.of("", "/view", "/heatmap.bin", "/captures", "/captures/" + pricingCapture + "/tiles/0")) {
                assertThat(raw(path + part)).as(path + part).isEqualTo(unknownUrl(path + part));
            }
        }
        JsonNode list = call(ownerToken, "GET", shares(shop), null).json().get("shares");
        assertThat(find(list, revokedId).get("status").asText()).isEqualTo("revoked");
        assertThat(find(list, revokedId).get("revokedAt").isNull()).isFalse();
        assertThat(find(list, expiredId).get("status").asText()).isEqualTo("expired");
    }

    @Test
    void owners_make_and_revoke_viewers_only_list_and_other_people_find_nothing() {
        String body = "{\"page\": \"" + PRICING + "\"}";
        String path = share("");
        long id = idOf(path);
        assertThat(call(viewerToken, "POST", shares(shop), body).status()).isEqualTo(403);
        assertThat(call(viewerToken, "DELETE", shares(shop) + "/" + id, null).status()).isEqualTo(403);
        assertThat(call(viewerToken, "GET", shares(shop), null).status()).isEqualTo(200);
        assertThat(call(strangerToken, "GET", shares(shop), null).status()).isEqualTo(404);
        assertThat(call(strangerToken, "POST", shares(shop), body).status()).isEqualTo(404);
        // Another site's owner cannot reach this link through their own site.
        assertThat(call(strangerToken, "DELETE", shares(blog) + "/" + id, null).status()).isEqualTo(404);
        assertThat(call(strangerToken, "GET", shares(blog), null).json().get("shares")).isEmpty();
        assertThat(call(null, "POST", shares(shop), body).status()).isEqualTo(401);
        assertThat(server.get(path + "/view").status()).as("still live").isEqualTo(200);
    }

    @Test
    void a_view_that_cannot_be_shown_is_refused_naming_its_field() {
        Map<String, String> bad = Map.of(
                "{\"map\": \"click\"}", "page",
                "{\"page\": \"" + PRICING + "\", \"map\": \"heat\"}", "map",
                "{\"page\": \"" + PRICING + "\", \"device\": \"watch\"}", "device",
                "{\"page\": \"" + PRICING + "\", \"preset\": \"1y\"}", "preset",
                "{\"page\": \"" + PRICING + "\", \"preset\": \"7d\", \"from\": \"2025-01-01\", \"to\": \"2025-01-31\"}", "preset",
                "{\"page\": \"" + PRICING + "\", \"from\": \"2025-01-01\"}", "to",
                "{\"page\": \"" + PRICING + "\", \"from\": \"2025-02-01\", \"to\": \"2025-01-01\"}", "from",
                "{\"page\": \"" + PRICING + "\", \"sigma\": 0.5}", "sigma",
                "{\"page\": \"" + PRICING + "\", \"palette\": \"<b>\"}", "palette",
                "{\"page\": \"" + PRICING + "\", \"expiresInDays\": 0}", "expiresInDays");
        bad.forEach((body, field) -> {
            var answer = call(ownerToken, "POST", shares(shop), body);
            assertThat(answer.status()).as(body).isEqualTo(400);
            assertThat(answer.json().get("field").asText()).as(body).isEqualTo(field);
        });
        var unknownPage = call(ownerToken, "POST", shares(shop), "{\"page\": \"https://shop.example/nowhere\"}");
        assertThat(unknownPage.status()).isEqualTo(404);
        assertThat(unknownPage.json().get("field").asText()).isEqualTo("page");
        assertThat(call(ownerToken, "POST", shares(shop), "not json").json().get("field").asText()).isEqualTo("body");
    }

    @Test
    void a_fixed_range_stays_fixed() {
        String path = share(", \"from\": \"2025-03-01\", \"to\": \"2025-03-11\"");
        var view = server.get(path + "/view").json();
        assertThat(view.get("from").asText()).isEqualTo("2025-03-01");
        assertThat(view.get("to").asText()).isEqualTo("2025-03-11");
        assertThat(view.get("preset").isNull()).isTrue();
        assertThat(server.get(path + "/heatmap").json().get("total").asLong()).isEqualTo(3);
    }

    @Test
    void without_accounts_no_link_can_be_made_and_none_opens() {
        try (DashboardServer local = DashboardServer.start()) {
            Site site = local.traffic().site("UTC");
            long page = local.traffic().page(site, PRICING);
            var refused = local.postJson("/api/sites/" + site.publicKey() + "/shares", "{\"page\": \"" + PRICING + "\"}");
            assertThat(refused.status()).isEqualTo(409);
            assertThat(refused.json().get("error").asText()).contains("ISOTHERM_DASHBOARD_ACCESS=accounts");
            var list = local.get("/api/sites/" + site.publicKey() + "/shares");
            assertThat(list.json().get("available").asBoolean()).isFalse();
            assertThat(list.json().get("reason").asText()).contains("accounts");
            // A link made while the dashboard had accounts does not open in the local mode.
            String secret = new ShareLinks(local.db().jdbi()).create(site.id(),
                    new ShareLinks.View(page, "click", "desktop", "30d", null, null, "viridis", null), null, null).secret();
            HttpResponse<byte[]> answer = local.getBytes("/share/" + secret + "/view");
            assertThat(answer.statusCode()).isEqualTo(404);
            assertThat(new String(answer.body(), StandardCharsets.UTF_8))
                    .isEqualTo(new String(local.getBytes("/no/such/page").body(), StandardCharsets.UTF_8).replace("/no/such/page", "/share/" + secret + "/view"));
        }
    }

    /** A GET's status and body as they are, whatever their type. */
    record Raw(int status, String body) {}

    static Raw raw(String path) {
        HttpResponse<byte[]> response = server.getBytes(path);
        return new Raw(response.statusCode(), new String(response.body(), StandardCharsets.UTF_8));
    }

    /** What the server answers for a URL with no route at all, were it at {@code path}. */
    static Raw unknownUrl(String path) {
        Raw unknown = raw("/no/such/page");
        assertThat(unknown.status()).isEqualTo(404);
        return new Raw(404, unknown.body().replace("/no/such/page", path));
    }

    static long idOf(String path) {
        String secret = path.substring("/share/".length());
        return server.db().jdbi().withHandle(h -> h.createQuery("SELECT share_id FROM share_link WHERE token_hash = :hash")
                .bind("hash", Secrets.hash(secret)).mapTo(Long.class).one());
    }

    static JsonNode find(JsonNode list, long id) {
        for (JsonNode item : list) if (item.get("id").asLong() == id) return item;
        throw new AssertionError("no link " + id + " in " + list);
    }
}
