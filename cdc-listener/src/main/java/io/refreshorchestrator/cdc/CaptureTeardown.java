package io.refreshorchestrator.cdc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Removes what change capture created in the database: the replication slot (which otherwise holds
 * WAL for good) and the publication. Idempotent; never drops a slot in use or one of another
 * database.
 */
public final class CaptureTeardown {

    private static final String SLOT =
            """
            SELECT slot_name, database, plugin, active_pid,
                   pg_size_pretty(pg_wal_lsn_diff(
                       CASE WHEN pg_is_in_recovery() THEN NULL ELSE pg_current_wal_lsn() END,
                       restart_lsn))
              FROM pg_replication_slots WHERE slot_name = ?
            """;

    private CaptureTeardown() {}

    /** The slot and publication named in {@code settings}, as they are now. */
    public static CaptureFootprint inspect(Connection connection, CdcSettings settings)
            throws SQLException {
        Optional<CaptureFootprint.Slot> slot = Optional.empty();
        try (var statement = connection.prepareStatement(SLOT)) {
            statement.setString(1, settings.slotName());
            try (var result = statement.executeQuery()) {
                if (result.next()) {
                    int pid = result.getInt(4);
                    Integer activePid = result.wasNull() ? null : pid;
                    slot =
                            Optional.of(
                                    new CaptureFootprint.Slot(
                                            result.getString(1),
                                            result.getString(2),
                                            result.getString(3),
                                            activePid,
                                            result.getString(5)));
                }
            }
        }
        Optional<CaptureFootprint.Publication> publication = Optional.empty();
        try (var statement =
                connection.prepareStatement("SELECT 1 FROM pg_publication WHERE pubname = ?")) {
            statement.setString(1, settings.publicationName());
            try (var result = statement.executeQuery()) {
                if (result.next()) {
                    var tables =
                            PublicationManager.members(connection, settings.publicationName())
                                    .stream()
                                    .map(CapturedTable::qualifiedName)
                                    .sorted()
                                    .toList();
                    publication =
                            Optional.of(
                                    new CaptureFootprint.Publication(
                                            settings.publicationName(), tables));
                }
            }
        }
        return new CaptureFootprint(slot, publication);
    }

    /**
     * Why {@code footprint} must not be dropped (a slot in use, or one belonging to another
     * database), or empty when it may.
     */
    public static Optional<String> refusal(CaptureFootprint footprint, CdcSettings settings) {
        if (footprint.slot().isEmpty()) {
            return Optional.empty();
        }
        var slot = footprint.slot().get();
        if (slot.active()) {
            return Optional.of(
                    "Replication slot '%s' is in use by PostgreSQL process %d: change capture is running. Stop the orchestrator (or cdc-listener) using it first; nothing was dropped"
                            .formatted(slot.name(), slot.activePid()));
        }
        var database = settings.postgres().database();
        if (!database.equals(slot.database()) || !"pgoutput".equals(slot.plugin())) {
            return Optional.of(
                    "Replication slot '%s' belongs to database '%s' (plugin %s), not to '%s': it is not this configuration's; nothing was dropped"
                            .formatted(slot.name(), slot.database(), slot.plugin(), database));
        }
        return Optional.empty();
    }

    /**
     * Drops the slot, then the publication; what no longer exists is skipped.
     *
     * @throws CdcException when the slot must not be dropped (see {@link #refusal}) or PostgreSQL
     *     refuses, naming the privilege needed
     */
    public static void drop(Connection connection, CdcSettings settings) throws SQLException {
        var footprint = inspect(connection, settings);
        var refusal = refusal(footprint, settings);
        if (refusal.isPresent()) {
            throw new CdcException(refusal.get());
        }
        if (footprint.slot().isPresent()) {
            execute(
                    connection,
                    "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots"
                            + " WHERE slot_name = ?",
                    settings.slotName(),
                    "dropping a replication slot needs the REPLICATION attribute (ALTER ROLE ..."
                            + " WITH REPLICATION) or a superuser");
        }
        if (footprint.publication().isPresent()) {
            var publication = Sql.quoteIdentifier(connection, settings.publicationName());
            execute(
                    connection,
                    "DROP PUBLICATION IF EXISTS " + publication,
                    null,
                    "dropping a publication needs its ownership: run DROP PUBLICATION "
                            + publication
                            + " as its owner or a superuser");
        }
    }

    private static void execute(Connection connection, String sql, String parameter, String hint)
            throws SQLException {
        try (var statement = connection.prepareStatement(sql)) {
            if (parameter != null) {
                statement.setString(1, parameter);
            }
            statement.execute();
        } catch (SQLException e) {
            if (Sql.INSUFFICIENT_PRIVILEGE.equals(e.getSQLState())) {
                throw new CdcException(e.getMessage() + ": " + hint, e);
            }
            if ("55006".equals(e.getSQLState())) {
                throw new CdcException(e.getMessage() + ": stop the capture using it first", e);
            }
            throw e;
        }
    }
}
