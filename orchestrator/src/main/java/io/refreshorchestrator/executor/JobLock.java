package io.refreshorchestrator.executor;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The session advisory lock that lets one refresh of a job run at a time across every executor
 * instance, keyed by the job name (bound, hashed by the server). Held by the connection that runs
 * the job, so it is released when that session ends, whatever happens to the executor.
 */
final class JobLock {

    private JobLock() {}

    static boolean tryLock(Connection connection, String job) throws SQLException {
        return call(connection, "pg_try_advisory_lock", job);
    }

    /** False when the session did not hold it, e.g. because the connection was replaced. */
    static boolean unlock(Connection connection, String job) throws SQLException {
        return call(connection, "pg_advisory_unlock", job);
    }

    private static boolean call(Connection connection, String function, String job)
            throws SQLException {
        try (var statement =
                connection.prepareStatement("SELECT " + function + "(?, hashtext(?))")) {
            statement.setInt(1, RunLedger.LOCK_SPACE);
            statement.setString(2, job);
            try (var row = statement.executeQuery()) {
                row.next();
                return row.getBoolean(1);
            }
        }
    }
}
