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

    /** The innermost cause as "Type: message", for a one-line log. */
    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
