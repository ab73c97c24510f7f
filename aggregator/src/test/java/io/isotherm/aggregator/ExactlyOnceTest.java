package io.isotherm.aggregator;

import io.isotherm.aggregator.EventFixture.Event;
import io.isotherm.db.Database;
import io.isotherm.db.TestPostgres;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

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
        // as when the aggregator's process or machine dies.
        db.jdbi().useHandle(h -> h.execute("""
                CREATE FUNCTION stall_marking() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN PERFORM pg_sleep(30); RETURN NEW; END $$;
                CREATE TRIGGER stall BEFORE UPDATE ON ingest_batch FOR EACH STATEMENT EXECUTE FUNCTION stall_marking();"""));
        ExecutorService thread = Executors.newSingleThreadExecutor();
        Future<Aggregator.Pass> doomed = thread.submit(() -> new Aggregator(db.jdbi(), settings(30)).aggregatePending());
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

    record Batch(UUID pageview, int seq, Instant receivedAt, List<Event> events) {}

    /**
     * A random but reproducible backlog: page views of 1 to 5 batches, on three device classes, spread over two
     * days around midnight in Berlin, with clicks on a few shared elements, moves, and timed and untimed scrolls.
     */
    private static List<Batch> backlog(int batches, long seed) {
        Random random = new Random(seed);
        String[] selectors = {"#buy", "#signup", "nav>a:nth-of-type(2)", "main>img", "footer>a"};
        List<Batch> backlog = new ArrayList<>();
        while (backlog.size() < batches) {
            UUID pageview = new UUID(random.nextLong(), random.nextLong());
            String device = new String[]{"desktop", "tablet", "mobile"}[random.nextInt(3)];
            int viewportWidth = device.equals("desktop") ? 1280 + random.nextInt(700) : device.equals("tablet") ? 820 : 390;
            int viewportHeight = 600 + random.nextInt(400);
            Instant start = T0.plusSeconds(random.nextInt(26 * 3600)); // crosses midnight in Berlin
            int seqs = 1 + random.nextInt(5);
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
                backlog.add(new Batch(pageview, seq, at.plusSeconds(5), events));
            }
        }
        return backlog;
    }

    private static void write(EventFixture fixture, List<Batch> backlog) {
        backlog.forEach(b -> fixture.batch(b.pageview(), b.seq(), b.receivedAt(), b.events()));
    }

    private static long clicksAndMovesOf(List<Batch> backlog) {
        return backlog.stream().flatMap(b -> b.events().stream()).filter(e -> !e.kind().equals("scroll")).count();
    }

    private static long clicksAndMovesIn(Database db) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT sum(events) FROM heat_cell").mapTo(Long.class).one());
    }
}
