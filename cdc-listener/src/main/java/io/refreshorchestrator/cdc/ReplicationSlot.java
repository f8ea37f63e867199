package io.refreshorchestrator.cdc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/**
 * One row of {@code pg_replication_slots}.
 *
 * @param walStatus {@code reserved}, {@code extended}, {@code unreserved} or {@code lost} (the slot
 *     was invalidated and can never stream again)
 */
record ReplicationSlot(
        String name,
        String plugin,
        String database,
        boolean active,
        Integer activePid,
        String walStatus,
        String confirmedFlushLsn) {

    private static final String QUERY =
            """
            SELECT slot_name, plugin, database, active, active_pid, wal_status,
                   confirmed_flush_lsn::text
              FROM pg_replication_slots WHERE slot_name = ?
            """;

    /** The slot named {@code name}, if it exists. */
    static Optional<ReplicationSlot> find(Connection connection, String name) throws SQLException {
        try (var statement = connection.prepareStatement(QUERY)) {
            statement.setString(1, name);
            try (var result = statement.executeQuery()) {
                if (!result.next()) {
                    return Optional.empty();
                }
                int pid = result.getInt(5);
                Integer activePid = result.wasNull() ? null : pid;
                return Optional.of(
                        new ReplicationSlot(
                                result.getString(1),
                                result.getString(2),
                                result.getString(3),
                                result.getBoolean(4),
                                activePid,
                                result.getString(6),
                                result.getString(7)));
            }
        }
    }

    /** Drops the (inactive) slot {@code name}. */
    static void drop(Connection connection, String name) throws SQLException {
        try (var statement = connection.prepareStatement("SELECT pg_drop_replication_slot(?)")) {
            statement.setString(1, name);
            statement.execute();
        }
    }

    boolean isLost() {
        return "lost".equals(walStatus);
    }
}
