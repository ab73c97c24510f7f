package io.isotherm.dashboard.reports;

import com.fasterxml.jackson.databind.JsonNode;
import io.isotherm.db.site.Site;
import io.isotherm.testing.StoredTraffic.Visit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static io.isotherm.dashboard.reports.EngagementTraffic.JSON;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The engagement grids over page views placed at known instants: in New York across the start of daylight saving
 * time (2026-03-08 02:00 EST became 03:00 EDT: UTC−5, then UTC−4) and in Tokyo (UTC+9, east of UTC), counted by the
 * real aggregator. Rows of the weekday × hour grid are Monday (0) … Sunday (6).
 */
class EngagementApiTest {
    private static final String HOME = "https://shop.example/", PRICING = "https://shop.example/pricing",
            BLOG = "https://shop.example/blog";
    private static final int MON = 0, TUE = 1, FRI = 4, SUN = 6;
    private static final Visit SPRING = Visit.DIRECT.campaign("news", "email", "spring");
    private static final Visit SUMMER = Visit.DIRECT.campaign("ads", "cpc", "summer");

    private final EngagementTraffic traffic = new EngagementTraffic();

    @AfterEach
    void tearDown() {
        traffic.close();
    }

    /** Friday 6 to Tuesday 10 March 2026 in New York, and a page view just outside on each side. */
    private Site newYork() {
        Site site = traffic.site("Shop", "America/New_York");
        long home = traffic.page(site, HOME), pricing = traffic.page(site, PRICING), blog = traffic.page(site, BLOG);
        pv(site, home, "2026-03-07T04:30:00Z", "desktop", 40, 2, 0, 0);  // Fri 6, 23:30 EST
        pv(site, home, "2026-03-08T06:30:00Z", "desktop", 60, 0, 1, 0);  // Sun 8, 01:30 EST
        pv(site, home, "2026-03-08T07:30:00Z", "desktop", 80, 1, 0, 1);  // Sun 8, 03:30 EDT: an hour later by the clock
        pv(site, pricing, "2026-03-09T04:30:00Z", "mobile", 20, 0, 0, 0); // Mon 9, 00:30 EDT (at UTC−5 still Sunday)
        pv(site, pricing, "2026-03-08T16:00:00Z", "desktop", 50, 3, 0, 0); // Sun 8, 12:00 EDT
        pv(site, home, "2026-03-08T16:20:00Z", "desktop", 75, 0, 0, 0);  // Sun 8, 12:20 EDT
        pv(site, blog, "2026-03-08T16:40:00Z", "desktop", 33, 0, 0, 1);  // Sun 8, 12:40 EDT
        pv(site, blog, "2026-03-11T03:59:00Z", "desktop", 10, 0, 0, 0);  // Tue 10, 23:59 EDT: the range's last minute
        pv(site, home, "2026-03-06T04:59:00Z", "desktop", 90, 5, 0, 0);  // Thu 5, 23:59 EST: before the range
        pv(site, home, "2026-03-11T04:00:00Z", "desktop", 90, 5, 0, 0);  // Wed 11, 00:00 EDT: after it
        traffic.aggregate();
        return site;
    }

    private void pv(Site site, long page, String at, String device, int reach, int clicks, int rage, int dead) {
        traffic.pageview(site, page, Instant.parse(at), device, Visit.DIRECT, reach, clicks, rage, dead);
    }

    private static final String[] NEW_YORK_RANGE = {"from", "2026-03-06", "to", "2026-03-10"};

    private JsonNode newYorkGrid(Site site, String... more) {
        List<String> params = new ArrayList<>(List.of(NEW_YORK_RANGE));
        params.addAll(List.of(more));
        return traffic.engagement(site, params.toArray(String[]::new));
    }

    @Test
    void weekday_by_hour_counts_every_metric_in_the_site_time_zone_across_a_daylight_saving_change() throws Exception {
        Site site = newYork();

        JsonNode pageviews = newYorkGrid(site);
        assertThat(pageviews.get("grid").asText()).isEqualTo("weekday-hour");
        assertThat(pageviews.get("metric").asText()).isEqualTo("pageviews");
        assertThat(pageviews.get("timeZone").asText()).isEqualTo("America/New_York");
        assertThat(pageviews.get("from").asText()).isEqualTo("2026-03-06");
        assertThat(pageviews.get("to").asText()).isEqualTo("2026-03-10");
        assertThat(pageviews.get("page").isNull()).isTrue();
        assertThat(pageviews.get("device").isNull()).isTrue();
        assertThat(pageviews.get("rows")).isEqualTo(json(List.of("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")));
        assertThat(pageviews.get("columns")).isEqualTo(json(IntStream.range(0, 24).mapToObj(h -> "%02d:00".formatted(h)).toList()));

        long[][] views = new long[7][24];
        views[FRI][23] = 1;
        views[SUN][1] = 1;
        views[SUN][3] = 1; // nothing at 02:00: that hour did not exist
        views[SUN][12] = 3;
        views[MON][0] = 1;
        views[TUE][23] = 1;
        assertThat(pageviews.get("values")).isEqualTo(json(views));
        assertThat(pageviews.get("pageviews")).isEqualTo(json(views));

        long[][] clicks = new long[7][24];
        clicks[FRI][23] = 2;
        clicks[SUN][1] = 1; // a rage click is a click
        clicks[SUN][3] = 2; // and so is a dead one
        clicks[SUN][12] = 4;
        assertThat(newYorkGrid(site, "metric", "clicks").get("values")).isEqualTo(json(clicks));

        long[][] rage = new long[7][24];
        rage[SUN][1] = 1;
        assertThat(newYorkGrid(site, "metric", "rage").get("values")).isEqualTo(json(rage));

        long[][] dead = new long[7][24];
        dead[SUN][3] = 1;
        dead[SUN][12] = 1;
        assertThat(newYorkGrid(site, "metric", "dead").get("values")).isEqualTo(json(dead));

        Double[][] reach = new Double[7][24];
        reach[FRI][23] = 40.0;
        reach[SUN][1] = 60.0;
        reach[SUN][3] = 80.0;
        reach[SUN][12] = 52.7; // (50 + 75 + 33) / 3, to 0.1
        reach[MON][0] = 20.0;
        reach[TUE][23] = 10.0;
        JsonNode reachGrid = newYorkGrid(site, "metric", "reach");
        assertThat(reachGrid.get("values")).isEqualTo(json(reach));
        assertThat(reachGrid.get("pageviews")).as("the page views behind each mean").isEqualTo(json(views));
    }

    @Test
    void one_page_or_one_device_class_narrows_the_grid() throws Exception {
        Site site = newYork();

        long[][] pricing = new long[7][24];
        pricing[SUN][12] = 1;
        pricing[MON][0] = 1;
        JsonNode page = newYorkGrid(site, "page", PRICING);
        assertThat(page.get("values")).isEqualTo(json(pricing));
        assertThat(page.get("page").asText()).isEqualTo(PRICING);

        long[][] mobile = new long[7][24];
        mobile[MON][0] = 1;
        JsonNode device = newYorkGrid(site, "device", "mobile");
        assertThat(device.get("values")).isEqualTo(json(mobile));
        assertThat(device.get("device").asText()).isEqualTo("mobile");
    }

    @Test
    void pages_by_day_shows_the_pages_with_most_page_views_each_day_of_the_range() throws Exception {
        Site site = newYork();
        List<String> days = List.of("2026-03-06", "2026-03-07", "2026-03-08", "2026-03-09", "2026-03-10");

        // Home has 4 page views in the range; blog and pricing 2 each: blog comes first by its URL.
        JsonNode top2 = newYorkGrid(site, "grid", "page-day", "pages", "2");
        assertThat(top2.get("rows")).isEqualTo(json(List.of(HOME, BLOG)));
        assertThat(top2.get("columns")).isEqualTo(json(days));
        assertThat(top2.get("values")).isEqualTo(json(new long[][]{{1, 0, 3, 0, 0}, {0, 0, 1, 0, 1}}));

        JsonNode clicks = newYorkGrid(site, "grid", "page-day", "metric", "clicks");
        assertThat(clicks.get("rows")).as("10 pages by default: all three").isEqualTo(json(List.of(HOME, BLOG, PRICING)));
        assertThat(clicks.get("values")).isEqualTo(json(new long[][]{{2, 0, 3, 0, 0}, {0, 0, 1, 0, 0}, {0, 0, 3, 0, 0}}));

        JsonNode reach = newYorkGrid(site, "grid", "page-day", "metric", "reach", "pages", "3");
        assertThat(reach.get("values")).isEqualTo(json(new Double[][]{
                {40.0, null, 71.7, null, null},  // (60 + 80 + 75) / 3 on Sunday
                {null, null, 33.0, null, 10.0},
                {null, null, 50.0, 20.0, null}}));
        assertThat(reach.get("pageviews")).isEqualTo(json(new long[][]{{1, 0, 3, 0, 0}, {0, 0, 1, 0, 1}, {0, 0, 1, 1, 0}}));

        JsonNode rageAndDead = newYorkGrid(site, "grid", "page-day", "metric", "dead", "pages", "1");
        assertThat(rageAndDead.get("rows")).isEqualTo(json(List.of(HOME)));
        assertThat(rageAndDead.get("values")).isEqualTo(json(new long[][]{{0, 0, 1, 0, 0}}));
        assertThat(newYorkGrid(site, "grid", "page-day", "metric", "rage", "pages", "1").get("values"))
                .isEqualTo(json(new long[][]{{0, 0, 1, 0, 0}}));

        JsonNode onePage = newYorkGrid(site, "grid", "page-day", "page", PRICING);
        assertThat(onePage.get("rows")).isEqualTo(json(List.of(PRICING)));
        assertThat(onePage.get("values")).isEqualTo(json(new long[][]{{0, 0, 1, 1, 0}}));
    }

    @Test
    void tokyo_counts_in_its_own_day_and_a_campaign_filter_keeps_its_page_views_only() throws Exception {
        Site site = traffic.site("Shop", "Asia/Tokyo");
        long home = traffic.page(site, HOME);
        traffic.pageview(site, home, Instant.parse("2026-03-08T14:59:00Z"), "desktop", SPRING, 30, 1, 0, 0); // Sun 8, 23:59 JST
        traffic.pageview(site, home, Instant.parse("2026-03-08T15:30:00Z"), "desktop", SUMMER, 70, 2, 0, 0); // Mon 9, 00:30 JST
        traffic.aggregate();
        String[] range = {"from", "2026-03-08", "to", "2026-03-09"};

        long[][] both = new long[7][24];
        both[SUN][23] = 1;
        both[MON][0] = 1;
        JsonNode all = traffic.engagement(site, range[0], range[1], range[2], range[3]);
        assertThat(all.get("values")).isEqualTo(json(both));
        assertThat(all.get("timeZone").asText()).isEqualTo("Asia/Tokyo");
        assertThat(traffic.engagement(site, range[0], range[1], range[2], range[3], "grid", "page-day").get("values"))
                .isEqualTo(json(new long[][]{{1, 1}}));

        long[][] spring = new long[7][24];
        spring[SUN][23] = 1;
        assertThat(traffic.engagement(site, range[0], range[1], range[2], range[3], "utm_campaign", "spring").get("values"))
                .isEqualTo(json(spring));
        long[][] summerClicks = new long[7][24];
        summerClicks[MON][0] = 2;
        assertThat(traffic.engagement(site, range[0], range[1], range[2], range[3], "utm_campaign", "summer",
                "utm_medium", "cpc", "metric", "clicks").get("values")).isEqualTo(json(summerClicks));
        assertThat(traffic.engagement(site, range[0], range[1], range[2], range[3], "utm_campaign", "summer",
                "grid", "page-day", "metric", "reach").get("values")).isEqualTo(json(new Double[][]{{null, 70.0}}));
        assertThat(traffic.engagement(site, range[0], range[1], range[2], range[3], "utm_campaign", "spring",
                "utm_medium", "cpc").get("values")).as("no page view has both").isEqualTo(json(new long[7][24]));
        JsonNode none = traffic.engagement(site, range[0], range[1], range[2], range[3], "utm_campaign", "autumn", "grid", "page-day");
        assertThat(none.get("rows")).isEmpty();
    }

    @Test
    void the_csv_holds_the_json_numbers() throws Exception {
        Site site = newYork();
        for (List<String> choice : List.of(List.of("metric", "reach"), List.of("metric", "clicks"),
                List.of("grid", "page-day", "metric", "reach"), List.of("grid", "page-day", "pages", "2"))) {
            List<String> params = new ArrayList<>(List.of(NEW_YORK_RANGE));
            params.addAll(choice);
            String[] query = params.toArray(String[]::new);
            JsonNode json = traffic.engagement(site, query);
            HttpResponse<String> csv = traffic.get(EngagementTraffic.path(site, "engagement.csv", query));

            assertThat(csv.statusCode()).isEqualTo(200);
            assertThat(csv.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
            assertThat(csv.headers().firstValue("Content-Disposition").orElse("")).startsWith("attachment; filename=\"isotherm-");
            String[] lines = csv.body().split("\r\n");
            assertThat(lines).hasSize(json.get("rows").size() + 1);
            List<String> header = List.of(lines[0].split(",", -1));
            assertThat(header.get(0)).isEqualTo(choice.contains("page-day") ? "page" : "weekday");
            assertThat(header.subList(1, header.size())).isEqualTo(strings(json.get("columns")));
            for (int i = 1; i < lines.length; i++) {
                String[] cells = lines[i].split(",", -1);
                assertThat(cells[0]).isEqualTo(json.get("rows").get(i - 1).asText());
                JsonNode row = json.get("values").get(i - 1);
                assertThat(cells).hasSize(row.size() + 1);
                for (int j = 0; j < row.size(); j++) {
                    if (row.get(j).isNull()) assertThat(cells[j + 1]).isEmpty();
                    else assertThat(Double.parseDouble(cells[j + 1])).as(choice + " " + i + "," + j).isEqualTo(row.get(j).asDouble());
                }
            }
        }
    }

    @Test
    void a_bad_parameter_is_a_400_naming_it_and_an_unknown_page_a_404() {
        Site site = newYork();
        // parameter, value, the field the answer names
        String[][] bad = {
                {"grid", "calendar", "grid"}, {"metric", "scrolls", "metric"}, {"pages", "0", "pages"}, {"pages", "51", "pages"},
                {"pages", "ten", "pages"}, {"device", "watch", "device"}, {"referrer", "friend", "referrer"},
                {"country", "france", "country"}, {"utm_campaign", "a\0b", "utm_campaign"}, {"to", "2026-03-01", "from"},
                {"to", "March", "to"}};
        for (String[] p : bad) {
            for (String report : List.of("engagement", "engagement.csv")) {
                HttpResponse<String> response = traffic.get(EngagementTraffic.path(site, report, "from", "2026-03-06", p[0], p[1]));
                assertThat(response.statusCode()).as(report + " " + p[0] + "=" + p[1]).isEqualTo(400);
                assertThat(field(response)).as(report + " " + p[0] + "=" + p[1]).isEqualTo(p[2]);
            }
        }
        HttpResponse<String> unknown = traffic.get(EngagementTraffic.path(site, "engagement", "page", "https://shop.example/nowhere"));
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(traffic.get("/api/sites/nosuchsite/engagement").statusCode()).isEqualTo(404);
    }

    private static String field(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body()).path("field").asText();
        } catch (Exception e) {
            throw new AssertionError(response.body(), e);
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> list = new ArrayList<>();
        array.forEach(n -> list.add(n.asText()));
        return list;
    }

    /** As the client reads it back. */
    private static JsonNode json(Object value) throws Exception {
        return JSON.readTree(JSON.writeValueAsString(value));
    }
}
