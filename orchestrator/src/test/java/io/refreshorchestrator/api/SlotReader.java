package io.refreshorchestrator.api;

import io.refreshorchestrator.local.PostgresServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import org.postgresql.PGConnection;
import org.postgresql.PGProperty;

/**
 * Streams from a logical slot over a replication connection, as change capture does: while open,
 * the slot is active and a WAL sender is in use.
 */
final class SlotReader implements AutoCloseable {

    private final Connection connection;
    private final int backendPid;

    private SlotReader(Connection connection, int backendPid) {
        this.connection = connection;
        this.backendPid = backendPid;
    }

    static SlotReader start(
            PostgresServer postgres, String database, String slot, String publication)
            throws SQLException {
        var properties = new Properties();
        PGProperty.USER.set(properties, postgres.user());
        PGProperty.ASSUME_MIN_SERVER_VERSION.set(properties, "10");
        PGProperty.REPLICATION.set(properties, "database");
        PGProperty.PREFER_QUERY_MODE.set(properties, "simple");
        var connection = DriverManager.getConnection(postgres.jdbcUrl(database), properties);
        var pg = connection.unwrap(PGConnection.class);
        pg.getReplicationAPI()
                .replicationStream()
                .logical()
                .withSlotName(slot)
                .withSlotOption("proto_version", 1)
                .withSlotOption("publication_names", publication)
                .start();
        return new SlotReader(connection, pg.getBackendPID());
    }

    /** The WAL sender's process id, the slot's {@code active_pid}. */
    int pid() {
        return backendPid;
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
