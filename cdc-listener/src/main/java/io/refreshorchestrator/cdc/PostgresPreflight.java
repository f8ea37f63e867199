package io.refreshorchestrator.cdc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks, before anything is created, that the database can serve logical replication for the
 * configured tables, and names every problem with the statement that fixes it: {@code wal_level},
 * free replication slots and WAL senders, the role's REPLICATION attribute, the captured tables,
 * and the rights to create or alter the publication.
 */
public final class PostgresPreflight {

    private static final String TABLE_QUERY =
            """
            SELECT c.relkind, c.relreplident,
                   EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisprimary)
              FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = ? AND c.relname = ?
            """;

    private PostgresPreflight() {}

    /** Every capture check, passed or not, in a stable order. Changes nothing. */
    public static List<PreflightCheck> inspect(Connection connection, CdcSettings settings)
            throws SQLException {
        var checks = new ArrayList<PreflightCheck>();
        checks.add(walLevel(connection));
        checks.addAll(ReplicationCapacity.inspect(connection, settings.slotName()));
        checks.add(replicationRole(connection));
        var existing = new ArrayList<CapturedTable>();
        for (var table : settings.capturedTables()) {
            var check = table(connection, table);
            checks.add(check);
            if (!check.isMissing()) {
                existing.add(table);
            }
        }
        checks.add(PublicationRights.inspect(connection, settings.publicationName(), existing));
        return checks;
    }

    /**
     * @throws CaptureNotPossibleException listing every problem found, each with its fix
     */
    public static void check(Connection connection, CdcSettings settings) throws SQLException {
        var missing =
                inspect(connection, settings).stream().filter(PreflightCheck::isMissing).toList();
        if (!missing.isEmpty()) {
            throw new CaptureNotPossibleException(settings.postgres().database(), missing);
        }
    }

    private static PreflightCheck walLevel(Connection connection) throws SQLException {
        try (var statement = connection.createStatement();
                var result = statement.executeQuery("SHOW wal_level")) {
            result.next();
            var level = result.getString(1);
            if ("logical".equals(level)) {
                return PreflightCheck.ok("wal_level", "logical");
            }
            return PreflightCheck.missing(
                    "wal_level",
                    "is '" + level + "'; logical decoding needs 'logical'",
                    "ALTER SYSTEM SET wal_level = logical; -- as a superuser, then restart"
                            + " PostgreSQL");
        }
    }

    private static PreflightCheck replicationRole(Connection connection) throws SQLException {
        try (var statement = connection.createStatement();
                var result =
                        statement.executeQuery(
                                "SELECT current_user, rolreplication, rolsuper"
                                        + " FROM pg_roles WHERE rolname = current_user")) {
            result.next();
            var role = Sql.quoteIdentifier(connection, result.getString(1));
            if (result.getBoolean(3)) {
                return PreflightCheck.ok("replication", "role " + role + " is a superuser");
            }
            if (result.getBoolean(2)) {
                return PreflightCheck.ok(
                        "replication", "role " + role + " has the REPLICATION attribute");
            }
            return PreflightCheck.missing(
                    "replication",
                    "role "
                            + role
                            + " may not stream changes: it has neither the REPLICATION"
                            + " attribute nor superuser",
                    "ALTER ROLE "
                            + role
                            + " WITH REPLICATION; -- on Amazon RDS: GRANT rds_replication TO "
                            + role
                            + ";");
        }
    }

    private static PreflightCheck table(Connection connection, CapturedTable table)
            throws SQLException {
        var name = "table " + table;
        try (var statement = connection.prepareStatement(TABLE_QUERY)) {
            statement.setString(1, table.schema());
            statement.setString(2, table.table());
            try (var result = statement.executeQuery()) {
                if (!result.next()) {
                    return PreflightCheck.missing(
                            name,
                            "table "
                                    + table
                                    + " does not exist (names are exact and"
                                    + " case-sensitive, schema-qualified)",
                            "correct the name in the configuration, or create the table");
                }
                var kind = result.getString(1);
                if (!"r".equals(kind) && !"p".equals(kind)) {
                    return PreflightCheck.missing(
                            name,
                            table
                                    + " is "
                                    + describeKind(kind)
                                    + ", not a table: only tables"
                                    + " can be published",
                            "list its tables under sources: instead");
                }
                var replicaIdentity = result.getString(2);
                boolean hasPrimaryKey = result.getBoolean(3);
                if ("r".equals(kind)
                        && ("n".equals(replicaIdentity)
                                || ("d".equals(replicaIdentity) && !hasPrimaryKey))) {
                    return PreflightCheck.missing(
                            name,
                            table
                                    + " has no replica identity (no primary key): once published,"
                                    + " its UPDATEs and DELETEs would fail",
                            "ALTER TABLE "
                                    + Sql.quoteTable(connection, table)
                                    + " REPLICA IDENTITY FULL; -- or add a primary key");
                }
                return PreflightCheck.ok(name, "exists, with a replica identity");
            }
        }
    }

    private static String describeKind(String relkind) {
        return switch (relkind) {
            case "v" -> "a view";
            case "m" -> "a materialized view";
            case "f" -> "a foreign table";
            case "S" -> "a sequence";
            case "i", "I" -> "an index";
            default -> "a relation of kind '" + relkind + "'";
        };
    }
}
