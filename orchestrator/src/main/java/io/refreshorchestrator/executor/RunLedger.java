package io.refreshorchestrator.executor;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Optional;
import java.util.UUID;
import org.postgresql.PGConnection;

/**
 * The latest SUCCEEDED run per job, kept in the user's database in one small table, {@code
 * <schema>.last_success}. It lives there rather than in memory or on the results topic because it
 * is written in the same transaction as the refresh (or SQL job) it records: a committed refresh
 * and its record cannot part, whichever executor instance ran it and whenever it crashed. Read
 * under the job's advisory lock, it says whether a command is already covered.
 */
final class RunLedger {

    /** Key space of the executor's advisory locks (the two-int form; "REFR"). */
    static final int LOCK_SPACE = 0x52454652;

    private final String schema;
    private volatile boolean ready;

    RunLedger(String schema) {
        this.schema = schema;
    }

    /** Creates the schema and table when missing; only checks when they exist (no DDL rights). */
    void ensure(Connection connection) throws SQLException {
        if (ready) {
            return;
        }
        connection.setAutoCommit(false);
        try {
            try (var lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(?, 0)")) {
                lock.setInt(1, LOCK_SPACE);
                lock.executeQuery().close();
            }
            try (var exists =
                    connection.prepareStatement("SELECT to_regclass(? || '.last_success')")) {
                exists.setString(1, quote(connection, schema));
                try (var row = exists.executeQuery()) {
                    row.next();
                    if (row.getString(1) == null) {
                        create(connection);
                    }
                }
            }
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            rollbackKeeping(connection, e);
            throw e;
        }
        connection.setAutoCommit(true);
        ready = true;
    }

    private void create(Connection connection) throws SQLException {
        try {
            createTable(connection);
        } catch (SQLException e) {
            if (SqlFailures.isConnectionLoss(e)) {
                throw e;
            }
            throw new SQLException(
                    "cannot create "
                            + schema
                            + ".last_success, the executor's record of runs (create the schema and"
                            + " grant the role USAGE and CREATE on it, or CREATE on the database): "
                            + e.getMessage(),
                    e.getSQLState(),
                    e);
        }
    }

    private void createTable(Connection connection) throws SQLException {
        String table = table(connection);
        try (var statement = connection.createStatement()) {
            // only when missing: even with IF NOT EXISTS, CREATE SCHEMA needs CREATE on the
            // database, which a role given a ready schema does not have
            if (!schemaExists(connection)) {
                statement.execute("CREATE SCHEMA " + quote(connection, schema));
            }
            statement.execute(
                    "CREATE TABLE IF NOT EXISTS "
                            + table
                            + " (job text PRIMARY KEY, command_id uuid NOT NULL,"
                            + " started_at timestamptz NOT NULL, snapshot text NOT NULL,"
                            + " finished_at timestamptz NOT NULL, tx_id bigint)");
            // Tables made before the run's transaction was recorded get the column now.
            statement.execute("ALTER TABLE " + table + " ADD COLUMN IF NOT EXISTS tx_id bigint");
            statement.execute(
                    "COMMENT ON TABLE "
                            + table
                            + " IS 'Refresh Orchestrator: latest successful run per job,"
                            + " used to coalesce commands'");
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

    /** The job's latest SUCCEEDED run, read with a fresh snapshot. */
    Optional<LastRun> read(Connection connection, String job) throws SQLException {
        try (var statement =
                connection.prepareStatement(
                        "SELECT command_id, started_at, snapshot, finished_at, tx_id FROM "
                                + table(connection)
                                + " WHERE job = ?")) {
            statement.setString(1, job);
            try (var row = statement.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                long txId = row.getLong(5);
                return Optional.of(
                        new LastRun(
                                row.getObject(1, UUID.class),
                                row.getTimestamp(2).toInstant(),
                                PgSnapshot.parse(row.getString(3)),
                                row.getTimestamp(4).toInstant(),
                                row.wasNull() ? null : txId));
            }
        }
    }

    /**
     * Marks the start of a run in the current transaction: the database's clock and a snapshot
     * taken now, before the run's own statement takes its (later, so wider) one.
     */
    LastRun begin(Connection connection, UUID commandId) throws SQLException {
        try (var statement = connection.createStatement();
                var row =
                        statement.executeQuery(
                                "SELECT clock_timestamp(), pg_current_snapshot()::text")) {
            row.next();
            return new LastRun(
                    commandId, row.getTimestamp(1).toInstant(), PgSnapshot.parse(row.getString(2)));
        }
    }

    /** Records {@code run} as SUCCEEDED, in the caller's transaction; never moves backwards. */
    void record(Connection connection, String job, LastRun run) throws SQLException {
        String table = table(connection);
        PgSnapshot snapshot = run.snapshot();
        try (var statement =
                connection.prepareStatement(
                        "INSERT INTO "
                                + table
                                + " AS t (job, command_id, started_at, snapshot, finished_at, tx_id)"
                                + " VALUES (?, ?, ?, ?, clock_timestamp(),"
                                + " pg_current_xact_id()::text::bigint)"
                                + " ON CONFLICT (job) DO UPDATE SET command_id ="
                                + " EXCLUDED.command_id, started_at = EXCLUDED.started_at,"
                                + " snapshot = EXCLUDED.snapshot, finished_at ="
                                + " EXCLUDED.finished_at, tx_id = EXCLUDED.tx_id WHERE"
                                + " t.started_at < EXCLUDED.started_at")) {
            statement.setString(1, job);
            statement.setObject(2, run.commandId());
            statement.setTimestamp(3, Timestamp.from(run.startedAt()));
            statement.setString(4, text(snapshot));
            statement.executeUpdate();
        }
    }

    static String text(PgSnapshot snapshot) {
        var xip =
                snapshot.inProgress().stream()
                        .sorted()
                        .map(String::valueOf)
                        .reduce((a, b) -> a + "," + b)
                        .orElse("");
        return snapshot.xmin() + ":" + snapshot.xmax() + ":" + xip;
    }

    private String table(Connection connection) throws SQLException {
        return quote(connection, schema) + ".last_success";
    }

    private static String quote(Connection connection, String name) throws SQLException {
        return connection.unwrap(PGConnection.class).escapeIdentifier(name);
    }

    /**
     * Rolls back and restores auto-commit; when that fails too (the connection died), the failure
     * is attached to {@code cause} instead of hiding it: the cause says what happened.
     */
    private static void rollbackKeeping(Connection connection, Exception cause) {
        try {
            connection.rollback();
            connection.setAutoCommit(true);
        } catch (SQLException cleanupFailure) {
            cause.addSuppressed(cleanupFailure);
        }
    }
}
