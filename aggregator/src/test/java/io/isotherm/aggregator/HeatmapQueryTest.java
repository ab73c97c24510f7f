package io.isotherm.aggregator;

import io.isotherm.db.Database;
import io.isotherm.db.TestPostgres;
import io.isotherm.grid.GridGeometry;
import io.isotherm.grid.Heatmap;
import io.isotherm.grid.HeatmapQuery;
import io.isotherm.grid.SmoothingRule;
import io.isotherm.grid.Layouts;
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
import static io.isotherm.aggregator.EventFixture.Event.move;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Heatmaps for any range from the daily grids: anchored clicks on the current layout, fallbacks, smoothing. */
class HeatmapQueryTest {
    private static final LocalDate DAY = LocalDate.now(ZoneOffset.UTC).minusDays(5);
    private static final Instant T0 = DAY.atTime(12, 0).toInstant(ZoneOffset.UTC);

    private Database db;
    private EventFixture fixture;
    private HeatmapQuery query;

    @BeforeEach
    void setUp() {
        db = TestPostgres.open();
        fixture = new EventFixture(db, "UTC");
        query = new HeatmapQuery(db.jdbi(), GridGeometry.defaults());
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    @Test
    void clicks_on_a_known_element_are_drawn_where_the_current_layout_puts_it_whatever_the_visitor_s_width() {
        // Visitors at 1905 and 1265 px document width clicked the same spot of #buy (in-box 0.53, 0.28).
        fixture.batch(UUID.randomUUID(), 0, T0.plusSeconds(5), List.of(
                click(T0, 962, 1013, "#buy", 0.53f, 0.28f).on("desktop", 1920, 1905),
                click(T0, 642, 1013, "#buy", 0.53f, 0.28f).on("desktop", 1280, 1265)));
        aggregate();
        layout("#buy", 600, 1000, 240, 48);

        Heatmap map = query.heatmap(fixture.siteId, fixture.pageId, "desktop", "click", DAY, DAY, null, true);

        // In-box (0.53, 0.28): x = 600 + 0.53·240 = 727.2, y = 1000 + 0.28·48 = 1013.4 → cell (90, 126).
        assertThat(map.counts()[126 * map.columns() + 90]).isEqualTo(2);
        assertThat(map.total()).isEqualTo(2);
        assertThat(hottest(map)).isEqualTo(126 * map.columns() + 90);
        assertThat(map.columns()).isEqualTo(180);
        assertThat(map.values()[hottest(map)]).isEqualTo(1f);

        // The site was redesigned: the button moved. Past clicks follow it.
        layout("#buy", 100, 3000, 200, 60);
        Heatmap redesigned = query.heatmap(fixture.siteId, fixture.pageId, "desktop", "click", DAY, DAY, null, true);
        int x = (int) ((100 + 0.53 * 200) / 8), y = (int) ((3000 + 0.28 * 60) / 8);
        assertThat(redesigned.counts()[y * redesigned.columns() + x]).isEqualTo(2);
        assertThat(hottest(redesigned)).isEqualTo(y * redesigned.columns() + x);
    }

    @Test
    void a_click_is_drawn_at_its_exact_point_in_the_box_within_2_px_from_any_screen() {
        // A 600 x 400 card on the desktop layout and a 350 x 240 one on the phone's, clicked at nine in-box fractions
        // (the card's exact centre among them) by visitors on 1280, 1440 and 1920 px screens and a phone, a day each.
        // Kept in 16 bins each way and, within a bin, in sixteenths of it: 1/256 of the box.
        double[] xs = {0.07, 0.5, 0.86}, ys = {0.13, 0.5, 0.91};
        Layouts.Box desktopCard = new Layouts.Box("#card", 420, 1200, 600, 400), phoneCard = new Layouts.Box("#card", 20, 900, 350, 240);
        db.jdbi().useHandle(h -> {
            Layouts.replace(h, fixture.siteId, fixture.pageId, "desktop", List.of(desktopCard), T0);
            Layouts.replace(h, fixture.siteId, fixture.pageId, "mobile", List.of(phoneCard), T0);
        });
        record Screen(String device, int width, Layouts.Box card, LocalDate day) {}
        List<Screen> screens = List.of(new Screen("desktop", 1280, desktopCard, DAY), new Screen("desktop", 1440, desktopCard, DAY.minusDays(1)),
                new Screen("desktop", 1920, desktopCard, DAY.minusDays(2)), new Screen("mobile", 390, phoneCard, DAY.minusDays(3)));
        for (Screen screen : screens) {
            List<EventFixture.Event> clicks = new java.util.ArrayList<>();
            Instant at = screen.day().atTime(12, 0).toInstant(ZoneOffset.UTC);
            // The page position the visitor saw does not matter where the layout knows the element.
            for (double fx : xs) for (double fy : ys) clicks.add(click(at, 100, 100, "#card", (float) fx, (float) fy).on(screen.device(), screen.width(), screen.width()));
            fixture.batch(UUID.randomUUID(), 0, at.plusSeconds(5), clicks);
        }
        aggregate();

        for (Screen screen : screens) {
            // σ 4 px: the nine spots stay apart; the spot's centre of mass is where it is drawn.
            Heatmap map = query.heatmap(fixture.siteId, fixture.pageId, screen.device(), "click", screen.day(), screen.day(), 4.0, true);
            assertThat(map.total()).isEqualTo(9);
            Layouts.Box card = screen.card();
            for (double fx : xs) {
                for (double fy : ys) {
                    double x = card.x() + fx * card.width(), y = card.y() + fy * card.height();
                    assertThat(map.counts()[(int) (y / 8) * map.columns() + (int) (x / 8)]).as("the cell holding the click").isEqualTo(1);
                    double[] drawn = centreOfSpot(map, x, y);
                    assertThat(Math.hypot(drawn[0] - x, drawn[1] - y)).as("%s at %d px, in-box (%s, %s): drawn at (%.1f, %.1f), truth (%.1f, %.1f)",
                            screen.device(), screen.width(), fx, fy, drawn[0], drawn[1], x, y).isLessThanOrEqualTo(2.0);
                }
            }
        }
    }

    @Test
    void clicks_in_one_bin_are_drawn_at_their_mean_as_spread_as_they_were() {
        // In-box x 0.39 and 0.43 of a 600 px card: 234 and 258 px from its left, both in bin 6 of 16 (225 to 262.5 px).
        fixture.batch(UUID.randomUUID(), 0, T0.plusSeconds(5), List.of(
                click(T0, 100, 100, "#card", 0.39f, 0.5f), click(T0.plusSeconds(1), 100, 100, "#card", 0.43f, 0.5f)));
        aggregate();
        layout("#card", 420, 1200, 600, 400);

        Heatmap map = query.heatmap(fixture.siteId, fixture.pageId, "desktop", "click", DAY, DAY, 4.0, true);
        double[] drawn = centreOfSpot(map, 666, 1400);
        // Their mean, 420 + 246 = 666 px (to the 1/256 of the box the moments keep).
        assertThat(drawn[0]).isCloseTo(666, within(2.0));
        assertThat(drawn[1]).isCloseTo(1400, within(2.0));
        // As wide as the two clicks 24 px apart (12 px from their mean) blurred by σ 4 px: √(12² + 4²) = 12.6 px, give or
        // take what 8 px cells add; one point at the bin's centre would be about 4 px wide.
        assertThat(spreadOfSpot(map, drawn[0], 1400)).isBetween(11.5, 14.5);
    }

    @Test
    void clicks_counted_before_in_box_moments_were_kept_are_drawn_as_before_in_their_bin_s_cell() {
        fixture.batch(UUID.randomUUID(), 0, T0.plusSeconds(5), List.of(click(T0, 100, 100, "#card", 0.5f, 0.5f)));
        aggregate();
        // What V15 leaves of rows written before it: no moments.
        db.jdbi().useHandle(h -> h.execute("UPDATE click_target SET anchor_moments = ''::bytea"));
        layout("#card", 420, 1200, 600, 400);

        Heatmap map = query.heatmap(fixture.siteId, fixture.pageId, "desktop", "click", DAY, DAY, 4.0, true);
        // Bin 8 of 16: (420 + 8.5/16·600, 1200 + 8.5/16·400) = (738.75, 1412.5), whole in cell (92, 176): its spot is
        // centred on that cell's centre (740, 1412), 20 px right of and 12 px below the true centre (720, 1400).
        double[] drawn = centreOfSpot(map, 738.75, 1412.5);
        assertThat(drawn[0]).isCloseTo(740, within(0.5));
        assertThat(drawn[1]).isCloseTo(1412, within(0.5));
    }

    /** The standard deviation along x of the drawn values within 4 cells of (x, y) px, around x. */
    private static double spreadOfSpot(Heatmap map, double x, double y) {
        int cx = (int) (x / 8), cy = (int) (y / 8);
        double sum = 0, sxx = 0;
        for (int r = Math.max(cy - 4, 0); r <= Math.min(cy + 4, map.rows() - 1); r++) {
            for (int c = Math.max(cx - 4, 0); c <= Math.min(cx + 4, map.columns() - 1); c++) {
                double v = map.values()[r * map.columns() + c], dx = (c + 0.5) * 8 - x;
                sum += v;
                sxx += v * dx * dx;
            }
        }
        return Math.sqrt(sxx / sum);
    }

    /** The centre of mass of the drawn values within 4 cells of (x, y) px, in layout px (a cell's value at its centre). */
    private static double[] centreOfSpot(Heatmap map, double x, double y) {
        int cx = (int) (x / 8), cy = (int) (y / 8);
        double sum = 0, sx = 0, sy = 0;
        for (int r = Math.max(cy - 4, 0); r <= Math.min(cy + 4, map.rows() - 1); r++) {
            for (int c = Math.max(cx - 4, 0); c <= Math.min(cx + 4, map.columns() - 1); c++) {
                double v = map.values()[r * map.columns() + c];
                sum += v;
                sx += v * (c + 0.5) * 8;
                sy += v * (r + 0.5) * 8;
            }
        }
        assertThat(sum).as("a spot near (%.0f, %.0f)", x, y).isPositive();
        return new double[] {sx / sum, sy / sum};
    }

    @Test
    void before_any_capture_clicks_fall_back_to_scaled_page_coordinates() {
        fixture.batch(UUID.randomUUID(), 0, T0.plusSeconds(5), List.of(
                click(T0, 962, 1013, "#buy", 0.5f, 0.5f).on("desktop", 1920, 1905),
                click(T0, 642, 1013, "#other", 0.5f, 0.5f).on("desktop", 1280, 1265)));
        aggregate();

        Heatmap map = query.heatmap(fixture.siteId, fixture.pageId, "desktop", "click", DAY, DAY, null, true);

        // 962·1440/1905 = 727.2 and 642·1440/1265 = 730.8: both in column 90 and 91; row 126.
        assertThat(map.counts()[126 * map.columns() + 90] + map.counts()[126 * map.columns() + 91]).isEqualTo(2);
        assertThat(map.total()).isEqualTo(2);
        assertThat(map.notDrawn()).isZero();
    }

    @Test
    void clicks_on_an_element_the_capture_did_not_see_are_counted_not_drawn_unless_fixed() {
        fixture.batch(UUID.randomUUID(), 0, T0.plusSeconds(5), List.of(
                // A row that "Load more" added, twice, and a closed drawer's link: not on the capture.
                click(T0, 700, 4200, "#list>li:nth-of-type(40)>button", 0.5f, 0.5f),
                click(T0.plusSeconds(1), 700, 4200, "#list>li:nth-of-type(40)>button", 0.5f, 0.5f),
                click(T0.plusSeconds(2), 40, 300, "#drawer>a", 0.5f, 0.5f),
                // A back-to-top button shown after scrolling, fixed 60 px above the bottom of a 1,000 px window.
                click(T0.plusSeconds(3), 1380, 940, "#to-top", 0.5f, 0.5f).fixedInViewport().inWindowOfHeight(1000),
                // On the capture.
                click(T0.plusSeconds(4), 727, 1013, "#buy", 0.5f, 0.5f)));
        layout("#buy", 600, 1000, 240, 48);
        aggregate(); // also stores the default views

        Heatmap map = query.heatmap(fixture.siteId, fixture.pageId, "desktop", "click", DAY, DAY, 4.0, true);

        assertThat(map.notDrawn()).as("clicks on the unseen row and link").isEqualTo(3);
        assertThat(map.total()).as("drawn: #buy and the fixed button").isEqualTo(2);
        // Nothing where the visitors' screens had the row (x 700, y 4200) and the drawer's link (40, 300).
        assertThat(map.counts()[(4200 / 8) * map.columns() + 700 / 8]).isZero();
        assertThat(map.values()[(300 / 8) * map.columns() + 40 / 8]).isZero();
        assertThat(map.values()[(4200 / 8) * map.columns() + 700 / 8]).isZero();
        // The fixed button 60 px above the bottom of the screenshot's 900 px first screen: y = 840, x = 1380.
        assertThat(map.counts()[(840 / 8) * map.columns() + 1380 / 8]).isEqualTo(1);
        // #buy's exact middle: (600 + 128.5/256 · 240, 1000 + 128.5/256 · 48) = (720.5, 1024.1).
        assertThat(map.counts()[(1024 / 8) * map.columns() + 720 / 8]).isEqualTo(1);

        // The stored views keep the count, and serve it.
        assertThat(storedTotal("click", 7)).isEqualTo(2);
        long storedNotDrawn = db.jdbi().withHandle(h -> h.createQuery("SELECT not_drawn FROM heatmap_view WHERE kind = 'click' AND days = 7")
                .mapTo(Long.class).one());
        assertThat(storedNotDrawn).isEqualTo(3);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        assertThat(query.heatmap(fixture.siteId, fixture.pageId, "desktop", "click", today.minusDays(6), today, null, false).notDrawn()).isEqualTo(3);
    }

    @Test
    void clicks_counted_before_fixed_clicks_were_kept_apart_are_drawn_from_their_cells_as_before() {
        fixture.batch(UUID.randomUUID(), 0, T0.plusSeconds(5), List.of(click(T0, 700, 4200, "#list>li:nth-of-type(40)>button", 0.5f, 0.5f)));
        aggregate();
        // What V16 leaves of rows written before it: not known which clicks were fixed.
        db.jdbi().useHandle(h -> h.execute("UPDATE click_target SET fixed_cells = NULL"));
        layout("#buy", 600, 1000, 240, 48);

        Heatmap map = query.heatmap(fixture.siteId, fixture.pageId, "desktop", "click", DAY, DAY, null, true);

        assertThat(map.notDrawn()).isZero();
        assertThat(map.counts()[(4200 / 8) * map.columns() + 700 / 8]).isEqualTo(1);
    }

    @Test
    void a_range_sums_its_days_only_and_counts_its_page_views() {
        fixture.batch(UUID.randomUUID(), 0, T0.plusSeconds(5), List.of(move(T0, 100, 100)));
        fixture.batch(UUID.randomUUID(), 0, T0.plusSeconds(86_405), List.of(move(T0.plusSeconds(86_400), 100, 100), move(T0.plusSeconds(86_401), 300, 300)));
        aggregate();

        Heatmap first = query.heatmap(fixture.siteId, fixture.pageId, "desktop", "move", DAY, DAY, null, false);
        Heatmap both = query.heatmap(fixture.siteId, fixture.pageId, "desktop", "move", DAY, DAY.plusDays(1), null, false);

        assertThat(first.total()).isEqualTo(1);
        assertThat(first.pageviews()).isEqualTo(1);
        assertThat(first.counts()).isNull();
        assertThat(both.total()).isEqualTo(3);
        assertThat(both.pageviews()).isEqualTo(2);
        assertThat(both.rows()).isEqualTo(5000 / 8);
        assertThat(both.values()).hasSize(180 * 625);
    }

    @Test
    void smoothing_spreads_a_click_by_sigma_and_a_wider_sigma_spreads_it_further() {
        fixture.batch(UUID.randomUUID(), 0, T0.plusSeconds(5), List.of(move(T0, 724, 2004)));
        aggregate();

        Heatmap narrow = query.heatmap(fixture.siteId, fixture.pageId, "desktop", "move", DAY, DAY, 8.0, false);
        Heatmap wide = query.heatmap(fixture.siteId, fixture.pageId, "desktop", "move", DAY, DAY, 64.0, false);

        int center = 250 * 180 + 90, twoCellsRight = center + 2;
        assertThat(narrow.values()[center]).isEqualTo(1f);
        // σ = 1 cell: two cells away the density is exp(-2) of the peak; σ = 8 cells: exp(-1/32).
        assertThat((double) narrow.values()[twoCellsRight]).isCloseTo(Math.exp(-2), org.assertj.core.data.Offset.offset(0.02));
        assertThat((double) wide.values()[twoCellsRight]).isCloseTo(Math.exp(-4.0 / 128), org.assertj.core.data.Offset.offset(0.02));
        assertThat(narrow.max()).isGreaterThan(wide.max());
        assertThat(narrow.p99()).isLessThanOrEqualTo(narrow.max());
    }

    @Test
    void the_default_views_are_stored_ready_to_draw_and_follow_new_counts() {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        fixture.batch(UUID.randomUUID(), 0, T0.plusSeconds(5), List.of(click(T0, 724, 1000, "#buy", 0.5f, 0.5f), move(T0, 300, 300)));
        Aggregator.Pass pass = new Aggregator(db.jdbi(), AggregatorSettings.defaults()).aggregatePending();

        assertThat(pass.viewsRefreshed()).isEqualTo(2); // desktop click and desktop move, 7 and 30 days each
        assertThat(storedViews()).isEqualTo(4);
        Heatmap stored = query.heatmap(fixture.siteId, fixture.pageId, "desktop", "click", today.minusDays(6), today, null, false);
        Heatmap storedWithCounts = query.heatmap(fixture.siteId, fixture.pageId, "desktop", "click", today.minusDays(6), today, null, true);
        Heatmap computed = query.computed(fixture.siteId, fixture.pageId, "desktop", "click", today.minusDays(6), today, null, true);
        // Stored at the default σ of their own amount of data (one click on the page: the widest).
        assertThat(stored.sigma()).isEqualTo(computed.sigma()).isEqualTo(stored.defaultSigma())
                .isEqualTo(SmoothingRule.sigmaPx(1, (double) stored.layoutWidth() * stored.layoutHeight()));
        assertThat(stored.counts()).isNull();
        assertThat(storedWithCounts.counts()).containsExactly(computed.counts());
        assertThat(stored.values()).containsExactly(computed.values());
        assertThat(storedWithCounts.values()).containsExactly(computed.values());
        assertThat(stored.total()).isEqualTo(1);
        assertThat(stored.max()).isEqualTo(computed.max());

        // New counts reach the stored view at most every viewRefresh (5 minutes by default): not yet. Until then the
        // view is marked dirty and not served: the heatmap is computed from the new counts. (The new page view marks
        // the move view too: its page views changed.)
        fixture.batch(UUID.randomUUID(), 0, T0.plusSeconds(65), List.of(click(T0.plusSeconds(60), 724, 1000, "#buy", 0.5f, 0.5f)));
        assertThat(new Aggregator(db.jdbi(), AggregatorSettings.defaults()).aggregatePending().viewsRefreshed()).isZero();
        assertThat(storedTotal("click", 30)).as("the stored view is stale").isEqualTo(1);
        assertThat(query.heatmap(fixture.siteId, fixture.pageId, "desktop", "click", today.minusDays(29), today, null, false).total()).isEqualTo(2);
        assertThat(query.heatmap(fixture.siteId, fixture.pageId, "desktop", "click", today.minusDays(29), today, null, true).total()).isEqualTo(2);
        assertThat(query.heatmap(fixture.siteId, fixture.pageId, "desktop", "move", today.minusDays(29), today, null, false).pageviews()).isEqualTo(2);
        assertThat(new Aggregator(db.jdbi(), AggregatorSettings.defaults().withViewRefresh(Duration.ZERO)).aggregatePending().viewsRefreshed()).isEqualTo(2);
        assertThat(storedTotal("click", 30)).isEqualTo(2);
        assertThat(query.heatmap(fixture.siteId, fixture.pageId, "desktop", "click", today.minusDays(29), today, null, false).total()).isEqualTo(2);
        // A view stored without counts (before they were kept) answers for the density only; with counts it is computed.
        db.jdbi().useHandle(h -> h.execute("UPDATE heatmap_view SET counts = NULL, total = 7 WHERE days = 30 AND kind = 'click'"));
        assertThat(query.heatmap(fixture.siteId, fixture.pageId, "desktop", "click", today.minusDays(29), today, null, false).total()).isEqualTo(7);
        assertThat(query.heatmap(fixture.siteId, fixture.pageId, "desktop", "click", today.minusDays(29), today, null, true).total()).isEqualTo(2);
        db.jdbi().useHandle(h -> h.execute("UPDATE heatmap_view SET total = 2 WHERE days = 30 AND kind = 'click'"));
        // A view whose range ended yesterday is recomputed for today on the next pass, even without new events.
        db.jdbi().useHandle(h -> h.execute("UPDATE heatmap_view SET as_of = as_of - 1"));
        assertThat(new Aggregator(db.jdbi(), AggregatorSettings.defaults()).aggregatePending().viewsRefreshed()).isEqualTo(2);
        int current = db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM heatmap_view WHERE as_of = :today")
                .bind("today", today).mapTo(Integer.class).one());
        assertThat(current).isEqualTo(4);
        // A view stored under another default rule (σ 16 px before it followed the data) is not served as the default.
        db.jdbi().useHandle(h -> h.execute("UPDATE heatmap_view SET sigma = 16"));
        Heatmap recomputed = query.heatmap(fixture.siteId, fixture.pageId, "desktop", "click", today.minusDays(6), today, null, false);
        assertThat(recomputed.sigma()).isEqualTo(recomputed.defaultSigma()).isNotEqualTo(16.0);
    }

    @Test
    void a_new_layout_replaces_the_old_boxes_and_the_stored_click_views_drawn_on_them() {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        fixture.batch(UUID.randomUUID(), 0, T0.plusSeconds(5), List.of(click(T0, 962, 1013, "#buy", 0.5f, 0.5f).on("desktop", 1920, 1905),
                move(T0, 300, 300)));
        db.jdbi().useHandle(h -> Layouts.replace(h, fixture.siteId, fixture.pageId, "desktop",
                List.of(new Layouts.Box("#buy", 600, 1000, 240, 48), new Layouts.Box("#gone", 0, 0, 10, 10)), T0));
        aggregate();
        assertThat(storedViews()).isEqualTo(4);
        int before = hottest(query.heatmap(fixture.siteId, fixture.pageId, "desktop", "click", today.minusDays(6), today, null, true));
        assertThat(before).isEqualTo(128 * 180 + 90); // the box's centre (720, 1024) in 8 px cells

        // A capture of the redesigned page: the button moved to (100, 3000).
        db.jdbi().useHandle(h -> Layouts.replace(h, fixture.siteId, fixture.pageId, "desktop",
                List.of(new Layouts.Box("#buy", 100, 3000, 80, 40)), T0.plusSeconds(3600)));
        List<String> layout = db.jdbi().withHandle(h -> h.createQuery("SELECT selector || ' ' || x || ' ' || y FROM layout_element")
                .mapTo(String.class).list());
        assertThat(layout).containsExactly("#buy 100 3000");
        // The click views drawn on the old boxes are gone (the move views stay) and marked for the next refresh.
        assertThat(storedViews()).isEqualTo(2);
        Heatmap now = query.heatmap(fixture.siteId, fixture.pageId, "desktop", "click", today.minusDays(6), today, null, true);
        assertThat(hottest(now)).isEqualTo(377 * now.columns() + 17); // the new box's centre (140, 3020)
        assertThat(new Aggregator(db.jdbi(), AggregatorSettings.defaults()).aggregatePending().viewsRefreshed()).isEqualTo(1);
        assertThat(storedViews()).isEqualTo(4);
        assertThat(hottest(query.heatmap(fixture.siteId, fixture.pageId, "desktop", "click", today.minusDays(29), today, null, false)))
                .isEqualTo(377 * now.columns() + 17);
    }

    @Test
    void values_stay_within_zero_and_one_with_no_negative_zero_whatever_the_sigma() {
        // Two far-apart spots: the smoothing's residue between and around them is where tiny negatives and -0.0 arise.
        List<EventFixture.Event> events = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) events.add(move(T0.plusMillis(i), 200 + i % 3, 300));
        events.add(move(T0, 1300, 4800));
        fixture.batch(UUID.randomUUID(), 0, T0.plusSeconds(5), events);
        aggregate();

        for (Double sigma : java.util.Arrays.asList(null, 1.0, 3.0, 8.0, 24.0, 64.0, 256.0)) {
            Heatmap map = query.heatmap(fixture.siteId, fixture.pageId, "desktop", "move", DAY, DAY, sigma, false);
            int zeros = 0;
            for (float v : map.values()) {
                assertThat(v).as("sigma %s", sigma).isBetween(0f, 1f);
                assertThat(Float.floatToRawIntBits(v)).as("-0.0 at sigma %s", sigma).isNotEqualTo(Float.floatToRawIntBits(-0f));
                if (v == 0) zeros++;
            }
            assertThat(map.values()[hottest(map)]).isEqualTo(1f);
            if (sigma != null && sigma <= 8) assertThat(zeros).as("far from both spots nothing is drawn at sigma %s", sigma).isPositive();
        }
    }

    @Test
    void refuses_what_it_cannot_answer() {
        assertThatThrownBy(() -> query.heatmap(fixture.siteId, fixture.pageId, "watch", "click", DAY, DAY, null, false)).hasMessageContaining("device");
        assertThatThrownBy(() -> query.heatmap(fixture.siteId, fixture.pageId, "desktop", "scroll", DAY, DAY, null, false)).hasMessageContaining("kind");
        assertThatThrownBy(() -> query.heatmap(fixture.siteId, fixture.pageId, "desktop", "click", DAY, DAY.minusDays(1), null, false)).hasMessageContaining("from");
        assertThatThrownBy(() -> query.heatmap(fixture.siteId, fixture.pageId, "desktop", "click", DAY, DAY, 0.5, false)).hasMessageContaining("sigma");
        assertThatThrownBy(() -> query.heatmap(fixture.siteId, fixture.pageId, "desktop", "click", DAY, DAY, 257.0, false)).hasMessageContaining("sigma");
        assertThat(query.heatmap(fixture.siteId, fixture.pageId, "desktop", "click", DAY, DAY, null, false).total()).isZero();
    }

    /** The total of the stored desktop view of a kind and length, whether it is served or not. */
    private long storedTotal(String kind, int days) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT total FROM heatmap_view WHERE kind = :kind::event_kind AND days = :days AND device = 'desktop'")
                .bind("kind", kind).bind("days", days).mapTo(Long.class).one());
    }

    private int storedViews() {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM heatmap_view").mapTo(Integer.class).one());
    }

    private void aggregate() {
        new Aggregator(db.jdbi(), AggregatorSettings.defaults()).aggregatePending();
    }

    private void layout(String selector, int x, int y, int width, int height) {
        db.jdbi().useHandle(h -> h.createUpdate("""
                        INSERT INTO layout_element (site_id, page_id, device, selector, x, y, width, height, captured_at)
                        VALUES (:site, :page, 'desktop', :selector, :x, :y, :w, :h, now())
                        ON CONFLICT (site_id, page_id, device, selector) DO UPDATE SET x = :x, y = :y, width = :w, height = :h""")
                .bind("site", fixture.siteId).bind("page", fixture.pageId).bind("selector", selector)
                .bind("x", x).bind("y", y).bind("w", width).bind("h", height)
                .execute());
    }

    private static int hottest(Heatmap map) {
        int best = 0;
        for (int i = 1; i < map.values().length; i++) if (map.values()[i] > map.values()[best]) best = i;
        return best;
    }
}
