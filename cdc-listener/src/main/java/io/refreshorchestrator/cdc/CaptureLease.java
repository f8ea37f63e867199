package io.refreshorchestrator.cdc;

import io.refreshorchestrator.config.PostgresSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The right to capture: a session advisory lock in the captured database, keyed by the slot, held
 * on a connection of its own for as long as this instance captures. Of several instances with one
 * configuration exactly one holds it and reads the slot; the others stand by and try again. The
 * lock goes with its session: a capturing process that dies (even by kill -9) releases it as soon
 * as PostgreSQL sees the connection close, so a standby takes over without any timeout of ours, and
 * a standby that wins finds the slot (and its position) where the dead one left it.
 *
 * <p>The session is named {@code refresh-orchestrator capture: <instance-id>} ({@code
 * application_name}), which is how standbys say which instance captures.
 */
final class CaptureLease implements AutoCloseable {

    /** First key of the lock; the executor's job locks use 1380271698. */
    static final int LOCK_CLASS = 1380271699;

    static final String APPLICATION_NAME_PREFIX = "refresh-orchestrator capture: ";

    private static final String SLOT_KEY = "hashtext(?) & 2147483647";

    private final PostgresSettings postgres;
    private final String slot;
    private final String instanceId;
    private Connection connection;
    private boolean held;

    CaptureLease(PostgresSettings postgres, String slot, String instanceId) {
        this.postgres = postgres;
        this.slot = slot;
        this.instanceId = instanceId;
    }

    /**
     * Takes the lease when it is free. The session stays open while standing by, for the next try
     * and for {@link #holder()}.
     *
     * @return true when this instance holds it now (also when it already did)
     * @throws SQLException when PostgreSQL cannot be asked
     */
    synchronized boolean tryAcquire() throws SQLException {
        if (held && isHeld()) {
            return true;
        }
        if (connection == null || !connection.isValid(2)) {
            release();
            connection = open();
        }
        try (var statement =
                connection.prepareStatement("SELECT pg_try_advisory_lock(?, " + SLOT_KEY + ")")) {
            statement.setInt(1, LOCK_CLASS);
            statement.setString(2, slot);
            try (var result = statement.executeQuery()) {
                held = result.next() && result.getBoolean(1);
                return held;
            }
        } catch (SQLException | RuntimeException e) {
            release();
            throw e;
        }
    }

    /** Who holds the lease now, asked on this lease's own session; see {@link #holder}. */
    synchronized Optional<String> holder() throws SQLException {
        if (connection == null) {
            return Optional.empty();
        }
        return holder(connection, slot);
    }

    private Connection open() throws SQLException {
        var props = postgres.jdbcProperties();
        props.put("ApplicationName", APPLICATION_NAME_PREFIX + instanceId);
        props.putIfAbsent("connectTimeout", "5");
        // a half-open connection (a host gone without a FIN) must not keep the lease for hours
        props.put("tcpKeepAlive", "true");
        return DriverManager.getConnection(postgres.jdbcUrl(), props);
    }

    /** Whether the lease is held: its session is alive (asked of the server, 2 s at most). */
    synchronized boolean isHeld() {
        try {
            return held && connection != null && connection.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    /**
     * The instance holding the lease, from its session's {@code application_name}; empty when none
     * does (or it is not ours to name).
     */
    static Optional<String> holder(Connection connection, String slot) throws SQLException {
        try (var statement =
                connection.prepareStatement(
                        "SELECT a.application_name FROM pg_locks l"
                                + " JOIN pg_stat_activity a ON a.pid = l.pid"
                                + " WHERE l.locktype = 'advisory' AND l.granted"
                                + " AND l.database = (SELECT oid FROM pg_database"
                                + " WHERE datname = current_database())"
                                + " AND l.classid = ?::oid AND l.objid = ("
                                + SLOT_KEY
                                + ")::oid AND l.objsubid = 2")) {
            statement.setInt(1, LOCK_CLASS);
            statement.setString(2, slot);
            try (var result = statement.executeQuery()) {
                if (!result.next()) {
                    return Optional.empty();
                }
                var name = result.getString(1);
                return Optional.of(
                        name != null && name.startsWith(APPLICATION_NAME_PREFIX)
                                ? name.substring(APPLICATION_NAME_PREFIX.length())
                                : "an unnamed session");
            }
        }
    }

    /** Gives the lease up (closing its session releases the lock). */
    synchronized void release() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                // the session is gone either way, and the lock with it
            }
            connection = null;
        }
        held = false;
    }

    @Override
    public void close() {
        release();
    }
}
