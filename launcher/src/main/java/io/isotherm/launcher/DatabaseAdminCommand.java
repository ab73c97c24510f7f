package io.isotherm.launcher;

import io.isotherm.db.citus.CitusDistribution;
import org.jdbi.v3.core.Jdbi;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code database distribute}: work on the database itself rather than on what it holds. */
@Command(name = "database", mixinStandardHelpOptions = true, description = "Work on the database itself.")
final class DatabaseAdminCommand extends CommandGroup {

    @Command(name = "distribute", mixinStandardHelpOptions = true,
            description = "Distribute the schema over a Citus cluster (citus/distribute.sql): run once on the coordinator "
                    + "after the first start, and again after an upgrade that adds tables. See docs/SCALING.md.")
    static final class Distribute extends DatabaseCommand {
        Distribute(Settings settings, PrintWriter out) {
            super(settings, out);
        }

        /** On a database without Citus this fails (exit 1) before changing anything. */
        @Override
        int run(Jdbi jdbi) throws Exception {
            int statements = CitusDistribution.distribute(jdbi);
            CitusDistribution.Plan plan = CitusDistribution.plan();
            List<String> distributed = new ArrayList<>(List.of(plan.anchor()));
            distributed.addAll(plan.colocated());
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("statements", statements);
            result.put("reference", plan.reference());
            result.put("distributed", distributed);
            result.put("local", plan.local());
            print(result, "distributed on site_id: " + String.join(", ", distributed)
                    + "\nreference tables: " + String.join(", ", plan.reference())
                    + "\nlocal: " + String.join(", ", plan.local()));
            return 0;
        }
    }
}
