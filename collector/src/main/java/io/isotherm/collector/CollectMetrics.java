package io.isotherm.collector;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** What the collector counts, exposed on /metrics (names below, Prometheus adds _total/_seconds). */
final class CollectMetrics {
    private final MeterRegistry registry;
    private final Counter eventsAccepted;
    private final Counter batchesAccepted;
    private final Counter batchesDuplicate;
    private final Map<DropReason, Counter> dropped = new EnumMap<>(DropReason.class);
    private final DistributionSummary batchEvents;
    private final DistributionSummary groupBatches;
    private final Timer writeLatency;

    CollectMetrics(MeterRegistry registry) {
        this.registry = registry;
        eventsAccepted = Counter.builder("isotherm.collect.events.accepted").description("events stored").register(registry);
        batchesAccepted = Counter.builder("isotherm.collect.batches.accepted").description("batches stored").register(registry);
        batchesDuplicate = Counter.builder("isotherm.collect.batches.duplicate")
                .description("redelivered batches answered 202 without storing again").register(registry);
        dropped.put(DropReason.BOT, Counter.builder("isotherm.collect.batches.bot")
                .description("batches from known bots, not stored").register(registry));
        dropped.put(DropReason.EXCLUDED, Counter.builder("isotherm.collect.batches.excluded")
                .description("batches from pages on a site's excluded paths, not stored").register(registry));
        for (var reason : DropReason.values()) {
            if (reason.refused()) {
                dropped.put(reason, Counter.builder("isotherm.collect.batches.rejected").tag("reason", reason.metricTag())
                        .description("batches refused, by reason").register(registry));
            }
        }
        batchEvents = DistributionSummary.builder("isotherm.collect.batch.events").description("events per stored batch")
                .publishPercentiles(0.5, 0.99).register(registry);
        groupBatches = DistributionSummary.builder("isotherm.collect.group.batches").description("batches per commit")
                .publishPercentiles(0.5, 0.99).register(registry);
        writeLatency = Timer.builder("isotherm.collect.write").description("time to store one group (receipts + COPY + commit)")
                .publishPercentiles(0.5, 0.99).register(registry);
    }

    void stored(int events, boolean fresh) {
        if (fresh) {
            eventsAccepted.increment(events);
            batchesAccepted.increment();
            batchEvents.record(events);
        } else {
            batchesDuplicate.increment();
        }
    }

    /** Quiet drops have a counter each; refusals share one, tagged with the reason. */
    void dropped(DropReason reason) {
        dropped.get(reason).increment();
    }

    void groupWritten(int batches, long nanos) {
        groupBatches.record(batches);
        writeLatency.record(nanos, TimeUnit.NANOSECONDS);
    }

    void queueDepth(Supplier<Number> depth) {
        Gauge.builder("isotherm.collect.queue.depth", depth).description("batches waiting to be written").register(registry);
    }
}
