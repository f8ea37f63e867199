package io.refreshorchestrator.cdc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/**
 * One row of {@code pg_replication_slots}.
 *
 * @param restartLsn the oldest WAL position the slot still holds, as a number (null when the slot
 *     never reserved WAL)
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
        String confirmedFlushLsn,
        Long restartLsn) {

    private static final String QUERY =
            """
            SELECT slot_name, plugin, database, active, active_pid, wal_status,
                   confirmed_flush_lsn::text, restart_lsn - '0/0'::pg_lsn
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
                                result.getString(7),
                                restartLsn(result.getBigDecimal(8))));
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

    private static Long restartLsn(java.math.BigDecimal lsn) {
        return lsn == null ? null : lsn.longValueExact();
    }

    /**
     * Whether streaming can resume at {@code processedLsn}: the slot still holds the WAL from there
     * on (its restart LSN is not past it). The same rule the Debezium connector applies before it
     * streams.
     */
    boolean serves(Long processedLsn) {
        return processedLsn == null || restartLsn == null || restartLsn <= processedLsn;
    }

    boolean isLost() {
        return "lost".equals(walStatus);
    }
}
