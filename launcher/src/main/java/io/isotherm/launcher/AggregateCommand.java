package io.isotherm.launcher;

import io.isotherm.aggregator.Aggregator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code isotherm aggregate --once}: aggregates every pending batch now and exits, for scripts and tests. */
@Command(name = "aggregate", mixinStandardHelpOptions = true,
        description = "Aggregate pending events once and exit (the aggregator role does this on a schedule).")
final class AggregateCommand implements Callable<Integer> {
    private final Settings settings;
    private final PrintWriter out;

    @Option(names = "--once", required = true, description = "Run one pass over everything pending, then exit.")
    boolean once;

    @Mixin
    CommandOptions options;

    AggregateCommand(Settings settings, PrintWriter out) {
        this.settings = settings;
        this.out = out;
    }

    @Override
    public Integer call() throws Exception {
        try (var db = options.openDatabase(settings)) {
            var aggregator = new Aggregator(db.database().jdbi(), options.apply(settings).aggregator());
            Aggregator.Pass pass = aggregator.aggregatePending();
            List<String> dropped = aggregator.dropExpired();
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("batches", pass.batches());
            result.put("events", pass.events());
            result.put("transactions", pass.transactions());
            result.put("viewsRefreshed", pass.viewsRefreshed());
            result.put("droppedPartitions", dropped);
            options.print(out, result,
                    "aggregated " + pass.batches() + " batches (" + pass.events() + " events); dropped " + dropped.size() + " expired partitions");
            return 0;
        }
    }
}
