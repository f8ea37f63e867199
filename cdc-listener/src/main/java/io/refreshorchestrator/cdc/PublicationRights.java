package io.refreshorchestrator.cdc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Whether the role may make the publication list exactly the captured tables, as {@link
 * PublicationManager} will: nothing is needed when it already does; creating it needs CREATE on the
 * database, altering it ownership of the publication; adding a table needs ownership of the table.
 */
final class PublicationRights {

    private static final String CHECK = "publication";

    private static final String PUBLICATION =
            """
            SELECT puballtables, pg_get_userbyid(pubowner), pg_has_role(pubowner, 'MEMBER')
              FROM pg_publication WHERE pubname = ?
            """;

    private static final String TABLE_OWNER =
            """
            SELECT pg_get_userbyid(c.relowner), pg_has_role(c.relowner, 'MEMBER')
              FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = ? AND c.relname = ?
            """;

    private static final String CONTEXT =
            "SELECT current_user, current_database(),"
                    + " has_database_privilege(current_database(), 'CREATE')";

    private PublicationRights() {}

    /**
     * @param tables the captured tables that exist
     */
    static PreflightCheck inspect(Connection connection, String name, List<CapturedTable> tables)
            throws SQLException {
        var publication = Sql.quoteIdentifier(connection, name);
        try (var statement = connection.prepareStatement(PUBLICATION)) {
            statement.setString(1, name);
            try (var result = statement.executeQuery()) {
                if (!result.next()) {
                    return toCreate(connection, publication, tables);
                }
                if (result.getBoolean(1)) {
                    return PreflightCheck.missing(
                            CHECK,
                            publication
                                    + " is FOR ALL TABLES: it would decode every table of the"
                                    + " database",
                            "DROP PUBLICATION "
                                    + publication
                                    + "; -- or configure another"
                                    + " cdc.publication");
                }
                return toAlter(
                        connection,
                        name,
                        publication,
                        tables,
                        result.getString(2),
                        result.getBoolean(3));
            }
        }
    }

    private static PreflightCheck toCreate(
            Connection connection, String publication, List<CapturedTable> tables)
            throws SQLException {
        String role;
        String database;
        boolean mayCreate;
        try (var statement = connection.createStatement();
                var result = statement.executeQuery(CONTEXT)) {
            result.next();
            role = Sql.quoteIdentifier(connection, result.getString(1));
            database = Sql.quoteIdentifier(connection, result.getString(2));
            mayCreate = result.getBoolean(3);
        }
        var notOwned = notOwned(connection, tables);
        if (mayCreate && notOwned.isEmpty()) {
            return PreflightCheck.ok(
                    CHECK, publication + " does not exist; role " + role + " may create it");
        }
        var problems = new ArrayList<String>();
        var fix = new ArrayList<String>();
        if (!mayCreate) {
            problems.add("no CREATE privilege on database " + database);
            fix.add("GRANT CREATE ON DATABASE " + database + " TO " + role + ";");
        }
        addOwnership(connection, notOwned, role, problems, fix);
        fix.add(
                "CREATE PUBLICATION "
                        + publication
                        + " FOR TABLE "
                        + Sql.quoteTables(connection, tables)
                        + " WITH ("
                        + PublicationManager.OPTIONS
                        + "); -- or this instead, run by the tables' owner");
        return PreflightCheck.missing(
                CHECK,
                publication
                        + " does not exist and role "
                        + role
                        + " may not create it: "
                        + String.join("; ", problems),
                String.join("\n", fix));
    }

    private static PreflightCheck toAlter(
            Connection connection,
            String name,
            String publication,
            List<CapturedTable> tables,
            String owner,
            boolean owns)
            throws SQLException {
        var members = PublicationManager.members(connection, name);
        if (members.equals(Set.copyOf(tables))
                && !PublicationManager.hasSchemaMembers(connection, name)) {
            return PreflightCheck.ok(CHECK, publication + " lists exactly the captured tables");
        }
        var added = tables.stream().filter(table -> !members.contains(table)).toList();
        var notOwned = notOwned(connection, added);
        if (owns && notOwned.isEmpty()) {
            return PreflightCheck.ok(
                    CHECK, publication + " will be altered to list exactly the captured tables");
        }
        String role;
        try (var statement = connection.createStatement();
                var result = statement.executeQuery("SELECT current_user")) {
            result.next();
            role = Sql.quoteIdentifier(connection, result.getString(1));
        }
        var problems = new ArrayList<String>();
        var fix = new ArrayList<String>();
        if (!owns) {
            var quotedOwner = Sql.quoteIdentifier(connection, owner);
            problems.add("it is owned by " + quotedOwner);
            fix.add(
                    "ALTER PUBLICATION "
                            + publication
                            + " OWNER TO "
                            + role
                            + "; -- as "
                            + quotedOwner
                            + " or a superuser");
        }
        addOwnership(connection, notOwned, role, problems, fix);
        fix.add(
                "ALTER PUBLICATION "
                        + publication
                        + " SET TABLE "
                        + Sql.quoteTables(connection, tables)
                        + "; -- or this instead, run by its owner");
        return PreflightCheck.missing(
                CHECK,
                publication
                        + " must change to list exactly the captured tables and role "
                        + role
                        + " may not change it: "
                        + String.join("; ", problems),
                String.join("\n", fix));
    }

    private static void addOwnership(
            Connection connection,
            Map<CapturedTable, String> notOwned,
            String role,
            List<String> problems,
            List<String> fix)
            throws SQLException {
        for (var entry : notOwned.entrySet()) {
            var owner = Sql.quoteIdentifier(connection, entry.getValue());
            problems.add("table " + entry.getKey() + " is owned by " + owner);
            fix.add(
                    "ALTER TABLE "
                            + Sql.quoteTable(connection, entry.getKey())
                            + " OWNER TO "
                            + role
                            + "; -- as "
                            + owner
                            + " or a superuser");
        }
    }

    /** The tables the role does not own (directly or through a role), with their owner. */
    private static Map<CapturedTable, String> notOwned(
            Connection connection, List<CapturedTable> tables) throws SQLException {
        var notOwned = new LinkedHashMap<CapturedTable, String>();
        try (var statement = connection.prepareStatement(TABLE_OWNER)) {
            for (var table : tables) {
                statement.setString(1, table.schema());
                statement.setString(2, table.table());
                try (var result = statement.executeQuery()) {
                    if (result.next() && !result.getBoolean(2)) {
                        notOwned.put(table, result.getString(1));
                    }
                }
            }
        }
        return notOwned;
    }
}
