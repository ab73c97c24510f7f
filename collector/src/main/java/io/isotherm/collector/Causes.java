package io.isotherm.collector;

import java.sql.SQLException;

/** Looks through an exception's causes: drivers and libraries wrap what we need to decide on. */
final class Causes {
    private Causes() {
    }

    static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    /** The SQLSTATE of the first SQLException in the chain, or null. */
    static String sqlState(Throwable e) {
        SQLException sql = find(e, SQLException.class);
        return sql == null ? null : sql.getSQLState();
    }
}
