package io.isotherm.bench;

import io.isotherm.collector.CollectBatch;
import io.isotherm.collector.CopyRows;
import io.isotherm.db.site.Site;
import io.isotherm.db.page.PageUrl;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
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
 * thread holds one connection and repeats the collector's transaction — key-share lock the site row, insert the
 * batches' ingest_batch receipts ({@code unnest} arrays, {@code ON CONFLICT DO NOTHING RETURNING}), {@code COPY}
 * their rows into raw_event as CSV, commit — with the same statements as GroupCommitWriter, over the same generated
 * batches the HTTP benchmark sends. The CSV is rendered
 * before the clock starts; per transaction only fresh pageview ids are written into a copy of it.
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

    /** The collector's own COPY statement. */
    static final String COPY_SQL = CopyRows.COPY_SQL;
    /** The collector's site check (GroupCommitWriter.store): a concurrent site removal waits for this commit. */
    static final String SITE_LOCK_SQL = "SELECT site_id FROM site WHERE site_id = ANY(?) FOR KEY SHARE";
    /** The collector's receipt insert (GroupCommitWriter.store). */
    static final String RECEIPTS_SQL = """
            INSERT INTO ingest_batch (site_id, pageview_id, seq, page_id, event_count)
            SELECT * FROM unnest(?::integer[], ?::uuid[], ?::integer[], ?::bigint[], ?::integer[])
            ON CONFLICT DO NOTHING
            RETURNING site_id, pageview_id, seq""";

    /** A batch's CSV rows with the offsets of the pageview id in every row. */
    private record CsvBatch(byte[] bytes, int[] pageviewOffsets, int seq, long pageId, int events) {
    }

    private record Pending(UUID pageview, long msb, long lsb, CsvBatch batch) {
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

        int siteId;
        Map<String, Long> pageIds = new HashMap<>();
        List<Workload.Pageview> generated = new Workload(siteKey, origin, seed).pageviews(pageviewCount, System.currentTimeMillis());
        try (Connection c = DriverManager.getConnection(jdbc, user, null)) {
            siteId = siteId(c, siteKey);
            try (var st = c.createStatement(); var rs = st.executeQuery("""
                    SELECT string_agg(name || '=' || setting || coalesce(unit, ''), ' ' ORDER BY name) FROM pg_settings
                    WHERE name IN ('server_version', 'synchronous_commit', 'fsync', 'full_page_writes', 'wal_level',
                                   'shared_buffers', 'max_wal_size', 'checkpoint_timeout', 'wal_compression')""")) {
                rs.next();
                System.out.println("postgres: " + rs.getString(1));
            }
            try (var st = c.createStatement()) {
                // Today's partition and neighbours, as the collector's upkeep keeps them.
                st.execute("SELECT ensure_raw_event_partitions((now() AT TIME ZONE 'UTC')::date - 2, 10)");
            }
            for (Workload.Pageview pv : generated) {
                String url = PageUrl.normalize(pv.url(), List.of());
                if (!pageIds.containsKey(url)) {
                    pageIds.put(url, pageId(c, siteId, url));
                }
            }
        }

        var site = new Site(siteId, siteKey, "bench", List.of(origin), List.of(), "UTC");
        var pageviews = new ArrayList<List<CsvBatch>>(generated.size());
        long batches = 0, rows = 0;
        for (Workload.Pageview pv : generated) {
            long pageId = pageIds.get(PageUrl.normalize(pv.url(), List.of()));
            var list = new ArrayList<CsvBatch>();
            for (CollectBatch b : pv.batches()) {
                byte[] csv = Workload.csv(b, site, pageId).getBytes(StandardCharsets.UTF_8);
                int[] offsets = Workload.placeholderOffsets(csv);
                if (offsets.length != b.events().size()) {
                    throw new IllegalStateException("expected the pageview id once per row");
                }
                list.add(new CsvBatch(csv, offsets, b.seq(), pageId, b.events().size()));
                batches++;
                rows += b.events().size();
            }
            pageviews.add(List.copyOf(list));
        }
        System.out.printf(Locale.ROOT, "rendered %d pageviews: %d batches, %.1f rows per batch on average; site %d, %d pages%n",
                pageviews.size(), batches, (double) rows / batches, siteId, pageIds.size());

        boolean ok = true;
        for (int bpt : batchesPerTx) {
            for (int threads : threadCounts) {
                ok &= run(jdbc, user, siteId, pageviews, threads, bpt, seconds, warmup, cpu, label);
            }
        }
        System.exit(ok ? 0 : 1);
    }

    private static boolean run(String jdbc, String user, int siteId, List<List<CsvBatch>> pageviews, int threadCount,
                               int batchesPerTx, int seconds, int warmup, CpuMeter cpu, String label) throws Exception {
        long rowsBefore = rows(jdbc, user, siteId);
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
                try (Connection c = DriverManager.getConnection(jdbc, user, null)) {
                    c.setAutoCommit(false);
                    writeLoop(c, siteId, pageviews, first, threadCount, batchesPerTx, warmupEnd, measureEnd, recorder,
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
        long stored = rows(jdbc, user, siteId) - rowsBefore;
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

    private static void writeLoop(Connection c, int siteId, List<List<CsvBatch>> pageviews, int first, int stride,
                                  int batchesPerTx, long warmupEnd, long measureEnd, Latencies recorder,
                                  LongAdder measuredRows, LongAdder measuredTx, LongAdder committedRows) throws Exception {
        CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
        var random = new SplittableRandom(System.nanoTime() ^ ((long) first << 32));
        var tx = new ArrayList<Pending>(batchesPerTx);
        byte[] buffer = new byte[1 << 20];
        int nextPageview = first;
        List<CsvBatch> pageview = List.of();
        int nextBatch = 0;
        long msb = 0, lsb = 0;
        UUID id = null;
        while (System.nanoTime() < measureEnd) {
            // The next batchesPerTx batches, pageview after pageview (a pageview may straddle transactions).
            tx.clear();
            while (tx.size() < batchesPerTx) {
                if (nextBatch == pageview.size()) {
                    pageview = pageviews.get(nextPageview % pageviews.size());
                    nextPageview += stride;
                    nextBatch = 0;
                    msb = (random.nextLong() & ~0xF000L) | 0x4000L;
                    lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
                    id = new UUID(msb, lsb);
                }
                tx.add(new Pending(id, msb, lsb, pageview.get(nextBatch++)));
            }
            long started = System.nanoTime();
            // The collector orders a group by (site, pageview, seq) so that writers lock in one order.
            tx.sort(Comparator.comparing(Pending::pageview).thenComparingInt(p -> p.batch.seq));
            int n = tx.size();
            Integer[] sites = new Integer[n];
            UUID[] ids = new UUID[n];
            Integer[] seqs = new Integer[n];
            Long[] pages = new Long[n];
            Integer[] counts = new Integer[n];
            int length = 0;
            int rows = 0;
            for (int i = 0; i < n; i++) {
                Pending p = tx.get(i);
                sites[i] = siteId;
                ids[i] = p.pageview;
                seqs[i] = p.batch.seq;
                pages[i] = p.batch.pageId;
                counts[i] = p.batch.events;
                byte[] rowsCsv = p.batch.bytes;
                if (length + rowsCsv.length > buffer.length) {
                    buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + rowsCsv.length));
                }
                System.arraycopy(rowsCsv, 0, buffer, length, rowsCsv.length);
                for (int offset : p.batch.pageviewOffsets) {
                    Workload.writeUuid(buffer, length + offset, p.msb, p.lsb);
                }
                length += rowsCsv.length;
                rows += p.batch.events;
            }
            try (var lock = c.prepareStatement(SITE_LOCK_SQL)) {
                lock.setArray(1, c.createArrayOf("integer", new Integer[]{siteId}));
                try (var rs = lock.executeQuery()) {
                    if (!rs.next()) {
                        throw new IllegalStateException("the site is gone");
                    }
                }
            }
            int fresh = 0;
            try (var insert = c.prepareStatement(RECEIPTS_SQL)) {
                insert.setArray(1, c.createArrayOf("integer", sites));
                insert.setArray(2, c.createArrayOf("uuid", ids));
                insert.setArray(3, c.createArrayOf("integer", seqs));
                insert.setArray(4, c.createArrayOf("bigint", pages));
                insert.setArray(5, c.createArrayOf("integer", counts));
                try (var rs = insert.executeQuery()) {
                    while (rs.next()) {
                        fresh++;
                    }
                }
            }
            if (fresh != n) {
                c.rollback();
                throw new IllegalStateException(n - fresh + " receipts already existed: pageview ids are not fresh");
            }
            copy.copyIn(COPY_SQL, new ByteArrayInputStream(buffer, 0, length));
            c.commit();
            long done = System.nanoTime();
            committedRows.add(rows);
            if (done >= warmupEnd && done < measureEnd) {
                recorder.add((done - started) / 1_000);
                measuredRows.add(rows);
                measuredTx.increment();
            }
        }
    }

    private static int siteId(Connection c, String key) throws SQLException {
        try (var st = c.prepareStatement("SELECT site_id FROM site WHERE public_key = ?")) {
            st.setString(1, key);
            try (var rs = st.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalArgumentException("no site has the key " + key);
                }
                return rs.getInt(1);
            }
        }
    }

    /** The page's id, created if needed (as the collector's page directory does on first sight). */
    private static long pageId(Connection c, int siteId, String url) throws SQLException {
        try (var st = c.prepareStatement("""
                WITH inserted AS (
                    INSERT INTO page (site_id, url) VALUES (?, ?) ON CONFLICT (site_id, url) DO NOTHING RETURNING page_id)
                SELECT page_id FROM inserted UNION ALL SELECT page_id FROM page WHERE site_id = ? AND url = ? LIMIT 1""")) {
            st.setInt(1, siteId);
            st.setString(2, url);
            st.setInt(3, siteId);
            st.setString(4, url);
            try (var rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static long rows(String jdbc, String user, int siteId) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbc, user, null);
             var st = c.prepareStatement("SELECT count(*) FROM raw_event WHERE site_id = ?")) {
            st.setInt(1, siteId);
            try (var rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long wait;
        while ((wait = nanoTime - System.nanoTime()) > 0) {
            Thread.sleep(Math.max(1, wait / 1_000_000));
        }
    }
}
