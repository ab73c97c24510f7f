package io.isotherm.bench;

import io.isotherm.collector.DirectIngest;
import io.isotherm.collector.EncodedBatch;
import io.isotherm.db.site.Site;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What a batch's traffic segment costs the collector's request thread (docs/PERFORMANCE.md, "Traffic segments"):
 * the endpoint's steps ({@link DirectIngest}) for a batch of 10 events without segment fields, with them and a user
 * agent already in the cache (the referrer lookup, the utm values, a cache hit), and with them and a user agent never
 * seen before (ua-parser's regexes run). The differences are the segment's cost. Run with
 * {@code java -cp bench/target/isotherm-bench.jar org.openjdk.jmh.Main SegmentBench}. On a shared, loaded machine
 * wall time says little; {@link #main} measures the same three as CPU time of the thread:
 * {@code java -cp bench/target/isotherm-bench.jar io.isotherm.bench.SegmentBench}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SegmentBench {
    private static final Site SITE = new Site(1, "benchsite", "Bench", List.of("https://shop.example"), List.of(), "UTC");
    private static final String SEGMENT = "\"referrer\":\"www.google.co.uk\",\"query\":\"?utm_source=news&utm_medium=email"
            + "&utm_campaign=spring&gclid=abc123\",\"variant\":\"B\",";

    @State(Scope.Thread)
    public static class Bodies {
        byte[] plain;
        byte[] segmented;
        long unseen;

        @Setup
        public void setUp() {
            plain = body("");
            segmented = body(SEGMENT);
        }

        /** A batch as the tracker sends it: 10 events (clicks, moves, a scroll) on one page. */
        private static byte[] body(String segment) {
            long now = System.currentTimeMillis();
            var events = new StringBuilder();
            for (int i = 0; i < 10; i++) {
                events.append(i == 0 ? "" : ",").append(switch (i % 5) {
                    case 0 -> "{\"kind\":\"click\",\"t\":" + (now - i) + ",\"x\":" + (100 + i) + ",\"y\":" + (200 + i)
                            + ",\"selector\":\"main>div:nth-of-type(2)>a\",\"boxX\":0.5,\"boxY\":0.5,\"interactive\":true}";
                    case 4 -> "{\"kind\":\"scroll\",\"t\":" + (now - i) + ",\"y\":" + (900 + i) + ",\"dwell\":1200}";
                    default -> "{\"kind\":\"move\",\"t\":" + (now - i) + ",\"x\":" + (300 + i) + ",\"y\":" + (400 + i) + "}";
                });
            }
            return ("{\"site\":\"benchsite\",\"pageview\":\"6f1c2c8e-3b1a-4f7e-9a51-0c1d2e3f4a5b\",\"seq\":0,\"sentAt\":" + now
                    + ",\"url\":\"https://shop.example/pricing\"," + segment
                    + "\"viewport\":{\"width\":1280,\"height\":720},\"document\":{\"width\":1280,\"height\":3400},"
                    + "\"dpr\":1,\"tz\":\"Europe/Paris\",\"events\":[" + events + "]}").getBytes(StandardCharsets.UTF_8);
        }
    }

    @Benchmark
    public EncodedBatch withoutSegment(Bodies b) {
        return encode(IngestLoad.USER_AGENT, b.plain);
    }

    @Benchmark
    public EncodedBatch segmentCachedUserAgent(Bodies b) {
        return encode(IngestLoad.USER_AGENT, b.segmented);
    }

    /** A user agent the collector has not seen: a browser build number of its own on every call. */
    @Benchmark
    public EncodedBatch segmentNewUserAgent(Bodies b) {
        return encode("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0."
                + (b.unseen++) + ".0 Safari/537.36", b.segmented);
    }

    /** CPU time per batch of the three benchmarks, in rounds (the first warms up), on this thread. */
    public static void main(String[] args) {
        var bodies = new Bodies();
        bodies.setUp();
        var bench = new SegmentBench();
        var cpu = ManagementFactory.getThreadMXBean();
        for (int round = 0; round < 4; round++) {
            int reps = round == 0 ? 5_000 : 20_000, newAgents = reps / 10;
            long start = cpu.getCurrentThreadCpuTime();
            for (int i = 0; i < reps; i++) bench.withoutSegment(bodies);
            long plain = cpu.getCurrentThreadCpuTime();
            for (int i = 0; i < reps; i++) bench.segmentCachedUserAgent(bodies);
            long cached = cpu.getCurrentThreadCpuTime();
            for (int i = 0; i < newAgents; i++) bench.segmentNewUserAgent(bodies);
            long unseen = cpu.getCurrentThreadCpuTime();
            System.out.printf("RESULT round %d%s: CPU per batch without segment %.1f us, with segment and a cached user agent %.1f us, "
                            + "with segment and a new user agent %.1f us%n", round, round == 0 ? " (warm-up)" : "",
                    (plain - start) / 1e3 / reps, (cached - plain) / 1e3 / reps, (unseen - cached) / 1e3 / newAgents);
        }
    }

    private static EncodedBatch encode(String userAgent, byte[] body) {
        return DirectIngest.encode(userAgent, "https://shop.example", body, SITE, url -> 42L, Instant.now());
    }
}
