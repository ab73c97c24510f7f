package io.isotherm.dashboard.reports;

import com.fasterxml.jackson.databind.JsonNode;
import io.isotherm.dashboard.DashboardServer;
import io.isotherm.db.site.Site;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static io.isotherm.dashboard.DashboardServer.TODAY;
import static io.isotherm.dashboard.reports.CountryVisits.from;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class CountryApiTest {
    static final String HOME = "https://shop.example/", PRICING = "https://shop.example/pricing";
    static final Instant T0 = TODAY.minusDays(3).atTime(12, 0).toInstant(ZoneOffset.UTC);

    private final DashboardServer server = DashboardServer.start();
    private final CountryVisits visits = new CountryVisits(server.db(), TODAY);
    private Site site;

    @BeforeEach
    void setUp() {
        site = visits.site("Shop", "https://shop.example");
        long home = visits.page(site, HOME), pricing = visits.page(site, PRICING);
        visits.knownSet(site, home, pricing, T0);
        visits.view(site, home, "desktop", TODAY.minusDays(40).atTime(9, 0).toInstant(ZoneOffset.UTC), 100, 5, from("Europe/Paris"));
        visits.aggregate();
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    @Test
    void counts_page_views_clicks_and_mean_reach_by_the_country_of_the_time_zone_most_page_views_first() {
        JsonNode report = get();

        // The last 30 days by default: the Paris page view of 40 days ago is not in them.
        assertThat(report.get("from").asText()).isEqualTo(TODAY.minusDays(29).toString());
        assertThat(report.get("to").asText()).isEqualTo(TODAY.toString());
        assertThat(report.get("device").isNull()).isTrue();
        assertThat(report.get("pageviews").asLong()).isEqualTo(14);
        // FR and US tie on page views: by code. New York and Chicago are both the US; Asia/Calcutta is India.
        assertThat(rows(report)).containsExactly(
                tuple("FR", 250, "France", 3L, 3L, (40 + 60 + 100) / 3.0, HOME),
                tuple("US", 840, "United States", 3L, 5L, (20 + 80 + 90) / 3.0, HOME),
                tuple("DE", 276, "Germany", 2L, 1L, (50 + 30) / 2.0, HOME), // a tie of pages: the first URL
                tuple("IN", 356, "India", 2L, 3L, (25 + 35) / 2.0, PRICING),
                tuple("JP", 392, "Japan", 1L, 2L, 70.0, HOME));
        assertThat(totals(report.get("unknown"))).containsExactly(2L, 1L, (45 + 55) / 2.0);
        assertThat(totals(report.get("notRecorded"))).containsExactly(1L, 2L, 64.0);
    }

    @Test
    void one_page_one_device_class_and_another_range() {
        assertThat(rows(get("page", PRICING))).containsExactly(
                tuple("IN", 356, "India", 2L, 3L, 30.0, PRICING),
                tuple("DE", 276, "Germany", 1L, 0L, 30.0, PRICING),
                tuple("FR", 250, "France", 1L, 0L, 100.0, PRICING),
                tuple("US", 840, "United States", 1L, 1L, 90.0, PRICING));

        JsonNode tablet = get("device", "tablet");
        assertThat(tablet.get("device").asText()).isEqualTo("tablet");
        assertThat(codes(tablet)).containsExactly("JP");
        assertThat(tablet.get("pageviews").asLong()).isEqualTo(1);
        assertThat(totals(tablet.get("unknown"))).containsExactly(0L, 0L, null);

        JsonNode earlier = get("from", TODAY.minusDays(45).toString(), "to", TODAY.minusDays(35).toString());
        assertThat(rows(earlier)).containsExactly(tuple("FR", 250, "France", 1L, 5L, 100.0, HOME));
        assertThat(totals(earlier.get("notRecorded"))).containsExactly(0L, 0L, null);
    }

    @Test
    void a_segment_filter_counts_only_its_page_views_and_never_those_not_recorded() {
        JsonNode us = get("country", "US");
        assertThat(codes(us)).containsExactly("US");
        assertThat(us.get("pageviews").asLong()).isEqualTo(3);
        assertThat(totals(us.get("notRecorded"))).containsExactly(0L, 0L, null);

        JsonNode firefox = get("browser", "Firefox");
        assertThat(rows(firefox)).containsExactly(tuple("DE", 276, "Germany", 2L, 1L, 40.0, HOME));

        // country= (empty): the page views of no known country.
        JsonNode unknown = get("country", "");
        assertThat(codes(unknown)).isEmpty();
        assertThat(totals(unknown.get("unknown"))).containsExactly(2L, 1L, 50.0);

        assertThat(codes(get("country", "BR"))).isEmpty();
        assertThat(get("country", "BR").get("pageviews").asLong()).isZero();
    }

    @Test
    void bad_parameters_are_400_naming_them_and_an_unknown_page_404() {
        for (String[] bad : List.of(new String[] {"country", "France"}, new String[] {"referrer", "carrier-pigeon"},
                new String[] {"device", "watch"}, new String[] {"from", "yesterday"})) {
            DashboardServer.Response response = server.get(site.publicKey(), "countries", bad);
            assertThat(response.status()).as(bad[0]).isEqualTo(400);
            assertThat(response.json().get("field").asText()).isEqualTo(bad[0]);
        }
        assertThat(server.get(site.publicKey(), "countries", "page", "https://shop.example/nowhere").status()).isEqualTo(404);
        assertThat(server.get("no-such-site", "countries").status()).isEqualTo(404);
    }

    @Test
    void the_csv_has_the_same_rows_then_unknown_and_not_recorded() throws Exception {
        HttpResponse<String> csv = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(server.url() + "/api/sites/" + site.publicKey() + "/countries.csv")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/csv");
        assertThat(csv.headers().firstValue("Content-Disposition").orElseThrow())
                .contains("countries-" + TODAY.minusDays(29) + "-" + TODAY + ".csv");
        assertThat(csv.body().split("\r\n")).containsExactly(
                "country,numeric,name,pageviews,clicks,reach_pct,top_page",
                "FR,250,France,3,3,66.7," + HOME,
                "US,840,United States,3,5,63.3," + HOME,
                "DE,276,Germany,2,1,40.0," + HOME,
                "IN,356,India,2,3,30.0," + PRICING,
                "JP,392,Japan,1,2,70.0," + HOME,
                "unknown,,Unknown (time zone of no country),2,1,50.0,",
                "not_recorded,,Not recorded (aggregated before countries were),1,2,64.0,");
    }

    private JsonNode get(String... params) {
        DashboardServer.Response response = server.get(site.publicKey(), "countries", params);
        assertThat(response.status()).as(response.json().toString()).isEqualTo(200);
        return response.json();
    }

    private static List<Tuple> rows(JsonNode report) {
        List<Tuple> rows = new ArrayList<>();
        for (JsonNode c : report.get("countries")) {
            rows.add(tuple(c.get("code").asText(), c.get("numeric").asInt(), c.get("name").asText(), c.get("pageviews").asLong(),
                    c.get("clicks").asLong(), c.get("reach").asDouble(), c.get("topPage").asText()));
        }
        return rows;
    }

    private static List<String> codes(JsonNode report) {
        return report.get("countries").findValuesAsText("code");
    }

    private static List<Object> totals(JsonNode totals) {
        List<Object> values = new ArrayList<>();
        values.add(totals.get("pageviews").asLong());
        values.add(totals.get("clicks").asLong());
        values.add(totals.get("reach").isNull() ? null : totals.get("reach").asDouble());
        return values;
    }
}
