package io.isotherm.aggregator;

import io.isotherm.db.Database;
import io.isotherm.db.TestPostgres;
import io.isotherm.grid.AggregateVersion;
import io.isotherm.grid.GridGeometry;
import io.isotherm.grid.HeatmapQuery;
import io.isotherm.grid.ViewRefresh;
import io.isotherm.grid.ViewStore;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import static io.isotherm.aggregator.EventFixture.Event.click;
import static io.isotherm.aggregator.EventFixture.Event.scroll;
import static org.assertj.core.api.Assertions.assertThat;

/** The site's aggregate version and the dirty marks that keep stale stored views from being served. */
class AggregateVersionTest {
    private static final LocalDate TODAY = LocalDate.now(ZoneOffset.UTC);
    private static final Instant T0 = TODAY.minusDays(1).atTime(12, 0).toInstant(ZoneOffset.UTC);

    private Database db;
    private EventFixture shop;
    private EventFixture other;
    private HeatmapQuery query;

    @BeforeEach
    void setUp() {
        db = TestPostgres.open();
        shop = new EventFixture(db, "UTC");
        other = new EventFixture(db, "UTC");
        query = new HeatmapQuery(db.jdbi(), GridGeometry.defaults());
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    @Test
    void each_aggregation_transaction_raises_the_version_of_the_sites_it_counted_for() {
        assertThat(version(shop)).isZero();
        shop.batch(UUID.randomUUID(), 0, T0.plusSeconds(5), List.of(click(T0, 100, 100, "#buy", 0.5f, 0.5f)));
        other.batch(UUID.randomUUID(), 0, T0.plusSeconds(5), List.of(click(T0, 100, 100, "#buy", 0.5f, 0.5f)));
        aggregate(Duration.ofMinutes(5));
        assertThat(version(shop)).isEqualTo(1);
        assertThat(version(other)).isEqualTo(1);

        shop.batch(UUID.randomUUID(), 0, T0.plusSeconds(65), List.of(click(T0.plusSeconds(60), 100, 100, "#buy", 0.5f, 0.5f)));
        aggregate(Duration.ofMinutes(5));
        assertThat(version(shop)).isEqualTo(2);
        assertThat(version(other)).as("no batches of its own").isEqualTo(1);

        aggregate(Duration.ZERO); // nothing pending: a refresh of views changes no counts
        assertThat(version(shop)).isEqualTo(2);
    }

    @Test
    void a_page_view_without_clicks_or_moves_marks_both_views_so_their_page_views_are_never_stale() {
        shop.batch(UUID.randomUUID(), 0, T0.plusSeconds(5), List.of(click(T0, 100, 100, "#buy", 0.5f, 0.5f)));
        aggregate(Duration.ZERO);
        assertThat(heatmapPageviews("click")).isEqualTo(1);
        assertThat(marks()).isZero();

        shop.batch(UUID.randomUUID(), 0, T0.plusSeconds(65), List.of(scroll(T0.plusSeconds(60), 2000, null)));
        aggregate(Duration.ofMinutes(5)); // too soon to recompute the views

        assertThat(marks()).isEqualTo(2);
        assertThat(heatmapPageviews("click")).isEqualTo(2);
        assertThat(heatmapPageviews("move")).isEqualTo(2);
    }

    @Test
    void a_refresh_cannot_take_a_mark_an_aggregation_transaction_still_holds() {
        shop.batch(UUID.randomUUID(), 0, T0.plusSeconds(5), List.of(click(T0, 100, 100, "#buy", 0.5f, 0.5f)));
        aggregate(Duration.ofMinutes(5)); // no view stored yet: computed at once
        shop.batch(UUID.randomUUID(), 0, T0.plusSeconds(65), List.of(click(T0.plusSeconds(60), 100, 100, "#buy", 0.5f, 0.5f)));
        aggregate(Duration.ofMinutes(5));
        assertThat(marks()).isEqualTo(2);
        ViewRefresh refresh = new ViewRefresh(db.jdbi(), query, Duration.ZERO);

        // An aggregation that marks the view again has not committed: its counts are invisible to a refresh, so the
        // refresh must leave that mark for later instead of deleting it.
        try (Handle aggregation = db.jdbi().open()) {
            aggregation.begin();
            ViewStore.markDirty(aggregation, List.of(new ViewStore.ViewKey(shop.siteId, shop.pageId, "desktop", "click")));
            assertThat(refresh.refresh()).as("only the move view's mark was free").isEqualTo(1);
            aggregation.commit();
        }

        assertThat(marks()).isEqualTo(1);
        assertThat(refresh.refresh()).isEqualTo(1);
        assertThat(marks()).isZero();
    }

    private void aggregate(Duration viewRefresh) {
        new Aggregator(db.jdbi(), AggregatorSettings.defaults().withViewRefresh(viewRefresh)).aggregatePending();
    }

    private long version(EventFixture site) {
        return db.jdbi().withHandle(h -> AggregateVersion.of(h, site.siteId));
    }

    private long heatmapPageviews(String kind) {
        return query.heatmap(shop.siteId, shop.pageId, "desktop", kind, TODAY.minusDays(6), TODAY, null, true).pageviews();
    }

    private int marks() {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM heatmap_dirty WHERE site_id = :site")
                .bind("site", shop.siteId).mapTo(Integer.class).one());
    }
}
