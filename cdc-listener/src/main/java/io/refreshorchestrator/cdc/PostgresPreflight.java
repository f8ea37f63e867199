package io.refreshorchestrator.cdc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks, before anything is created, that the database can serve logical replication for the
 * configured tables, and reports every problem with the statement that fixes it.
 */
final class PostgresPreflight {

    private static final String TABLE_QUERY =
            """
            SELECT c.relkind, c.relreplident,
                   EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisprimary)
              FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = ? AND c.relname = ?
            """;

    private PostgresPreflight() {}

    /**
     * @throws CdcException listing every problem found
     */
    static void check(Connection connection, CdcSettings settings) throws SQLException {
        var problems = new ArrayList<String>();
        checkWalLevel(connection, problems);
        checkReplicationRole(connection, problems);
        for (var table : settings.capturedTables()) {
            checkTable(connection, table, problems);
        }
        if (!problems.isEmpty()) {
            throw CdcException.permanentOf(
                    "PostgreSQL database '"
                            + settings.postgres().database()
                            + "' is not ready for change capture:",
                    problems);
        }
    }

    private static void checkWalLevel(Connection connection, List<String> problems)
            throws SQLException {
        try (var statement = connection.createStatement();
                var result = statement.executeQuery("SHOW wal_level")) {
            result.next();
            var level = result.getString(1);
            if (!"logical".equals(level)) {
                problems.add(
                        "wal_level is '"
                                + level
                                + "': logical decoding needs ALTER SYSTEM SET wal_level = logical"
                                + " and a restart of PostgreSQL");
            }
        }
    }

    private static void checkReplicationRole(Connection connection, List<String> problems)
            throws SQLException {
        try (var statement = connection.createStatement();
                var result =
                        statement.executeQuery(
                                "SELECT current_user, rolreplication OR rolsuper"
                                        + " FROM pg_roles WHERE rolname = current_user")) {
            if (result.next() && !result.getBoolean(2)) {
                var role = Sql.quoteIdentifier(connection, result.getString(1));
                problems.add(
                        "role "
                                + role
                                + " may not stream changes: it needs the REPLICATION attribute"
                                + " (ALTER ROLE "
                                + role
                                + " WITH REPLICATION; on Amazon RDS: GRANT rds_replication TO "
                                + role
                                + ")");
            }
        }
    }

    private static void checkTable(
            Connection connection, CapturedTable table, List<String> problems) throws SQLException {
        try (var statement = connection.prepareStatement(TABLE_QUERY)) {
            statement.setString(1, table.schema());
            statement.setString(2, table.table());
            try (var result = statement.executeQuery()) {
                if (!result.next()) {
                    problems.add(
                            "table "
                                    + table
                                    + " does not exist (names are exact and case-sensitive,"
                                    + " schema-qualified)");
                    return;
                }
                var kind = result.getString(1);
                if (!"r".equals(kind) && !"p".equals(kind)) {
                    problems.add(
                            table
                                    + " is "
                                    + describeKind(kind)
                                    + ", not a table: only tables can be published");
                    return;
                }
                var replicaIdentity = result.getString(2);
                boolean hasPrimaryKey = result.getBoolean(3);
                if ("r".equals(kind)
                        && ("n".equals(replicaIdentity)
                                || ("d".equals(replicaIdentity) && !hasPrimaryKey))) {
                    var quoted = Sql.quoteTable(connection, table);
                    problems.add(
                            table
                                    + " has no replica identity (no primary key): once published, its"
                                    + " UPDATEs and DELETEs would fail. Add a primary key or run ALTER"
                                    + " TABLE "
                                    + quoted
                                    + " REPLICA IDENTITY FULL");
                }
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
