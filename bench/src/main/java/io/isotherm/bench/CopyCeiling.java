package io.isotherm.bench;

import io.isotherm.collector.CollectBatch;
import io.isotherm.collector.DirectIngest;
import io.isotherm.collector.EncodedBatch;
import io.isotherm.collector.IngestTransaction;
import io.isotherm.db.event.RawEventPartitions;
import io.isotherm.db.page.PageDao;
import io.isotherm.db.page.PageUrl;
import io.isotherm.db.site.Site;
import io.isotherm.db.site.SiteDao;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;

import java.nio.charset.StandardCharsets;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * The ingest ceiling: the database work of the collector's group commit without HTTP, JSON or validation. Each
 * thread holds one connection and repeats the collector's own transaction ({@link IngestTransaction}: key-share lock
 * the site row, insert the batches' ingest_batch receipts, {@code COPY} their rows into raw_event, commit) over the
 * bodies the HTTP benchmark sends, turned into receipts and rows by the collector's own steps ({@link DirectIngest}).
 * That happens before the clock starts; per transaction only fresh pageview ids are written into copies of the rows.
 */
public final class CopyCeiling {
    private static final String USAGE = """
            usage: CopyCeiling --jdbc jdbc:postgresql://localhost:PORT/postgres --site KEY [options]
              --user NAME           database user (default postgres, no password)
              --origin URL          origin of the page URLs (default http://bench.example)
              --threads LIST        writer threads to measure, e.g. 1,2 (default 1,2)
              --batches-per-tx LIST batches (of 20-60 events) per transaction, e.g. 8,50 (default 50)
              --seconds S           measured seconds per configuration (default 20)
              --warmup S            seconds before measuring (default 3)
              --seed N              workload seed (default 1)
              --pageviews N         distinct pre-rendered pageviews, reused with fresh ids (default 3000)
              --postgres-pid PID    postmaster, for the CPU split (optional)
              --label TEXT          added to the RESULT lines""";

    /** A batch as the collector would write it, with the offsets of the pageview id in its rows. */
    private record Rendered(EncodedBatch batch, int[] pageviewOffsets) {
        /** The same batch under another pageview id: new to the receipts, so stored again. */
        EncodedBatch as(UUID id) {
            byte[] rows = batch.rows().clone();
            for (int offset : pageviewOffsets) {
                Workload.writeUuid(rows, offset, id.getMostSignificantBits(), id.getLeastSignificantBits());
            }
            return new EncodedBatch(batch.receipt().withPageview(id), rows);
        }

        int events() {
            return batch.receipt().eventCount();
        }
    }

    public static void main(String[] argv) throws Exception {
        var args = new Args(argv, USAGE, Set.of("jdbc", "user", "site", "origin", "threads", "batches-per-tx", "seconds",
                "warmup", "seed", "pageviews", "postgres-pid", "label"));
        String jdbc = args.text("jdbc", null);
        if (!jdbc.startsWith("jdbc:postgresql://localhost:") && !jdbc.startsWith("jdbc:postgresql://127.0.0.1:")) {
            args.fail("--jdbc must point at this machine (jdbc:postgresql://localhost:PORT/…)");
        }
        String user = args.text("user", "postgres");
        String siteKey = args.text("site", null);
        String origin = args.text("origin", "http://bench.example");
        List<Integer> threadCounts = args.integers("threads", "1,2");
        List<Integer> batchesPerTx = args.integers("batches-per-tx", "50");
        int seconds = args.integer("seconds", 20);
        int warmup = args.integer("warmup", 3);
        long seed = args.longValue("seed", 1);
        int pageviewCount = args.integer("pageviews", 3000);
        var cpu = new CpuMeter(0, args.longValue("postgres-pid", 0));
        String label = args.text("label", "");
        if (seconds < 1 || seconds > 3600 || warmup < 0 || warmup > 600 || pageviewCount < 1
                || threadCounts.stream().anyMatch(t -> t < 1 || t > 64) || batchesPerTx.stream().anyMatch(b -> b < 1 || b > 10_000)) {
            args.fail("out of range: seconds 1-3600, warmup 0-600, threads 1-64, batches-per-tx 1-10000");
        }

        // As the collector's Database, without the pool: each thread holds its own connection.
        Jdbi jdbi = Jdbi.create(() -> DriverManager.getConnection(jdbc, user, null)).installPlugin(new PostgresPlugin());
        Site site = new SiteDao(jdbi).findByKey(siteKey).orElseThrow(() -> new IllegalArgumentException("no site has the key " + siteKey));
        System.out.println("postgres: " + jdbi.withHandle(h -> h.createQuery("""
                        SELECT string_agg(name || '=' || setting || coalesce(unit, ''), ' ' ORDER BY name) FROM pg_settings
                        WHERE name IN ('server_version', 'synchronous_commit', 'fsync', 'full_page_writes', 'wal_level',
                                       'shared_buffers', 'max_wal_size', 'checkpoint_timeout', 'wal_compression')""")
                .mapTo(String.class)
                .one()));
        new RawEventPartitions(jdbi, 7).ensure(); // today's partition and neighbours, as the collector's upkeep keeps them
        var pages = new PageDao(jdbi);
        Map<String, Long> pageIds = new HashMap<>();
        List<Workload.Pageview> generated = new Workload(siteKey, origin, seed).pageviews(pageviewCount, System.currentTimeMillis());
        for (Workload.Pageview pv : generated) {
            pageIds.computeIfAbsent(PageUrl.normalize(pv.url(), site.pageQueryParams()), url -> pages.idFor(site.id(), url));
        }

        var pageviews = new ArrayList<List<Rendered>>(generated.size());
        long batches = 0, rows = 0;
        for (Workload.Pageview pv : generated) {
            var list = new ArrayList<Rendered>();
            for (CollectBatch b : pv.batches()) {
                byte[] body = Workload.json(b).getBytes(StandardCharsets.UTF_8);
                EncodedBatch batch = DirectIngest.encode(IngestLoad.USER_AGENT, origin, body, site, pageIds::get,
                        Instant.ofEpochMilli(b.sentAt()));
                int[] offsets = Workload.placeholderOffsets(batch.rows());
                if (offsets.length != batch.receipt().eventCount()) {
                    throw new IllegalStateException("expected the pageview id once per row");
                }
                list.add(new Rendered(batch, offsets));
                batches++;
                rows += offsets.length;
            }
            pageviews.add(List.copyOf(list));
        }
        System.out.printf(Locale.ROOT, "rendered %d pageviews: %d batches, %.1f rows per batch on average; site %d, %d pages%n",
                pageviews.size(), batches, (double) rows / batches, site.id(), pageIds.size());

        boolean ok = true;
        for (int bpt : batchesPerTx) {
            for (int threads : threadCounts) {
                ok &= run(jdbi, site.id(), pageviews, threads, bpt, seconds, warmup, cpu, label);
            }
        }
        System.exit(ok ? 0 : 1);
    }

    private static boolean run(Jdbi jdbi, int siteId, List<List<Rendered>> pageviews, int threadCount,
                               int batchesPerTx, int seconds, int warmup, CpuMeter cpu, String label) throws Exception {
        long rowsBefore = rows(jdbi, siteId);
        long start = System.nanoTime();
        long warmupEnd = start + warmup * 1_000_000_000L;
        long measureEnd = warmupEnd + seconds * 1_000_000_000L;
        var measuredRows = new LongAdder();
        var measuredTx = new LongAdder();
        var committedRows = new LongAdder();
        var failure = new AtomicReference<Throwable>();
        var recorders = new ArrayList<Latencies>();
        var threads = new ArrayList<Thread>();
        for (int i = 0; i < threadCount; i++) {
            var recorder = new Latencies();
            recorders.add(recorder);
            int first = i;
            Thread t = new Thread(() -> {
                try (Handle h = jdbi.open()) {
                    writeLoop(h, pageviews, first, threadCount, batchesPerTx, warmupEnd, measureEnd, recorder,
                            measuredRows, measuredTx, committedRows);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "copy-ceiling-" + i);
            threads.add(t);
        }
        threads.forEach(Thread::start);
        sleepUntil(warmupEnd);
        CpuMeter.Sample cpuBefore = cpu.sample();
        sleepUntil(measureEnd);
        CpuMeter.Sample cpuAfter = cpu.sample();
        for (Thread t : threads) {
            t.join(60_000);
        }
        if (threads.stream().anyMatch(Thread::isAlive)) {
            failure.compareAndSet(null, new IllegalStateException("a writer did not finish within 60 s of the end"));
        }

        long[] sorted = Latencies.merged(recorders);
        double rowsPerSecond = measuredRows.sum() / (double) seconds;
        double txPerSecond = measuredTx.sum() / (double) seconds;
        long stored = rows(jdbi, siteId) - rowsBefore;
        boolean verified = stored == committedRows.sum();
        Map<String, Double> cores = cpu.report(cpuBefore, cpuAfter, "COPY client");
        System.out.printf(Locale.ROOT, "%n%d thread(s), %d batches per transaction, %d s measured after %d s warm-up%n",
                threadCount, batchesPerTx, seconds, warmup);
        System.out.printf(Locale.ROOT, "  throughput:     %.0f rows/s, %.1f transactions/s, %.0f rows per transaction%n",
                rowsPerSecond, txPerSecond, measuredRows.sum() / Math.max(1.0, measuredTx.sum()));
        System.out.printf(Locale.ROOT, "  transaction (ms): p50 %.2f  p99 %.2f  max %.2f%n", Latencies.percentileMillis(sorted, 50),
                Latencies.percentileMillis(sorted, 99), Latencies.percentileMillis(sorted, 100));
        System.out.println("  busy cores:     " + CpuMeter.format(cores));
        System.out.printf(Locale.ROOT, "  verified:       raw_event grew by %d rows, %d rows were committed%s%n", stored,
                committedRows.sum(), verified ? "" : "  MISMATCH");
        if (failure.get() != null) {
            System.out.println("  FAILED: " + failure.get());
        }
        boolean ok = verified && failure.get() == null;
        System.out.printf(Locale.ROOT, "RESULT_COPY label=%s threads=%d batches_per_tx=%d rows_per_tx=%.0f rows_per_s=%.0f "
                        + "tx_per_s=%.1f tx_p50_ms=%.2f tx_p99_ms=%.2f errors=%d%s%n",
                label.isEmpty() ? "-" : label, threadCount, batchesPerTx, measuredRows.sum() / Math.max(1.0, measuredTx.sum()),
                rowsPerSecond, txPerSecond, Latencies.percentileMillis(sorted, 50), Latencies.percentileMillis(sorted, 99),
                ok ? 0 : 1, cores.entrySet().stream().map(e -> String.format(Locale.ROOT, " cpu_%s=%.2f",
                        e.getKey().replace(' ', '_'), e.getValue())).reduce("", String::concat));
        return ok;
    }

    private static void writeLoop(Handle handle, List<List<Rendered>> pageviews, int first, int stride, int batchesPerTx,
                                  long warmupEnd, long measureEnd, Latencies recorder, LongAdder measuredRows,
                                  LongAdder measuredTx, LongAdder committedRows) throws SQLException {
        var random = new SplittableRandom(System.nanoTime() ^ ((long) first << 32));
        var tx = new ArrayList<EncodedBatch>(batchesPerTx);
        int nextPageview = first;
        List<Rendered> pageview = List.of();
        int nextBatch = 0;
        UUID id = null;
        while (System.nanoTime() < measureEnd) {
            // The next batchesPerTx batches, pageview after pageview (a pageview may straddle transactions).
            tx.clear();
            int rows = 0;
            while (tx.size() < batchesPerTx) {
                if (nextBatch == pageview.size()) {
                    pageview = pageviews.get(nextPageview % pageviews.size());
                    nextPageview += stride;
                    nextBatch = 0;
                    id = new UUID((random.nextLong() & ~0xF000L) | 0x4000L,
                            (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L);
                }
                Rendered batch = pageview.get(nextBatch++);
                tx.add(batch.as(id));
                rows += batch.events();
            }
            long started = System.nanoTime();
            handle.useTransaction(h -> {
                IngestTransaction.Result result = IngestTransaction.store(h, tx);
                if (result.liveSites().isEmpty()) {
                    throw new IllegalStateException("the site is gone");
                }
                if (result.stored().size() != tx.size()) { // throwing rolls back
                    throw new IllegalStateException(tx.size() - result.stored().size()
                            + " receipts already existed: pageview ids are not fresh");
                }
            });
            long done = System.nanoTime();
            committedRows.add(rows);
            if (done >= warmupEnd && done < measureEnd) {
                recorder.add((done - started) / 1_000);
                measuredRows.add(rows);
                measuredTx.increment();
            }
        }
    }

    private static long rows(Jdbi jdbi, int siteId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM raw_event WHERE site_id = :site")
                .bind("site", siteId)
                .mapTo(Long.class)
                .one());
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long wait;
        while ((wait = nanoTime - System.nanoTime()) > 0) {
            Thread.sleep(Math.max(1, wait / 1_000_000));
        }
    }
}
