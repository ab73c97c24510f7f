package io.isotherm.bench;

import io.isotherm.bench.TrackerCost.Measure;
import io.isotherm.bench.TrackerCost.Sample;
import io.isotherm.bench.TrackerCost.Variant;
import io.isotherm.bench.TrackerCost.VariantRun;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;

/**
 * RESULT_TRACKER lines and the summary of TrackerCost. Each round measures both variants side by side; the summary
 * takes per-round values (µs per event, or the mean or median of a spaced run) and quotes their median over the
 * rounds, with the median of the per-round differences and ratios.
 */
final class TrackerCostReport {
    private final List<Map<Variant, VariantRun>> rounds = new ArrayList<>();
    private int disturbedKept;

    void add(Map<Variant, VariantRun> round, boolean disturbed) {
        rounds.add(round);
        disturbedKept += disturbed ? 1 : 0;
    }

    static void printResults(String prefix, int round, Variant v, VariantRun run) {
        run.loopMicros().forEach((m, us) -> System.out.printf(Locale.ROOT,
                "%sRESULT_TRACKER round=%d variant=%s measure=%s events=%d per_event_us=%.4f%n",
                prefix, round, v.label, m.key, run.events().get(m), us));
        run.spaced().forEach((m, samples) -> {
            double[] us = micros(samples, s -> true);
            double[] batch = micros(samples, Sample::batch);
            System.out.printf(Locale.ROOT, "%sRESULT_TRACKER round=%d variant=%s measure=%s events=%d median_us=%.2f "
                            + "mean_us=%.2f p90_us=%.2f max_us=%.2f batches=%d batch_mean_us=%.2f%n", prefix, round,
                    v.label, m.key, us.length, percentile(us, 50), mean(us), percentile(us, 90), percentile(us, 100),
                    batch.length, mean(batch));
        });
    }

    boolean trackerSentBatches() {
        return rounds.stream().flatMap(r -> r.get(Variant.WITH).spaced().values().stream())
                .flatMap(List::stream).anyMatch(Sample::batch);
    }

    void print(int requestedRounds) {
        System.out.println();
        System.out.printf("== tracker main-thread cost: medians of %d round(s); both variants measured side by side in "
                + "every round%n", rounds.size());
        if (disturbedKept > 0) {
            System.out.printf("(%d round(s) kept although disturbed by other processes)%n", disturbedKept);
        }
        System.out.println();
        System.out.println("| measurement | events per round | with tracker µs/event | without µs/event | tracker cost µs/event | with / without |");
        System.out.println("|---|---:|---:|---:|---:|---:|");
        for (Measure m : Measure.values()) {
            if (m.spaced()) {
                row(m.title + ": mean", m, run -> mean(micros(run.spaced().get(m), s -> true)));
                row(m.title + ": median", m, run -> percentile(micros(run.spaced().get(m), s -> true), 50));
            } else {
                row(m.title, m, run -> run.loopMicros().get(m));
            }
        }
        System.out.println();
        System.out.println("Spaced events, all rounds pooled (µs per dispatch, each timed on its own):");
        System.out.println();
        System.out.println("| measurement | samples | with: median / p90 / p99 / max | without: median / p90 | with, dispatches that built and sent a batch: n, median, mean | with, the others: median, mean |");
        System.out.println("|---|---:|---|---|---|---|");
        for (Measure m : Measure.values()) {
            if (m.spaced()) {
                double[] with = pooled(Variant.WITH, m, s -> true), without = pooled(Variant.WITHOUT, m, s -> true);
                double[] batch = pooled(Variant.WITH, m, Sample::batch), rest = pooled(Variant.WITH, m, s -> !s.batch());
                System.out.printf(Locale.ROOT, "| %s | %d | %.1f / %.1f / %.1f / %.1f | %.1f / %.1f | %d, %.1f, %.1f | %.1f, %.1f |%n",
                        m.title, with.length, percentile(with, 50), percentile(with, 90), percentile(with, 99),
                        percentile(with, 100), percentile(without, 50), percentile(without, 90), batch.length,
                        percentile(batch, 50), mean(batch), percentile(rest, 50), mean(rest));
            }
        }
        System.out.println();
        double moveCost = median(perRound(r -> r.get(Variant.WITH).loopMicros().get(Measure.MOVE_LOOP)
                - r.get(Variant.WITHOUT).loopMicros().get(Measure.MOVE_LOOP)));
        double loopMs = median(perRound(r -> r.get(Variant.WITH).loopMicros().get(Measure.MOVE_LOOP)
                * r.get(Variant.WITH).events().get(Measure.MOVE_LOOP) / 1000));
        System.out.printf(Locale.ROOT, "target < 5 us per move event (tight loop): %.3f us, %s. With the tracker the loop "
                        + "takes %.1f ms (median), so at most %d of its moves pass the 100 ms throttle.%n", moveCost,
                moveCost < 5 ? "met" : "NOT met", loopMs, (int) Math.floor(loopMs / 100) + 1);
        if (rounds.size() < requestedRounds) {
            System.out.println("WARNING: fewer rounds than requested");
        }
    }

    /** One row: medians over the rounds of the with and without values, of their difference and of their ratio. */
    private void row(String title, Measure m, ToDoubleFunction<VariantRun> value) {
        double with = median(perRound(r -> value.applyAsDouble(r.get(Variant.WITH))));
        double without = median(perRound(r -> value.applyAsDouble(r.get(Variant.WITHOUT))));
        double cost = median(perRound(r -> value.applyAsDouble(r.get(Variant.WITH)) - value.applyAsDouble(r.get(Variant.WITHOUT))));
        double ratio = median(perRound(r -> value.applyAsDouble(r.get(Variant.WITH)) / value.applyAsDouble(r.get(Variant.WITHOUT))));
        int events = rounds.isEmpty() ? 0 : m.spaced() ? rounds.get(0).get(Variant.WITH).spaced().get(m).size()
                : rounds.get(0).get(Variant.WITH).events().get(m);
        System.out.printf(Locale.ROOT, "| %s | %,d | %.3f | %.3f | **%.3f** | %.2f |%n", title, events, with, without, cost, ratio);
    }

    private double[] perRound(ToDoubleFunction<Map<Variant, VariantRun>> value) {
        return rounds.stream().mapToDouble(value).toArray();
    }

    private double[] pooled(Variant v, Measure m, Predicate<Sample> which) {
        return rounds.stream().flatMap(r -> r.get(v).spaced().get(m).stream()).filter(which)
                .mapToDouble(Sample::micros).toArray();
    }

    private static double[] micros(List<Sample> samples, Predicate<Sample> which) {
        return samples.stream().filter(which).mapToDouble(Sample::micros).toArray();
    }

    static double mean(double[] values) {
        return values.length == 0 ? Double.NaN : Arrays.stream(values).sum() / values.length;
    }

    static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** Nearest rank; 50 is the median as median() computes it. */
    static double percentile(double[] values, double percentile) {
        if (percentile == 50) {
            return median(values);
        }
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(percentile / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
