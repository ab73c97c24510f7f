package io.isotherm.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import io.isotherm.db.site.Site;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;

import static io.isotherm.dashboard.DashboardServer.JSON;
import static org.assertj.core.api.Assertions.assertThat;

class CalendarApiTest {
    private static final String PAGE = "https://shop.example/pricing";
    private static final LocalDate MONDAY = LocalDate.of(2025, 3, 10);
    private static final LocalDate TUESDAY = MONDAY.plusDays(1);

    private final DashboardServer server = DashboardServer.start();
    private final Traffic traffic = server.traffic();
    private Site site;
    private long page;

    @BeforeEach
    void setUp() {
        site = traffic.site("Asia/Kolkata"); // UTC+05:30 all year
        page = traffic.page(site, PAGE);
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    @Test
    void clicks_and_page_views_by_weekday_and_hour_in_the_site_time_zone() throws Exception {
        assertThat(MONDAY.getDayOfWeek()).isEqualTo(DayOfWeek.MONDAY);
        // 04:00 UTC Monday is 09:30 Monday in Kolkata.
        traffic.visit(site, page).click(Instant.parse("2025-03-10T04:00:00Z"), 1, 1, "#a")
                .click(Instant.parse("2025-03-10T04:00:10Z"), 1, 1, "#a").send();
        // 20:45 UTC Monday is 02:15 Tuesday there.
        traffic.visit(site, page).click(Instant.parse("2025-03-10T20:45:00Z"), 1, 1, "#a").send();
        // Every device class counts. 18:29 UTC Tuesday is 23:59 Tuesday; 18:31 UTC is past midnight, Wednesday: out of the range.
        traffic.visit(site, page, "mobile", 390, 800, 3000).move(Instant.parse("2025-03-11T18:29:00Z"), 1, 1).send();
        traffic.visit(site, page, "mobile", 390, 800, 3000).click(Instant.parse("2025-03-11T18:31:00Z"), 1, 1, "#a").send();
        traffic.aggregate();

        var response = server.get(site.publicKey(), "calendar", "page", PAGE, "from", MONDAY.toString(), "to", TUESDAY.toString());

        assertThat(response.status()).isEqualTo(200);
        JsonNode calendar = response.json();
        long[][] clicks = new long[7][24], pageviews = new long[7][24];
        clicks[0][9] = 2;
        pageviews[0][9] = 1;
        clicks[1][2] = 1;
        pageviews[1][2] = 1;
        pageviews[1][23] = 1;
        assertThat(calendar.get("clicks")).isEqualTo(json(clicks));
        assertThat(calendar.get("pageviews")).isEqualTo(json(pageviews));
        assertThat(calendar.get("totals")).isEqualTo(JSON.readTree("{\"clicks\": 3, \"pageviews\": 3}"));
        assertThat(calendar.get("weekdays")).isEqualTo(JSON.readTree("[1, 1, 0, 0, 0, 0, 0]"));
    }

    @Test
    void the_default_range_is_the_30_days_ending_today_in_the_site_time_zone() throws Exception {
        // At noon UTC on Wednesday 12 March it is already 02:00 on Thursday 13 March at UTC+14.
        Site kiritimati = traffic.site("Pacific/Kiritimati");
        long kiritimatiPage = traffic.page(kiritimati, PAGE);
        traffic.visit(kiritimati, kiritimatiPage).click(Instant.parse("2025-03-12T11:00:00Z"), 1, 1, "#a").send(); // Thursday 01:00
        traffic.aggregate();

        var response = server.get(kiritimati.publicKey(), "calendar", "page", PAGE);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().at("/clicks/3/1").asLong()).isEqualTo(1);
        assertThat(response.json().get("totals")).isEqualTo(JSON.readTree("{\"clicks\": 1, \"pageviews\": 1}"));
        // 12 February (a Wednesday) to 13 March: four weeks and one more Wednesday and Thursday.
        assertThat(response.json().get("weekdays")).isEqualTo(JSON.readTree("[4, 4, 5, 5, 4, 4, 4]"));
    }

    /** As the client reads it back (ints, not longs). */
    private static JsonNode json(Object value) throws Exception {
        return JSON.readTree(JSON.writeValueAsString(value));
    }
}
