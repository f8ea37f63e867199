package io.refreshorchestrator.executor;

import io.refreshorchestrator.discovery.JobAction;
import io.refreshorchestrator.discovery.JobPolicy;
import io.refreshorchestrator.discovery.JobSpec;
import io.refreshorchestrator.events.RefreshMode;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt of a refresh or SQL job in a transaction of its own, on a connection holding the
 * job's advisory lock: resolve the view in the catalog and choose the mode (refresh), set the job's
 * statement and lock timeouts (local to the transaction, so the pooled connection keeps its
 * defaults), run, record the run in the ledger, commit. The run and its record commit together; the
 * transaction's id is kept in the attempt for the result.
 */
final class RefreshTransaction {

    private static final Logger LOG = LoggerFactory.getLogger(RefreshTransaction.class);
    static final String UNDEFINED_TABLE = "42P01";
    static final String FORCED = "mode forced by configuration";

    private final RunLedger ledger;
    private final Clock clock;
    private final Set<Statement> running = ConcurrentHashMap.newKeySet();

    RefreshTransaction(RunLedger ledger, Clock clock) {
        this.ledger = ledger;
        this.clock = clock;
    }

    /**
     * Runs the attempt; records its start and plan in {@code attempt} as soon as they are known.
     *
     * @return the run as recorded in the ledger
     */
    LastRun run(Connection connection, JobSpec job, UUID commandId, Attempt attempt)
            throws SQLException {
        connection.setAutoCommit(false);
        attempt.startedAt = clock.instant();
        try {
            String sql =
                    job.action() instanceof JobAction.RunSql runSql
                            ? runSql.sql()
                            : refreshStatement(connection, job, attempt);
            setTimeouts(connection, job.policy());
            LastRun run = ledger.begin(connection, commandId);
            execute(connection, sql);
            ledger.record(connection, job.name(), run);
            Long txId = transactionId(connection);
            connection.commit();
            attempt.txId = txId;
            return run.finished(clock.instant(), txId);
        } catch (SQLException | RuntimeException e) {
            rollback(connection, e);
            throw e;
        } finally {
            restoreAutoCommit(connection);
        }
    }

    private static String refreshStatement(Connection connection, JobSpec job, Attempt attempt)
            throws SQLException {
        ViewFacts facts =
                ViewCatalog.lookup(connection, job.view())
                        .orElseThrow(
                                () ->
                                        new SQLException(
                                                "materialized view "
                                                        + job.view()
                                                        + " does not exist",
                                                UNDEFINED_TABLE));
        attempt.plan = plan(facts, ((JobAction.RefreshView) job.action()).mode().orElse(null));
        return "REFRESH MATERIALIZED VIEW "
                + (attempt.plan.concurrently() ? "CONCURRENTLY " : "")
                + ViewCatalog.quoted(connection, facts.view());
    }

    /** The catalog's choice, unless the job forces a mode; a first population is never forced. */
    static RefreshPlan plan(ViewFacts facts, RefreshMode forced) {
        RefreshPlan chosen = ModePlanner.plan(facts);
        if (forced == null || !facts.populated()) {
            return chosen;
        }
        return new RefreshPlan(forced, FORCED);
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

    /**
     * The id of the current transaction, which the refresh and its ledger record have already given
     * one: published with the result, so that a job built on this one can tell whether its own run
     * saw this refresh.
     */
    private static Long transactionId(Connection connection) throws SQLException {
        try (var statement = connection.createStatement();
                var row = statement.executeQuery("SELECT pg_current_xact_id()::text")) {
            row.next();
            return Long.parseLong(row.getString(1));
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

    private static void restoreAutoCommit(Connection connection) {
        try {
            connection.setAutoCommit(true);
        } catch (SQLException e) {
            LOG.debug("connection lost after the attempt: {}", e.toString());
        }
    }
}
