package io.refreshorchestrator.cdc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether the server has room for this listener: a replication slot ({@code max_replication_slots},
 * physical slots included) and a WAL sender ({@code max_wal_senders}). The listener's own slot,
 * when it exists, is available: it is reused, and the sender holding it is released on restart.
 */
final class ReplicationCapacity {

    private static final String SLOTS =
            """
            SELECT current_setting('max_replication_slots')::int,
                   (SELECT count(*) FROM pg_replication_slots),
                   s.active, s.slot_type, s.plugin, s.database, current_database()
              FROM (SELECT 1) one
              LEFT JOIN pg_replication_slots s ON s.slot_name = ?
            """;

    // pg_stat_replication lists every WAL sender to any role; pg_stat_activity hides the
    // backend type of other roles' sessions
    private static final String SENDERS =
            """
            SELECT current_setting('max_wal_senders')::int,
                   (SELECT count(*) FROM pg_stat_replication)
            """;

    private static final String INACTIVE_SLOTS =
            "SELECT slot_name FROM pg_replication_slots WHERE NOT active ORDER BY slot_name";

    private ReplicationCapacity() {}

    static List<PreflightCheck> inspect(Connection connection, String slotName)
            throws SQLException {
        try (var statement = connection.prepareStatement(SLOTS)) {
            statement.setString(1, slotName);
            try (var result = statement.executeQuery()) {
                result.next();
                int maxSlots = result.getInt(1);
                long slots = result.getLong(2);
                boolean active = result.getBoolean(3);
                boolean exists = !result.wasNull();
                var checks = new ArrayList<PreflightCheck>();
                if (exists
                        && !isOurs(
                                result.getString(4),
                                result.getString(5),
                                result.getString(6),
                                result.getString(7))) {
                    checks.add(
                            PreflightCheck.missing(
                                    "replication slots",
                                    "slot '%s' exists but is a %s slot of database %s with plugin %s; capture needs a logical pgoutput slot on %s"
                                            .formatted(
                                                    slotName,
                                                    result.getString(4),
                                                    result.getString(6),
                                                    result.getString(5),
                                                    result.getString(7)),
                                    "configure another cdc.slot, or drop this one if it is unused: SELECT pg_drop_replication_slot("
                                            + Sql.quoteLiteral(slotName)
                                            + ");"));
                } else {
                    checks.add(slots(connection, slotName, maxSlots, slots, exists));
                }
                checks.add(senders(connection, exists && active));
                return checks;
            }
        }
    }

    private static boolean isOurs(String type, String plugin, String database, String current) {
        return "logical".equals(type) && "pgoutput".equals(plugin) && current.equals(database);
    }

    private static PreflightCheck slots(
            Connection connection, String slotName, int max, long used, boolean ownSlotExists)
            throws SQLException {
        var name = "replication slots";
        var usage = used + " of max_replication_slots " + max + " in use";
        if (ownSlotExists) {
            return PreflightCheck.ok(
                    name, "slot '" + slotName + "' exists and is reused (" + usage + ")");
        }
        if (used < max) {
            return PreflightCheck.ok(name, usage + ", slot '" + slotName + "' will be created");
        }
        var fix = new StringBuilder();
        fix.append("ALTER SYSTEM SET max_replication_slots = ")
                .append(used + 1)
                .append("; -- as a superuser, then restart PostgreSQL");
        for (var unused : inactiveSlots(connection)) {
            fix.append("\nSELECT pg_drop_replication_slot(")
                    .append(Sql.quoteLiteral(unused))
                    .append("); -- or drop an unused slot (it holds WAL)");
        }
        return PreflightCheck.missing(
                name, usage + ": no slot free for '" + slotName + "'", fix.toString());
    }

    private static PreflightCheck senders(Connection connection, boolean ownSlotActive)
            throws SQLException {
        try (var statement = connection.createStatement();
                var result = statement.executeQuery(SENDERS)) {
            result.next();
            int max = result.getInt(1);
            long used = result.getLong(2);
            // the sender streaming our slot now is the one a restart replaces
            long others = ownSlotActive ? used - 1 : used;
            var name = "WAL senders";
            var usage = used + " of max_wal_senders " + max + " in use";
            if (others < max) {
                return PreflightCheck.ok(name, usage);
            }
            return PreflightCheck.missing(
                    name,
                    usage + ": no WAL sender free for change capture",
                    "ALTER SYSTEM SET max_wal_senders = "
                            + (others + 1)
                            + "; -- as a superuser, then restart PostgreSQL");
        }
    }

    private static List<String> inactiveSlots(Connection connection) throws SQLException {
        var names = new ArrayList<String>();
        try (var statement = connection.createStatement();
                var result = statement.executeQuery(INACTIVE_SLOTS)) {
            while (result.next()) {
                names.add(result.getString(1));
            }
        }
        return names;
    }
}
