package io.isotherm.aggregator;

import io.isotherm.aggregator.EventFixture.Event;
import io.isotherm.db.Database;
import io.isotherm.db.TestPostgres;
import io.isotherm.grid.AggregateVersion;
import io.isotherm.testing.StoredTraffic;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The same backlog aggregated one way in a reference database and another way here (crashes, concurrent
 * aggregators, any batch order) must give identical aggregates, row for row.
 */
class ExactlyOnceTest {
    private static final Instant T0 = LocalDate.now(ZoneOffset.UTC).minusDays(2).atTime(10, 0).toInstant(ZoneOffset.UTC);

    private Database reference, db;
    private EventFixture expected, actual;

    @BeforeEach
    void setUp() {
        reference = TestPostgres.open();
        db = TestPostgres.open();
        expected = new EventFixture(reference, "Europe/Berlin");
        actual = new EventFixture(db, "Europe/Berlin");
    }

    @AfterEach
    void tearDown() {
        reference.close();
        db.close();
    }

    @Test
    void four_aggregators_at_once_give_what_one_gives() throws Exception {
        List<Batch> backlog = backlog(240, 42);
        write(expected, backlog);
        write(actual, backlog);
        new Aggregator(reference.jdbi(), settings(1000)).aggregatePending();

        // Small transactions so that the four really interleave on shared page views, cells and days.
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<Aggregator.Pass>> passes = new ArrayList<>();
        for (int i = 0; i < 4; i++) passes.add(pool.submit(() -> new Aggregator(db.jdbi(), settings(7)).aggregatePending()));
        int batches = 0, transactionsOfSomeOther = 0;
        for (Future<Aggregator.Pass> pass : passes) {
            batches += pass.get().batches();
            if (pass.get().transactions() > 0) transactionsOfSomeOther++;
        }
        pool.shutdown();

        assertThat(batches).as("every batch aggregated by exactly one of them").isEqualTo(backlog.size());
        assertThat(transactionsOfSomeOther).as("aggregators that did work").isGreaterThan(1);
        assertThat(actual.pendingBatches()).isZero();
        assertThat(actual.snapshot()).isNotEmpty().isEqualTo(expected.snapshot());
        assertSegmentsCounted(expected.snapshot());
        assertThat(clicksAndMovesIn(db)).isEqualTo(clicksAndMovesOf(backlog));
    }

    @Test
    void one_aggregators_workers_hold_claims_at_once_and_give_what_one_gives() throws Exception {
        List<Batch> backlog = backlog(120, 5);
        write(expected, backlog);
        write(actual, backlog);
        new Aggregator(reference.jdbi(), settings(1000).withWorkers(1)).aggregatePending();

        ExecutorService pool = Executors.newSingleThreadExecutor();
        Future<Aggregator.Pass> pass;
        // Every run ends by raising its sites' aggregate version. While this transaction holds that row, a run waits
        // for it with its claim open (or waits behind another run's rows): two sessions waiting at once are two of
        // the aggregator's transactions at once.
        try (Handle holder = db.jdbi().open()) {
            holder.begin();
            AggregateVersion.bump(holder, List.of(actual.siteId));
            pass = pool.submit(() -> new Aggregator(db.jdbi(), settings(30).withWorkers(2)).drain());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            int waiting;
            do {
                Thread.sleep(50);
                waiting = db.jdbi().withHandle(h -> h.createQuery("""
                        SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'""")
                        .mapTo(Integer.class).one());
            } while (waiting < 2 && System.nanoTime() < deadline && !pass.isDone());
            assertThat(waiting).as("aggregation transactions open at once").isEqualTo(2);
            holder.commit();
        }
        Aggregator.Pass done = pass.get(60, TimeUnit.SECONDS);
        pool.shutdown();

        assertThat(done.batches()).isEqualTo(backlog.size());
        assertThat(done.transactions()).isEqualTo(4);
        assertThat(actual.pendingBatches()).isZero();
        assertThat(actual.snapshot()).isNotEmpty().isEqualTo(expected.snapshot());
        assertThat(clicksAndMovesIn(db)).isEqualTo(clicksAndMovesOf(backlog));
    }

    @Test
    void batches_in_any_order_and_any_grouping_give_the_same_aggregates() {
        List<Batch> backlog = backlog(120, 7);
        write(expected, backlog);
        new Aggregator(reference.jdbi(), settings(1000)).aggregatePending();

        // Newest first, one batch per transaction: a page view's later batches are aggregated before its first.
        List<Batch> reversed = new ArrayList<>(backlog);
        Collections.reverse(reversed);
        Aggregator oneAtATime = new Aggregator(db.jdbi(), settings(1));
        for (Batch batch : reversed) {
            write(actual, List.of(batch));
            assertThat(oneAtATime.aggregatePending().batches()).isEqualTo(1);
        }

        assertThat(actual.snapshot()).isEqualTo(expected.snapshot());
    }

    @Test
    void a_run_that_fails_before_commit_leaves_nothing_and_the_rerun_counts_everything_once() {
        List<Batch> backlog = backlog(60, 3);
        write(expected, backlog);
        write(actual, backlog);
        new Aggregator(reference.jdbi(), settings(1000)).aggregatePending();
        // Fails at the last step of the run, after every aggregate row was written: marking the batches done.
        db.jdbi().useHandle(h -> h.execute("""
                CREATE FUNCTION fail_marking() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'aggregator crashed'; END $$;
                CREATE TRIGGER crash BEFORE UPDATE ON ingest_batch FOR EACH ROW EXECUTE FUNCTION fail_marking();"""));

        assertThatThrownBy(() -> new Aggregator(db.jdbi(), settings(1000)).aggregatePending()).hasMessageContaining("aggregator crashed");
        assertThat(actual.snapshot()).isEmpty();
        assertThat(actual.pendingBatches()).isEqualTo(backlog.size());

        db.jdbi().useHandle(h -> h.execute("DROP TRIGGER crash ON ingest_batch"));
        new Aggregator(db.jdbi(), settings(1000)).aggregatePending();
        assertThat(actual.snapshot()).isEqualTo(expected.snapshot());
    }

    @Test
    void an_aggregator_killed_mid_transaction_loses_nothing_and_counts_nothing_twice() throws Exception {
        List<Batch> backlog = backlog(90, 11);
        write(expected, backlog);
        write(actual, backlog);
        new Aggregator(reference.jdbi(), settings(1000)).aggregatePending();
        // The first transaction (30 batches) hangs while marking; its connection is then cut from the server side,
        // as when the aggregator's process or machine dies. One worker, so that transaction is the only one: killing
        // an aggregator with its workers is the test below.
        db.jdbi().useHandle(h -> h.execute("""
                CREATE FUNCTION stall_marking() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN PERFORM pg_sleep(30); RETURN NEW; END $$;
                CREATE TRIGGER stall BEFORE UPDATE ON ingest_batch FOR EACH STATEMENT EXECUTE FUNCTION stall_marking();"""));
        ExecutorService thread = Executors.newSingleThreadExecutor();
        Future<Aggregator.Pass> doomed = thread.submit(() -> new Aggregator(db.jdbi(), settings(30).withWorkers(1)).aggregatePending());
        awaitStalledMarking();
        db.jdbi().useHandle(h -> h.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE '%UPDATE ingest_batch%' AND pid <> pg_backend_pid()"));
        assertThatThrownBy(doomed::get).hasRootCauseInstanceOf(org.postgresql.util.PSQLException.class);
        thread.shutdown();
        db.jdbi().useHandle(h -> h.execute("DROP TRIGGER stall ON ingest_batch"));
        assertThat(actual.pendingBatches()).isEqualTo(backlog.size());

        new Aggregator(db.jdbi(), settings(30)).aggregatePending();
        assertThat(actual.snapshot()).isEqualTo(expected.snapshot());
    }

    @Test
    void an_aggregator_killed_at_ten_random_points_ends_with_what_one_uninterrupted_run_gives() throws Exception {
        List<Batch> backlog = backlog(200, 13);
        write(expected, backlog);
        write(actual, backlog);
        new Aggregator(reference.jdbi(), settings(1000)).aggregatePending();
        String url = db.jdbi().withHandle(h -> h.getConnection().getMetaData().getURL());
        String doomedUrl = url + (url.contains("?") ? "&" : "?") + "ApplicationName=doomed-aggregator";

        // Each run is killed once that many batches are done in all: ten points in the backlog, drawn at random,
        // short of its end so that every run still has work left. Killing it ends its sessions from the server side,
        // as the death of its process would, whatever it was doing.
        Random random = new Random(20261205);
        List<Integer> points = random.ints(10, 1, backlog.size() - 30).sorted().boxed().toList();
        int killed = 0;
        for (int point : points) {
            ExecutorService thread = Executors.newSingleThreadExecutor();
            // Each run is a process of its own: its own pool, whose connections the kill cuts (by application name).
            try (HikariDataSource pool = pool(doomedUrl)) {
                Jdbi process = Jdbi.create(pool).installPlugin(new PostgresPlugin());
                Future<Aggregator.Pass> run = thread.submit(() -> new Aggregator(process, settings(7)).aggregatePending());
                awaitAggregated(point, run);
                db.jdbi().useHandle(h -> h.execute(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'doomed-aggregator'"));
                try {
                    run.get(20, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    killed++;
                }
            } finally {
                thread.shutdownNow();
            }
        }
        assertThat(killed).as("runs killed before they finished").isEqualTo(points.size());
        assertThat(actual.pendingBatches()).as("work left after the last kill").isPositive();

        new Aggregator(db.jdbi(), settings(7)).aggregatePending();
        assertThat(actual.pendingBatches()).isZero();
        assertThat(actual.snapshot()).isNotEmpty().isEqualTo(expected.snapshot());
        assertSegmentsCounted(expected.snapshot());
        assertThat(clicksAndMovesIn(db)).isEqualTo(clicksAndMovesOf(backlog));
    }

    private static HikariDataSource pool(String url) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername("postgres");
        config.setMaximumPoolSize(2);
        return new HikariDataSource(config);
    }

    /** Waits until at least {@code batches} are marked aggregated, while the run goes on (bounded: 20 s). */
    private void awaitAggregated(int batches, Future<Aggregator.Pass> run) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline && !run.isDone()) {
            int done = db.jdbi().withHandle(h -> h.createQuery(
                    "SELECT count(*) FROM ingest_batch WHERE aggregated_at IS NOT NULL").mapTo(Integer.class).one());
            if (done >= batches) return;
            Thread.sleep(2);
        }
        throw new AssertionError("the run ended or stalled before " + batches + " batches were aggregated");
    }

    private void awaitStalledMarking() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            boolean stalled = db.jdbi().withHandle(h -> h.createQuery(
                    "SELECT count(*) > 0 FROM pg_stat_activity WHERE query LIKE '%UPDATE ingest_batch%' AND wait_event = 'PgSleep'")
                    .mapTo(Boolean.class).one());
            if (stalled) return;
            Thread.sleep(20);
        }
        throw new AssertionError("the aggregator never reached the marking step");
    }

    private static AggregatorSettings settings(int batchesPerRun) {
        return AggregatorSettings.defaults().withBatchesPerRun(batchesPerRun);
    }

    record Batch(UUID pageview, int seq, Instant receivedAt, List<Event> events, StoredTraffic.Visit visit) {}

    /**
     * A random but reproducible backlog: page views of 1 to 5 batches, on three device classes, spread over two
     * days around midnight in Berlin, with clicks on a few shared elements, moves, and timed and untimed scrolls; from
     * visitors of a few segments (campaigns, browsers), some recorded before segments were.
     */
    private static List<Batch> backlog(int batches, long seed) {
        Random random = new Random(seed);
        String[] selectors = {"#buy", "#signup", "nav>a:nth-of-type(2)", "main>img", "footer>a"};
        StoredTraffic.Visit spring = StoredTraffic.Visit.DIRECT.referrer("search").campaign("news", "email", "spring");
        StoredTraffic.Visit[] visits = {null, StoredTraffic.Visit.DIRECT, spring, spring.browser("Firefox", "Linux"),
                StoredTraffic.Visit.DIRECT.browser("Safari", "macOS").timeZone("America/New_York")};
        List<Batch> backlog = new ArrayList<>();
        while (backlog.size() < batches) {
            UUID pageview = new UUID(random.nextLong(), random.nextLong());
            String device = new String[]{"desktop", "tablet", "mobile"}[random.nextInt(3)];
            int viewportWidth = device.equals("desktop") ? 1280 + random.nextInt(700) : device.equals("tablet") ? 820 : 390;
            int viewportHeight = 600 + random.nextInt(400);
            Instant start = T0.plusSeconds(random.nextInt(26 * 3600)); // crosses midnight in Berlin
            int seqs = 1 + random.nextInt(5);
            StoredTraffic.Visit visit = visits[random.nextInt(visits.length)];
            for (int seq = 0; seq < seqs && backlog.size() < batches; seq++) {
                List<Event> events = new ArrayList<>();
                Instant at = start.plusSeconds(seq * 5L);
                int n = 1 + random.nextInt(25);
                for (int i = 0; i < n; i++) {
                    Instant t = at.plusMillis(i * 100L);
                    int x = random.nextInt(viewportWidth), y = random.nextInt(6000);
                    Event e = switch (random.nextInt(4)) {
                        case 0 -> {
                            Event click = Event.click(t, x, y, selectors[random.nextInt(selectors.length)], random.nextFloat(), random.nextFloat());
                            click = random.nextInt(5) == 0 ? click.dead() : click;
                            click = random.nextInt(7) == 0 ? click.raging() : click;
                            yield random.nextInt(6) == 0 ? click.fixedInViewport() : click;
                        }
                        case 1, 2 -> Event.move(t, x, y);
                        default -> Event.scroll(t, 600 + random.nextInt(5400), random.nextBoolean() ? null : 1000 + random.nextInt(9000));
                    };
                    events.add(e.on(device, viewportWidth, viewportWidth - 15).viewportHeight(viewportHeight));
                }
                backlog.add(new Batch(pageview, seq, at.plusSeconds(5), events, visit));
            }
        }
        return backlog;
    }

    /** The segments' own rows are in the snapshot compared: elements, their cells and anchors, and tiles. */
    private static void assertSegmentsCounted(List<String> snapshot) {
        for (String table : List.of("segment element: ", "segment target: ", "segment tile: ", "pageview_summary: ")) {
            assertThat(snapshot).as(table).anyMatch(line -> line.startsWith(table) && line.contains("spring"));
        }
    }

    private static void write(EventFixture fixture, List<Batch> backlog) {
        backlog.forEach(b -> fixture.batch(b.pageview(), b.seq(), b.receivedAt(), b.events(), b.visit()));
    }

    private static long clicksAndMovesOf(List<Batch> backlog) {
        return backlog.stream().flatMap(b -> b.events().stream()).filter(e -> !e.kind().equals("scroll")).count();
    }

    private static long clicksAndMovesIn(Database db) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT sum(events) FROM heat_cell_by_day").mapTo(Long.class).one());
    }
}
