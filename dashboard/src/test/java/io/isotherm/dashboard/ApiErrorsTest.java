package io.isotherm.dashboard;

import io.isotherm.db.site.Site;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static io.isotherm.dashboard.DashboardServer.JSON;
import static io.isotherm.dashboard.DashboardServer.TODAY;
import static org.assertj.core.api.Assertions.assertThat;

/** Every refusal: 400 naming the bad parameter, 404 for an unknown site or page. */
class ApiErrorsTest {
    private static DashboardServer server;
    private static Site site;

    @BeforeAll
    static void setUp() {
        server = DashboardServer.start();
        Traffic traffic = server.traffic();
        site = traffic.site("UTC", "id");
        long item = traffic.page(site, "https://shop.example/item?id=3");
        traffic.visit(site, item).click(Instant.parse("2025-03-10T12:00:00Z"), 10, 10, "#a").send();
        traffic.aggregate();
    }

    @AfterAll
    static void tearDown() {
        server.close();
    }

    @ParameterizedTest(name = "{0}?page={1}&{2} → {3}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            scroll   | -                                  | device=desktop                  | page   | page is required: the page's URL
            elements | ''                                 | -                               | page   | page is required: the page's URL
            calendar | -                                  | from=2025-03-01                 | page   | page is required: the page's URL
            heatmap  | -                                  | kind=move                       | page   | page is required: the page's URL
            scroll   | /item?id=3                         | -                               | page   | page must be an absolute http(s) URL
            elements | ftp://shop.example/item            | -                               | page   | page must be an absolute http(s) URL
            pages    | -                                  | from=2025-02-30                 | from   | from must be a date like 2025-03-31
            scroll   | https://shop.example/item?id=3     | to=soon                         | to     | to must be a date like 2025-03-31
            calendar | https://shop.example/item?id=3     | from=2025-03-11&to=2025-03-10   | from   | from must not be after to
            pages    | -                                  | from=2025-03-13                 | from   | from must not be after to
            heatmap  | https://shop.example/item?id=3     | from=2025-03-12&to=2025-03-11   | from   | from must not be after to
            pages    | -                                  | from=2024-03-10&to=2025-03-11   | from   | the range must hold at most 366 days
            elements | https://shop.example/item?id=3     | from=2020-01-01                 | from   | the range must hold at most 366 days
            scroll   | https://shop.example/item?id=3     | device=watch                    | device | device must be desktop or tablet or mobile
            elements | https://shop.example/item?id=3     | device=Desktop                  | device | device must be desktop or tablet or mobile
            heatmap  | https://shop.example/item?id=3     | device=tv                       | device | device must be desktop or tablet or mobile
            heatmap  | https://shop.example/item?id=3     | kind=scroll                     | kind   | kind must be click or move
            heatmap  | https://shop.example/item?id=3     | sigma=300                       | sigma  | sigma must be a number of px from 1 to 256
            heatmap  | https://shop.example/item?id=3     | raw=yes                         | raw    | raw must be true or false
            """)
    void a_bad_parameter_is_400_naming_it(String report, String page, String query, String field, String error) {
        String pageParam = page == null ? "" : "page=" + URLEncoder.encode(page, StandardCharsets.UTF_8) + "&";
        var response = server.get("/api/sites/" + site.publicKey() + "/" + report + "?" + pageParam + (query == null ? "" : query));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json()).isEqualTo(JSON.createObjectNode().put("error", error).put("field", field));
    }

    @ParameterizedTest
    @CsvSource({"pages", "scroll", "elements", "calendar", "heatmap"})
    void an_unknown_site_is_404(String report) throws Exception {
        var response = server.get("nosuchsite", report, "page", "https://shop.example/item?id=3");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.json()).isEqualTo(JSON.readTree("{\"error\": \"unknown site\"}"));
    }

    @ParameterizedTest
    @CsvSource({"scroll", "elements", "calendar", "heatmap"})
    void an_unknown_page_is_404_and_is_not_created(String report) throws Exception {
        var response = server.get(site.publicKey(), report, "page", "https://shop.example/item?id=4");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.json()).isEqualTo(JSON.readTree("{\"error\": \"unknown page\", \"field\": \"page\"}"));
        int pages = server.db().jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM page").mapTo(Integer.class).one());
        assertThat(pages).isEqualTo(1);
    }

    @Test
    void the_page_is_found_by_its_url_normalized_as_the_collector_does() {
        // Host case, default port, trailing slash, fragment and unkept query parameters do not matter; kept ones do.
        var response = server.get(site.publicKey(), "elements", "page", "https://Shop.example:443/item/?utm_source=mail&id=3#reviews");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().get("clicks").asInt()).isEqualTo(1);
    }

    @Test
    void a_range_of_366_days_is_allowed() {
        var response = server.get(site.publicKey(), "pages", "from", "2024-03-12", "to", "2025-03-12");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().at("/pages/0/pageviews").asInt()).isEqualTo(1);
    }
}
