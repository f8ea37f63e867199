package io.refreshorchestrator.history;

import io.refreshorchestrator.events.RefreshResult;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.postgresql.PGConnection;

/**
 * The SQL side of the run history: {@code <schema>.run_history}, one row per result keyed by
 * command id and status, and the view {@code <schema>.job_stats} over its last 24 hours. A result
 * delivered twice (a redelivery after a crash republishes the same outcome of the same command)
 * finds its row there already and is not written again.
 */
final class HistoryTable {

    /** Rows deleted per statement by {@link #purge}: short transactions, short locks. */
    static final int PURGE_BATCH = 5_000;

    private static final String COLUMNS =
            "command_id, job, kind, status, reason, mode, attempts, requested_at, started_at,"
                    + " finished_at, duration_ms, first_change_at, freshness_lag_ms, error_sql_state,"
                    + " error_message, detail, tx_id";

    private final String schema;

    HistoryTable(String schema) {
        this.schema = schema;
    }

    /** Creates the schema, table, indexes and view when missing; idempotent. */
    void ensure(Connection connection) throws SQLException {
        String quotedSchema = quote(connection, schema);
        String table = table(connection);
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (var statement = connection.createStatement()) {
            // The executor's lock space and key 0 (see RunLedger): one creator at a time.
            statement.execute("SELECT pg_advisory_xact_lock(" + 0x52454652 + ", 0)");
            // only when missing: CREATE SCHEMA needs CREATE on the database even with IF NOT
            // EXISTS, a right a role given a ready schema does not have
            if (!schemaExists(connection)) {
                statement.execute("CREATE SCHEMA " + quotedSchema);
            }
            statement.execute(
                    "CREATE TABLE IF NOT EXISTS "
                            + table
                            + " (command_id uuid NOT NULL, job text NOT NULL, kind text,"
                            + " status text NOT NULL, reason text, mode text, attempts int NOT NULL,"
                            + " requested_at timestamptz, started_at timestamptz,"
                            + " finished_at timestamptz NOT NULL, duration_ms bigint,"
                            + " first_change_at timestamptz, freshness_lag_ms bigint,"
                            + " error_sql_state text, error_message text, detail text,"
                            + " tx_id bigint, recorded_at timestamptz NOT NULL DEFAULT now(),"
                            + " PRIMARY KEY (command_id, status))");
            statement.execute(
                    "CREATE INDEX IF NOT EXISTS run_history_finished_at ON "
                            + table
                            + " (finished_at)");
            statement.execute(
                    "CREATE INDEX IF NOT EXISTS run_history_job_finished_at ON "
                            + table
                            + " (job, finished_at)");
            statement.execute(
                    "COMMENT ON TABLE "
                            + table
                            + " IS 'Refresh Orchestrator: one row per result of refresh-results"
                            + " (history.enabled), deleted after history.retention'");
            statement.execute(
                    ("CREATE OR REPLACE VIEW %s.job_stats AS"
                                    + " SELECT job, count(*) AS results,"
                                    + " count(*) FILTER (WHERE status = 'SUCCEEDED') AS succeeded,"
                                    + " count(*) FILTER (WHERE status IN ('FAILED', 'TIMED_OUT'))"
                                    + " AS failed,"
                                    + " count(*) FILTER (WHERE status = 'SKIPPED') AS skipped,"
                                    + " round(count(*) FILTER (WHERE status = 'SUCCEEDED')::numeric"
                                    + " / nullif(count(*) FILTER (WHERE status IN ('SUCCEEDED',"
                                    + " 'FAILED', 'TIMED_OUT')), 0), 4) AS success_rate,"
                                    + " percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_ms)"
                                    + " FILTER (WHERE status = 'SUCCEEDED') AS duration_p50_ms,"
                                    + " percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms)"
                                    + " FILTER (WHERE status = 'SUCCEEDED') AS duration_p95_ms,"
                                    + " max(finished_at) AS last_finished_at,"
                                    + " max(finished_at) FILTER (WHERE status = 'SUCCEEDED')"
                                    + " AS last_succeeded_at"
                                    + " FROM %s WHERE finished_at > now() - interval '24 hours'"
                                    + " GROUP BY job")
                            .formatted(quotedSchema, table));
            statement.execute(
                    "COMMENT ON VIEW "
                            + quotedSchema
                            + ".job_stats IS 'Refresh Orchestrator: per job over the last 24 h:"
                            + " results, success rate (SUCCEEDED of SUCCEEDED, FAILED and"
                            + " TIMED_OUT), duration p50/p95 of SUCCEEDED runs in ms'");
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            try {
                connection.rollback();
            } catch (SQLException rollback) {
                e.addSuppressed(rollback);
            }
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    /** Writes {@code results} in one statement batch; rows already there stay as they are. */
    void insert(Connection connection, List<RefreshResult> results) throws SQLException {
        try (var statement =
                connection.prepareStatement(
                        "INSERT INTO "
                                + table(connection)
                                + " ("
                                + COLUMNS
                                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, coalesce(?, now()), ?, ?,"
                                + " ?, ?, ?, ?, ?) ON CONFLICT (command_id, status) DO NOTHING")) {
            for (var result : results) {
                int i = 0;
                statement.setObject(++i, result.commandId());
                statement.setString(++i, result.job());
                statement.setString(++i, name(result.kind()));
                statement.setString(++i, name(result.status()));
                statement.setString(++i, name(result.reason()));
                statement.setString(++i, name(result.mode()));
                statement.setInt(++i, result.attempts());
                statement.setObject(++i, timestamp(result.requestedAt()));
                statement.setObject(++i, timestamp(result.startedAt()));
                statement.setObject(++i, timestamp(result.finishedAt()));
                setLong(statement, ++i, result.durationMs());
                statement.setObject(++i, timestamp(result.firstChangeAt()));
                setLong(statement, ++i, result.freshnessLagMs());
                statement.setString(++i, result.error() == null ? null : result.error().sqlState());
                statement.setString(++i, result.error() == null ? null : result.error().message());
                statement.setString(++i, result.detail());
                setLong(statement, ++i, result.txId());
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    /**
     * Deletes up to {@link #PURGE_BATCH} rows that finished more than {@code retention} ago.
     *
     * @return how many it deleted: {@link #PURGE_BATCH} means there may be more
     */
    int purge(Connection connection, Duration retention) throws SQLException {
        String table = table(connection);
        try (var statement =
                connection.prepareStatement(
                        "DELETE FROM "
                                + table
                                + " WHERE ctid = ANY (ARRAY(SELECT ctid FROM "
                                + table
                                + " WHERE finished_at < now() - make_interval(secs => ?)"
                                + " LIMIT ?))")) {
            statement.setDouble(1, retention.toMillis() / 1000.0);
            statement.setInt(2, PURGE_BATCH);
            return statement.executeUpdate();
        }
    }

    private boolean schemaExists(Connection connection) throws SQLException {
        try (var statement =
                connection.prepareStatement("SELECT 1 FROM pg_namespace WHERE nspname = ?")) {
            statement.setString(1, schema);
            try (var row = statement.executeQuery()) {
                return row.next();
            }
        }
    }

    private String table(Connection connection) throws SQLException {
        return quote(connection, schema) + ".run_history";
    }

    private static String quote(Connection connection, String name) throws SQLException {
        return connection.unwrap(PGConnection.class).escapeIdentifier(name);
    }

    private static String name(Enum<?> value) {
        return value == null ? null : value.name();
    }

    private static OffsetDateTime timestamp(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static void setLong(java.sql.PreparedStatement statement, int index, Long value)
            throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.BIGINT);
        } else {
            statement.setLong(index, value);
        }
    }
}
