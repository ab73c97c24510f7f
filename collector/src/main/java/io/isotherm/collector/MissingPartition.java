package io.isotherm.collector;

import java.sql.SQLException;

/** Recognises "no partition of relation raw_event found for row": the writer then creates the day's partition. */
final class MissingPartition {
    /** PostgreSQL's SQLSTATE for it (check_violation). */
    private static final String CHECK_VIOLATION = "23514";
    /** Citus passes a worker's error on as an internal error (XX000), with PostgreSQL's message. */
    private static final String INTERNAL_ERROR = "XX000";
    private static final String MESSAGE = "no partition of relation";

    private MissingPartition() {
    }

    static boolean isCause(Throwable e) {
        SQLException sql = Causes.find(e, SQLException.class);
        return sql != null && is(sql);
    }

    static boolean is(SQLException e) {
        return CHECK_VIOLATION.equals(e.getSQLState())
                || INTERNAL_ERROR.equals(e.getSQLState()) && e.getMessage() != null && e.getMessage().contains(MESSAGE);
    }
}
