package io.refreshorchestrator.executor;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.sql.SQLTransientException;
import java.util.Locale;
import java.util.Set;

/** Sorts a failed refresh attempt by what to do next: report a timeout, retry, or give up. */
final class SqlFailures {

    /** What a failure means for the run. */
    enum Kind {
        /** The statement ran past the job's timeout: TIMED_OUT, not retried. */
        TIMED_OUT,
        /** The connection, a lock or a serialization conflict: worth another attempt. */
        TRANSIENT,
        /** Retrying cannot help (missing view, privileges, duplicate rows): FAILED at once. */
        PERMANENT
    }

    static final String QUERY_CANCELED = "57014";

    private static final Set<String> TRANSIENT_STATES =
            Set.of(
                    "57P01", // admin_shutdown: the server is restarting
                    "57P02", // crash_shutdown
                    "57P03", // cannot_connect_now: the server is starting up
                    "55P03", // lock_not_available: lock_timeout expired
                    "40001", // serialization_failure
                    "40P01"); // deadlock_detected

    private SqlFailures() {}

    /**
     * @param timeoutElapsed whether the job's timeout had elapsed when the statement failed: 57014
     *     is also raised by a cancel request, and the server's message is localized, so elapsed
     *     time is the reliable sign of a statement timeout
     */
    static Kind classify(SQLException failure, boolean timeoutElapsed) {
        String state = failure.getSQLState();
        if (QUERY_CANCELED.equals(state)) {
            return timeoutElapsed || mentionsStatementTimeout(failure)
                    ? Kind.TIMED_OUT
                    : Kind.PERMANENT;
        }
        if (state != null && (state.startsWith("08") || TRANSIENT_STATES.contains(state))) {
            return Kind.TRANSIENT;
        }
        // The pool reports an unreachable server this way, sometimes without a SQL state.
        if (failure instanceof SQLTransientException
                || failure instanceof SQLRecoverableException) {
            return Kind.TRANSIENT;
        }
        return Kind.PERMANENT;
    }

    /**
     * Whether the failure is the database being unreachable (connection lost or refused, server
     * shutting down or starting): retried until it is back, an outage delays work and loses none.
     */
    static boolean isConnectionLoss(SQLException failure) {
        // The first failure on a dying connection carries the reason (57P01 on a shutdown); what
        // the cleanup hit next ("Connection is closed") may be what reaches us, with it attached.
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && isConnectionLossItself(sql)) {
                return true;
            }
            for (Throwable suppressed : cause.getSuppressed()) {
                if (suppressed instanceof SQLException sql && isConnectionLossItself(sql)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean isConnectionLossItself(SQLException failure) {
        String state = failure.getSQLState();
        if (state != null && (state.startsWith("08") || state.startsWith("57P"))) {
            return true;
        }
        String message = failure.getMessage();
        return failure instanceof SQLTransientConnectionException
                || failure instanceof SQLRecoverableException
                || (state == null && failure.getCause() instanceof java.io.IOException)
                // HikariCP's proxy of a connection it already evicted as broken
                || (state == null
                        && message != null
                        && message.toLowerCase(Locale.ROOT).contains("connection is closed"));
    }

    /** Duplicate rows or keys in the new data: CONCURRENTLY cannot apply it, ever. */
    static boolean isDuplicateRows(SQLException failure) {
        return "21000".equals(failure.getSQLState()) || "23505".equals(failure.getSQLState());
    }

    private static boolean mentionsStatementTimeout(SQLException failure) {
        String message = failure.getMessage();
        return message != null && message.toLowerCase(Locale.ROOT).contains("statement timeout");
    }
}
