package io.isotherm.bench;

import io.isotherm.tracker.TrackerScript;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The tracker's main-thread cost in Chromium. A page of about a thousand elements is loaded with and without t.js
 * (the minified script the collector serves), and the same synthetic events are dispatched in both; the tracker's
 * cost per event is (with - without) / events. Per round and variant:
 * <ul>
 * <li>tight loops, each timed as a whole: mousemove (nearly all take the early return of the tracker's 100 ms
 * throttle) and click (every one fully processed; every 50th event also builds and sends a batch);</li>
 * <li>recorded moves in a tight loop: the page is loaded with a manual clock that runs Date.now ahead by 101 ms
 * before every event, so that every move passes the throttle;</li>
 * <li>spaced events, each dispatched in its own task and timed on its own, with the real clock: moves 16 ms apart
 * (a 60 Hz pointer), moves 110 ms apart (every one recorded) and clicks 25 ms apart (time for the previous batch's
 * POST to be answered).</li>
 * </ul>
 * Rounds alternate which variant goes first; a round during which other processes used more than
 * --max-other-cores is repeated. At the end, the browser calls the tracker's handlers make are timed on their own.
 * Prints one RESULT_TRACKER line per measurement and a summary of medians over the rounds (TrackerCostReport).
 */
public final class TrackerCost {
    private static final String USAGE = """
            usage: TrackerCost [options]
              --rounds N            rounds, each measuring both variants (default 7)
              --moves N             mousemove events in the tight loop (default 10000)
              --clicks N            click events in the tight loop (default 1000)
              --sampled-moves N     moves in the manual-clock loop, every one recorded (default 400)
              --stream-moves N      moves dispatched 16 ms apart (default 300)
              --spaced-moves N      moves dispatched 110 ms apart (default 100)
              --spaced-clicks N     clicks dispatched 25 ms apart (default 100)
              --seed N              seed of targets and coordinates (default 1)
              --max-other-cores X   repeat a round (up to 3 times) when other processes used more (default 0.25)
              --chromium PATH       browser binary (default /usr/bin/chromium)
              --chromedriver PATH   driver binary (default /usr/bin/chromedriver)""";
    private static final int MANUAL_TICK_MS = 101;
    private static final int WARMUP_MOVES = 1000;
    private static final int WARMUP_CLICKS = 100;
    private static final int WARMUP_SAMPLED_MOVES = 200;
    /** Lets the batches queued by a tight loop go out (one POST at a time) before the next measurement. */
    private static final int DRAIN_MS = 500;
    private static final int ATTEMPTS = 4;

    enum Variant {
        WITH("with", TrackerCostServer.WITH_TRACKER), WITHOUT("without", TrackerCostServer.WITHOUT_TRACKER);

        final String label;
        final String path;

        Variant(String label, String path) {
            this.label = label;
            this.path = path;
        }
    }

    enum Measure {
        MOVE_LOOP("move_loop", "mousemove, tight loop", 0),
        CLICK_LOOP("click_loop", "click, tight loop", 0),
        SAMPLED_MOVE_LOOP("sampled_move_loop", "mousemove, every one recorded (manual clock), tight loop", 0),
        MOVE_STREAM("move_stream", "mousemove, 16 ms apart (a 60 Hz pointer: about 1 in 7 recorded)", 16),
        SAMPLED_MOVE_SPACED("sampled_move_spaced", "mousemove, 110 ms apart (every one recorded)", 110),
        CLICK_SPACED("click_spaced", "click, 25 ms apart", 25);

        final String key;
        final String title;
        /** 0: a tight loop timed as a whole; else events this far apart, each in its own task and timed alone. */
        final int gapMs;

        Measure(String key, String title, int gapMs) {
            this.key = key;
            this.title = title;
            this.gapMs = gapMs;
        }

        boolean spaced() {
            return gapMs > 0;
        }
    }

    /** One dispatch timed on its own, and whether the tracker started a POST (built a batch) during it. */
    record Sample(double micros, boolean batch) {
    }

    /** One variant in one round: µs per event of each tight loop, the samples of each spaced run. */
    record VariantRun(Map<Measure, Double> loopMicros, Map<Measure, List<Sample>> spaced, Map<Measure, Integer> events) {
    }

    private final HeadlessChromium browser;
    private final String baseUrl;
    private final Args args;

    private TrackerCost(HeadlessChromium browser, String baseUrl, Args args) {
        this.browser = browser;
        this.baseUrl = baseUrl;
        this.args = args;
    }

    public static void main(String[] argv) throws Exception {
        var args = new Args(argv, USAGE, Set.of("rounds", "moves", "clicks", "sampled-moves", "stream-moves", "spaced-moves",
                "spaced-clicks", "seed", "max-other-cores", "chromium", "chromedriver"));
        int rounds = args.integer("rounds", 7);
        double maxOther = Double.parseDouble(args.text("max-other-cores", "0.25"));
        var script = TrackerScript.load();
        System.out.printf(Locale.ROOT, "RESULT_TRACKER_SIZE minified_bytes=%d gzip9_bytes=%d%n",
                script.minified().length, script.gzipped().length);
        boolean trackerSent;
        try (var server = new TrackerCostServer();
             var browser = new HeadlessChromium(args.text("chromium", "/usr/bin/chromium"),
                     args.text("chromedriver", "/usr/bin/chromedriver"))) {
            System.out.println("Chromium " + browser.version() + " via " + server.baseUrl());
            var bench = new TrackerCost(browser, server.baseUrl(), args);
            bench.describePages();
            var report = new TrackerCostReport();
            var cpu = new TrackerCostCpu();
            for (int round = 1; round <= rounds; round++) {
                for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
                    cpu.start();
                    long started = System.nanoTime();
                    var runs = new EnumMap<Variant, VariantRun>(Variant.class);
                    for (Variant v : round % 2 == 1 ? List.of(Variant.WITH, Variant.WITHOUT) : List.of(Variant.WITHOUT, Variant.WITH)) {
                        runs.put(v, bench.measure(v, args.integer("seed", 1) * 1000 + round * 10));
                    }
                    double[] cores = cpu.stop();
                    boolean disturbed = cores[2] > maxOther;
                    String prefix = disturbed ? "DISTURBED " : "";
                    System.out.printf(Locale.ROOT, "%sRESULT_TRACKER_ROUND round=%d attempt=%d seconds=%.1f cpu_machine=%.2f "
                                    + "cpu_bench=%.2f cpu_other=%.2f%n", prefix, round, attempt,
                            (System.nanoTime() - started) / 1e9, cores[0], cores[1], cores[2]);
                    for (var run : runs.entrySet()) {
                        TrackerCostReport.printResults(prefix, round, run.getKey(), run.getValue());
                    }
                    if (!disturbed || attempt == ATTEMPTS) {
                        report.add(runs, disturbed);
                        break;
                    }
                    System.out.printf(Locale.ROOT, "round %d disturbed: other processes used %.2f cores; repeating%n",
                            round, cores[2]);
                }
            }
            bench.calls();
            System.out.println("stub /api/collect received: " + server.received());
            report.print(rounds);
            trackerSent = server.batchesReceived() > 0 && report.trackerSentBatches();
        }
        if (!trackerSent) {
            System.out.println("INVALID: the tracker sent nothing; it did not run on the page");
            System.exit(1);
        }
    }

    /** The pages as the browser sees them: sizes, timer step, isolation. */
    private void describePages() {
        for (Variant v : Variant.values()) {
            browser.driver.get(baseUrl + v.path);
            Map<?, ?> info = (Map<?, ?>) browser.driver.executeScript("return trackerCost.info()");
            System.out.printf(Locale.ROOT, "page %s: tracker tag %s, %s elements (%s event targets), document height %s px, "
                            + "cross-origin isolated %s, performance.now() step %.1f us%n", v.label, info.get("tracker"),
                    info.get("elements"), info.get("targets"), info.get("documentHeight"), info.get("isolated"),
                    ((Number) info.get("resolutionUs")).doubleValue());
            if (v == Variant.WITH) {
                System.out.println("user agent: " + info.get("userAgent"));
            }
        }
    }

    /** Every measurement of one variant, on a fresh page load (and one more with the manual clock). */
    private VariantRun measure(Variant v, int seed) {
        var loops = new EnumMap<Measure, Double>(Measure.class);
        var spaced = new EnumMap<Measure, List<Sample>>(Measure.class);
        var events = new EnumMap<Measure, Integer>(Measure.class);
        int moves = args.integer("moves", 10_000), clicks = args.integer("clicks", 1000);

        browser.driver.get(baseUrl + v.path);
        loop("mousemove", WARMUP_MOVES, seed + 1, 0);
        loop("click", WARMUP_CLICKS, seed + 2, 0);
        loops.put(Measure.MOVE_LOOP, loop("mousemove", moves, seed + 3, 0) * 1000 / moves);
        loops.put(Measure.CLICK_LOOP, loop("click", clicks, seed + 4, 0) * 1000 / clicks);
        events.put(Measure.MOVE_LOOP, moves);
        events.put(Measure.CLICK_LOOP, clicks);
        pause();
        spaced.put(Measure.MOVE_STREAM, spaced("mousemove", args.integer("stream-moves", 300), seed + 5, Measure.MOVE_STREAM));
        spaced.put(Measure.SAMPLED_MOVE_SPACED, spaced("mousemove", args.integer("spaced-moves", 100), seed + 6,
                Measure.SAMPLED_MOVE_SPACED));
        spaced.put(Measure.CLICK_SPACED, spaced("click", args.integer("spaced-clicks", 100), seed + 7, Measure.CLICK_SPACED));

        browser.driver.get(baseUrl + v.path + "?clock=manual");
        int sampled = args.integer("sampled-moves", 400);
        loop("mousemove", WARMUP_SAMPLED_MOVES, seed + 8, MANUAL_TICK_MS);
        pause();
        loops.put(Measure.SAMPLED_MOVE_LOOP, loop("mousemove", sampled, seed + 9, MANUAL_TICK_MS) * 1000 / sampled);
        events.put(Measure.SAMPLED_MOVE_LOOP, sampled);
        return new VariantRun(loops, spaced, events);
    }

    /** Milliseconds of one tight loop of count events. */
    private double loop(String type, int count, int seed, int tickMs) {
        Object ms = browser.driver.executeScript("return trackerCost.loop(...arguments)", type, count, seed, tickMs);
        return ((Number) ms).doubleValue();
    }

    private List<Sample> spaced(String type, int count, int seed, Measure m) {
        List<?> raw = (List<?>) browser.driver.executeAsyncScript(
                "const done = arguments[arguments.length - 1]; trackerCost.spaced(...arguments).then(done)",
                type, count, seed, m.gapMs);
        var samples = new ArrayList<Sample>();
        for (Object o : raw) {
            List<?> pair = (List<?>) o;
            samples.add(new Sample(((Number) pair.get(0)).doubleValue(), (Boolean) pair.get(1)));
        }
        return samples;
    }

    /** What the browser calls in the tracker's handlers cost here, without tracker code around them. */
    private void calls() {
        browser.driver.get(baseUrl + Variant.WITHOUT.path);
        Map<?, ?> calls = (Map<?, ?>) browser.driver.executeAsyncScript(
                "const done = arguments[arguments.length - 1]; trackerCost.calls().then(done)");
        var rows = new ArrayList<String>();
        calls.forEach((call, v) -> {
            List<?> us = (List<?>) v;
            double first = ((Number) us.get(0)).doubleValue(), loop = ((Number) us.get(1)).doubleValue();
            System.out.printf(Locale.ROOT, "RESULT_TRACKER_CALL call=\"%s\" first_in_task_us=%.1f loop_us=%.2f%n", call, first, loop);
            rows.add(String.format(Locale.ROOT, "| `%s` | %.0f | %.2f |", call, first, loop));
        });
        System.out.println();
        System.out.println("Browser calls in the tracker's handlers, on their own (µs per call):");
        System.out.println();
        System.out.println("| call | first in its task (median of 25) | in a tight loop (mean of 100) |");
        System.out.println("|---|---:|---:|");
        rows.forEach(System.out::println);
        System.out.println();
    }

    private void pause() {
        browser.driver.executeAsyncScript(
                "const done = arguments[arguments.length - 1]; trackerCost.pause(arguments[0]).then(done)", DRAIN_MS);
    }
}
