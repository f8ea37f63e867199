package io.refreshorchestrator.executor;

import io.refreshorchestrator.discovery.JobPolicy;
import io.refreshorchestrator.discovery.JobSpec;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One refresh attempt in a transaction of its own: resolve the view in the catalog, choose the
 * mode, set the job's statement and lock timeouts (local to the transaction, so the pooled
 * connection keeps its defaults), refresh, commit.
 */
final class RefreshTransaction {

    private static final Logger LOG = LoggerFactory.getLogger(RefreshTransaction.class);
    static final String UNDEFINED_TABLE = "42P01";

    private final DataSource dataSource;
    private final Clock clock;
    private final Set<Statement> running = ConcurrentHashMap.newKeySet();

    RefreshTransaction(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /**
     * Runs the attempt; records its start and plan in {@code attempt} as soon as they are known.
     */
    void run(JobSpec job, Attempt attempt) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            attempt.startedAt = clock.instant();
            try {
                ViewFacts facts =
                        ViewCatalog.lookup(connection, job.view())
                                .orElseThrow(
                                        () ->
                                                new SQLException(
                                                        "materialized view "
                                                                + job.view()
                                                                + " does not exist",
                                                        UNDEFINED_TABLE));
                attempt.plan = ModePlanner.plan(facts);
                setTimeouts(connection, job.policy());
                String sql =
                        "REFRESH MATERIALIZED VIEW "
                                + (attempt.plan.concurrently() ? "CONCURRENTLY " : "")
                                + ViewCatalog.quoted(connection, facts.view());
                execute(connection, sql);
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                rollback(connection, e);
                throw e;
            }
        }
    }

    /** Asks the server to cancel every statement running now (used when shutting down). */
    void cancelRunning() {
        for (Statement statement : running) {
            try {
                statement.cancel();
            } catch (SQLException e) {
                LOG.warn("could not cancel a running refresh: {}", e.getMessage());
            }
        }
    }

    private void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            running.add(statement);
            try {
                statement.execute(sql);
            } finally {
                running.remove(statement);
            }
        }
    }

    /** Bound parameters through set_config(..., true), the function form of SET LOCAL. */
    private static void setTimeouts(Connection connection, JobPolicy policy) throws SQLException {
        try (var statement =
                connection.prepareStatement(
                        "SELECT set_config('statement_timeout', ?, true),"
                                + " set_config('lock_timeout', ?, true)")) {
            statement.setString(1, millis(policy.timeout()));
            statement.setString(2, millis(policy.lockTimeout()));
            statement.executeQuery().close();
        }
    }

    /** Whole milliseconds, at least 1: a zero would switch the timeout off. */
    static String millis(Duration duration) {
        return Long.toString(Math.max(1, duration.toMillis()));
    }

    private static void rollback(Connection connection, Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            // The connection is likely gone; the pool discards it. Keep the original failure.
            cause.addSuppressed(e);
        }
    }
}
