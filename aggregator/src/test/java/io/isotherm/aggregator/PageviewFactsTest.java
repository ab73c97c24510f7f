package io.isotherm.aggregator;

import io.isotherm.db.Database;
import io.isotherm.db.TestPostgres;
import io.isotherm.testing.StoredTraffic.Visit;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import static io.isotherm.aggregator.EventFixture.Event.click;
import static io.isotherm.aggregator.EventFixture.Event.move;
import static io.isotherm.aggregator.EventFixture.Event.scroll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** Each page view's row in pageview_summary carries its segment and its clicks, rage clicks and dead clicks. */
class PageviewFactsTest {
    private static final Instant T0 = LocalDate.now(ZoneOffset.UTC).minusDays(2).atTime(12, 0).toInstant(ZoneOffset.UTC);
    private static final Visit SPRING_FROM_SEARCH_IN_TOKYO = Visit.DIRECT.referrer("search")
            .campaign("news", "email", "spring").variant("B").browser("Safari", "iOS").timeZone("Asia/Tokyo");

    private Database db;
    private EventFixture fixture;
    private Aggregator aggregator;

    @BeforeEach
    void setUp() {
        db = TestPostgres.open();
        fixture = new EventFixture(db, "UTC");
        aggregator = new Aggregator(db.jdbi(), AggregatorSettings.defaults());
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    @Test
    void each_page_view_points_at_the_segment_of_its_visit_and_counts_its_clicks() {
        UUID campaign = UUID.randomUUID(), direct = UUID.randomUUID(), older = UUID.randomUUID();
        fixture.batch(campaign, 0, T0.plusSeconds(5), List.of(
                click(T0, 10, 10, "#buy", 0.5f, 0.5f),
                click(T0.plusMillis(200), 10, 10, "#buy", 0.5f, 0.5f).raging(),
                click(T0.plusMillis(400), 300, 10, "#hero", 0.5f, 0.5f).dead(),
                move(T0.plusSeconds(1), 50, 50)), SPRING_FROM_SEARCH_IN_TOKYO);
        fixture.batch(direct, 0, T0.plusSeconds(5), List.of(scroll(T0, 1200, null)), Visit.DIRECT);
        fixture.batch(older, 0, T0.plusSeconds(5), List.of(click(T0, 10, 10, "#buy", 0.5f, 0.5f)), null);
        aggregator.aggregatePending();

        assertThat(rows("""
                SELECT s.referrer, s.utm_source, s.utm_medium, s.utm_campaign, s.variant, s.browser, s.os, s.country
                FROM segment s ORDER BY s.country""")).containsExactly(
                tuple("direct", "", "", "", "", "Chrome", "Windows", "FR"),
                tuple("search", "news", "email", "spring", "B", "Safari", "iOS", "JP"));
        assertThat(rows("""
                SELECT coalesce(s.country, 'none'), p.clicks, p.rage, p.dead
                FROM pageview_summary p LEFT JOIN segment s USING (site_id, segment_id) ORDER BY 1""")).containsExactly(
                tuple("FR", 0, 0, 0),
                tuple("JP", 3, 1, 1),
                tuple("none", 1, 0, 0));
        assertThat(rows("SELECT segment_id FROM pageview_summary WHERE pageview_id = '" + older + "'")).containsExactly(tuple(0));
    }

    @Test
    void clicks_of_batches_aggregated_in_different_runs_add_up_and_the_earliest_batch_decides_the_segment() {
        UUID pageview = UUID.randomUUID();
        // The later batch first, with another variant (a page that set it late): the page view is the earlier one's.
        fixture.batch(pageview, 1, T0.plusSeconds(65), List.of(click(T0.plusSeconds(60), 10, 10, "#buy", 0.5f, 0.5f)),
                SPRING_FROM_SEARCH_IN_TOKYO.variant("late"));
        aggregator.aggregatePending();
        assertThat(rows("SELECT p.clicks, s.variant FROM pageview_summary p JOIN segment s USING (site_id, segment_id)"))
                .containsExactly(tuple(1, "late"));

        fixture.batch(pageview, 0, T0.plusSeconds(5), List.of(click(T0, 10, 10, "#buy", 0.5f, 0.5f),
                click(T0.plusSeconds(1), 10, 10, "#hero", 0.5f, 0.5f).dead()), SPRING_FROM_SEARCH_IN_TOKYO);
        aggregator.aggregatePending();
        assertThat(rows("SELECT p.clicks, p.dead, s.variant FROM pageview_summary p JOIN segment s USING (site_id, segment_id)"))
                .containsExactly(tuple(3, 1, "B"));
        assertThat(rows("SELECT count(*)::int FROM segment")).containsExactly(tuple(2));
    }

    @Test
    void a_combination_met_again_is_not_added_again() {
        for (int i = 0; i < 3; i++) {
            fixture.batch(UUID.randomUUID(), 0, T0.plusSeconds(5 + i), List.of(click(T0, 10, 10, "#buy", 0.5f, 0.5f)), Visit.DIRECT);
            aggregator.aggregatePending();
        }
        assertThat(rows("SELECT count(*)::int FROM segment")).containsExactly(tuple(1));
        assertThat(rows("SELECT count(DISTINCT segment_id)::int, sum(clicks)::int FROM pageview_summary")).containsExactly(tuple(1, 3));
    }

    private List<Tuple> rows(String sql) {
        return db.jdbi().withHandle(h -> h.createQuery(sql).map((rs, ctx) -> {
            Object[] values = new Object[rs.getMetaData().getColumnCount()];
            for (int i = 0; i < values.length; i++) values[i] = rs.getObject(i + 1);
            return tuple(values);
        }).list());
    }
}
