package io.isotherm.dashboard;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * One read-only REPEATABLE READ transaction for everything a read answer holds: its queries see one state of the
 * counts, whatever aggregations commit meanwhile, and the site's aggregate version read in it names that state.
 */
public final class ReadSnapshot {
    private ReadSnapshot() {
    }

    public static <T> T read(Jdbi jdbi, HandleCallback<T, RuntimeException> read) {
        return jdbi.inTransaction(TransactionIsolationLevel.REPEATABLE_READ, h -> {
            readOnly(h);
            return read.withHandle(h);
        });
    }

    /** Must be the transaction's first statement. */
    private static void readOnly(Handle h) {
        h.execute("SET TRANSACTION READ ONLY");
    }
}
