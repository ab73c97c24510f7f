package io.isotherm.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import io.isotherm.dashboard.DashboardServer.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Site administration through the API (as the operator of the local mode; who may do what is the authorization
 * matrix's job): every bad field is named and nothing is stored, edits, deletion by name, the installation check.
 */
class SiteAdminApiTest {
    static DashboardServer server;

    @BeforeAll
    static void start() {
        server = DashboardServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static int siteCount() {
        return server.db().jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM site").mapTo(Integer.class).one());
    }

    private static String site(String name) {
        Response created = server.postJson("/api/sites", "{\"name\":\"" + name + "\",\"origins\":[\"https://shop.example\"],\"timeZone\":\"Europe/Berlin\"}");
        assertThat(created.status()).isEqualTo(201);
        return created.json().get("key").asText();
    }

    @Test
    void refuses_each_bad_field_by_name_and_stores_nothing() {
        int before = siteCount();
        Map<String, String> bodies = Map.ofEntries(
                Map.entry("name", "{\"name\":\" \",\"origins\":[\"https://a.example\"]}"),
                Map.entry("origins", "{\"name\":\"A\",\"origins\":[\"a.example/path\"]}"),
                Map.entry("timeZone", "{\"name\":\"A\",\"origins\":[\"https://a.example\"],\"timeZone\":\"Mars/Olympus\"}"),
                Map.entry("keepQuery", "{\"name\":\"A\",\"origins\":[\"https://a.example\"],\"keepQuery\":[\"a b\"]}"),
                Map.entry("excludedPaths", "{\"name\":\"A\",\"origins\":[\"https://a.example\"],\"excludedPaths\":[\"admin\"]}"),
                Map.entry("mobileBelow", "{\"name\":\"A\",\"origins\":[\"https://a.example\"],\"mobileBelow\":50}"),
                Map.entry("tabletBelow", "{\"name\":\"A\",\"origins\":[\"https://a.example\"],\"mobileBelow\":900,\"tabletBelow\":800}"),
                Map.entry("retentionDays", "{\"name\":\"A\",\"origins\":[\"https://a.example\"],\"retentionDays\":1}"),
                Map.entry("body", "not json"));
        bodies.forEach((field, body) -> {
            Response refused = server.postJson("/api/sites", body);
            assertThat(refused.status()).as(field).isEqualTo(400);
            assertThat(refused.json().get("field").asText()).as(field).isEqualTo(field);
            assertThat(refused.json().get("error").asText()).as(field).isNotBlank();
        });
        Response noOrigins = server.postJson("/api/sites", "{\"name\":\"A\",\"origins\":[]}");
        assertThat(noOrigins.json().get("field").asText()).isEqualTo("origins");
        assertThat(siteCount()).isEqualTo(before);
    }

    @Test
    void edits_every_setting_and_says_when_the_time_zone_changes() {
        String key = site("Edit me");
        Response edited = server.request("PUT", "/api/sites/" + key, """
                {"name":"Shop","origins":["https://shop.example","https://*.shop.example"],"keepQuery":["id"],
                 "timeZone":"America/New_York","excludedPaths":["/admin/*"],"mobileBelow":600,"tabletBelow":1100,"retentionDays":90}""");
        assertThat(edited.status()).isEqualTo(200);
        JsonNode site = server.get("/api/sites/" + key).json();
        assertThat(site.get("name").asText()).isEqualTo("Shop");
        assertThat(site.get("origins").toString()).contains("https://*.shop.example");
        assertThat(site.get("keepQuery").toString()).isEqualTo("[\"id\"]");
        assertThat(site.get("timeZone").asText()).isEqualTo("America/New_York");
        assertThat(site.get("excludedPaths").toString()).isEqualTo("[\"/admin/*\"]");
        assertThat(site.get("mobileBelow").asInt()).isEqualTo(600);
        assertThat(site.get("tabletBelow").asInt()).isEqualTo(1100);
        assertThat(site.get("retentionDays").asInt()).isEqualTo(90);
        assertThat(edited.json().get("notice").asText()).contains("America/New_York").contains("from now on").contains("Europe/Berlin");

        Response again = server.request("PUT", "/api/sites/" + key, site.toString().replace("\"role\":\"owner\"", "\"role\":null"));
        assertThat(again.json().has("notice")).isFalse(); // same zone: nothing to say

        Response bad = server.request("PUT", "/api/sites/" + key, "{\"name\":\"Shop\",\"origins\":[\"https://shop.example\"],\"timeZone\":\"Nowhere\"}");
        assertThat(bad.json().get("field").asText()).isEqualTo("timeZone");
        assertThat(server.get("/api/sites/" + key).json().get("retentionDays").asInt()).isEqualTo(90); // nothing changed
    }

    @Test
    void deletes_a_site_only_when_its_name_is_typed() {
        String key = site("Delete me");
        Response wrong = server.request("DELETE", "/api/sites/" + key, "{\"confirm\":\"delete me\"}");
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.json().get("field").asText()).isEqualTo("confirm");
        assertThat(server.get("/api/sites/" + key).status()).isEqualTo(200);
        assertThat(server.request("DELETE", "/api/sites/" + key, "{\"confirm\":\"Delete me\"}").status()).isEqualTo(204);
        assertThat(server.get("/api/sites/" + key).status()).isEqualTo(404);
    }

    @Test
    void the_installation_check_shows_the_last_batch_and_the_outcomes_and_allows_a_refused_origin() {
        String key = site("Installed");
        Response empty = server.get("/api/sites/" + key + "/install");
        assertThat(empty.json().get("lastBatch").isNull()).isTrue();
        assertThat(empty.json().get("publicUrlSet").asBoolean()).isFalse();
        assertThat(empty.json().get("snippet").asText())
                .isEqualTo("<script defer src=\"" + server.url() + "/t.js\" data-site=\"" + key + "\"></script>");

        Response behindTls = server.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/sites/" + key + "/install"))
                .header("X-Forwarded-Proto", "https").GET());
        assertThat(behindTls.json().get("snippet").asText()).startsWith("<script defer src=\"https://127.0.0.1:");

        int id = server.db().jdbi().withHandle(h -> h.createQuery("SELECT site_id FROM site WHERE public_key = :k").bind("k", key).mapTo(Integer.class).one());
        server.db().jdbi().useHandle(h -> {
            h.execute("INSERT INTO ingest_last_batch VALUES (?, now() - interval '5 seconds', 'https://shop.example/pricing', 'mobile')", id);
            h.execute("""
                    INSERT INTO ingest_outcome VALUES
                      (?, date_trunc('minute', now()), 'stored', '', 7),
                      (?, date_trunc('minute', now()) - interval '3 hours', 'stored', '', 5),
                      (?, date_trunc('minute', now()), 'bot', '', 2),
                      (?, date_trunc('minute', now()), 'origin_not_allowed', 'https://staging.shop.example', 3),
                      (?, date_trunc('minute', now()) - interval '2 hours', 'invalid', '', 1),
                      (?, date_trunc('minute', now()) - interval '3 days', 'stored', '', 1000)""", id, id, id, id, id, id);
        });
        JsonNode check = server.get("/api/sites/" + key + "/install").json();
        assertThat(check.get("lastBatch").get("page").asText()).isEqualTo("https://shop.example/pricing");
        assertThat(check.get("lastBatch").get("device").asText()).isEqualTo("mobile");
        assertThat(check.get("hour").get("stored").asLong()).isEqualTo(7);
        assertThat(check.get("day").get("stored").asLong()).isEqualTo(12);
        assertThat(check.get("hour").get("bot").asLong()).isEqualTo(2);
        assertThat(check.get("hour").get("refused").get("origin_not_allowed").asLong()).isEqualTo(3);
        assertThat(check.get("hour").get("refused").has("invalid")).isFalse();
        assertThat(check.get("day").get("refused").get("invalid").asLong()).isEqualTo(1);
        assertThat(check.get("refusedOrigins").get(0).get("origin").asText()).isEqualTo("https://staging.shop.example");

        Response allowed = server.postJson("/api/sites/" + key + "/origins", "{\"origin\":\"https://staging.shop.example\"}");
        assertThat(allowed.status()).isEqualTo(200);
        assertThat(allowed.json().get("origins").toString()).contains("https://staging.shop.example");
        Response bad = server.postJson("/api/sites/" + key + "/origins", "{\"origin\":\"staging\"}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("field").asText()).isEqualTo("origin");
    }

    @Test
    void refuses_a_capture_url_with_credentials_without_storing_or_echoing_it() {
        String key = site("Secret");
        Response refused = server.postJson("/api/sites/" + key + "/captures",
                "{\"url\":\"https://ana:hunter2secret@shop.example/account\",\"devices\":[\"desktop\"]}");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().get("field").asText()).isEqualTo("url");
        assertThat(refused.json().toString()).doesNotContain("hunter2secret");
        int stored = server.db().jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM capture WHERE url LIKE '%hunter2secret%'")
                .mapTo(Integer.class).one());
        assertThat(stored).isZero();
    }
}
