package io.refreshorchestrator.executor;

import io.refreshorchestrator.cdc.PreflightCheck;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The executor's state schema (home of {@code last_success}, see {@link RunLedger}): whether the
 * role can use or create it, what it holds, and dropping it on uninstall.
 */
public final class StateSchema {

    private static final String SCHEMA =
            """
            SELECT n.oid, has_schema_privilege(n.oid, 'USAGE'), has_schema_privilege(n.oid, 'CREATE'),
                   (SELECT c.oid FROM pg_class c
                     WHERE c.relnamespace = n.oid AND c.relname = 'last_success')
              FROM pg_namespace n WHERE n.nspname = ?
            """;

    private static final String TABLE_RIGHTS =
            """
            SELECT has_table_privilege(?::oid, 'SELECT'), has_table_privilege(?::oid, 'INSERT'),
                   has_table_privilege(?::oid, 'UPDATE')
            """;

    private static final String RELATIONS =
            """
            SELECT CASE c.relkind WHEN 'r' THEN 'table' WHEN 'p' THEN 'table'
                                  WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view'
                                  WHEN 'S' THEN 'sequence' ELSE 'foreign table' END,
                   n.nspname, c.relname
              FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = ? AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
             ORDER BY c.relname
            """;

    /** Views elsewhere reading a relation of the schema: CASCADE drops them too. */
    private static final String DEPENDENTS =
            """
            SELECT DISTINCT 'dependent view', dn.nspname, dc.relname
              FROM pg_depend d
              JOIN pg_rewrite r ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid
              JOIN pg_class dc ON dc.oid = r.ev_class
              JOIN pg_namespace dn ON dn.oid = dc.relnamespace
              JOIN pg_class rc ON d.refclassid = 'pg_class'::regclass AND rc.oid = d.refobjid
              JOIN pg_namespace rn ON rn.oid = rc.relnamespace
             WHERE rn.nspname = ? AND dn.nspname <> rn.nspname
             ORDER BY 2, 3
            """;

    private static final String FUNCTIONS =
            """
            SELECT 'function', n.nspname, p.oid::regprocedure::text
              FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
             WHERE n.nspname = ? ORDER BY 3
            """;

    private StateSchema() {}

    /** Whether role {@code role} (quoted) can use {@code schema}'s table or create it. */
    static PreflightCheck check(Connection connection, String schema, String role)
            throws SQLException {
        var name = "state schema " + schema;
        var quoted = ExecutorPreflight.quote(connection, schema);
        try (var statement = connection.prepareStatement(SCHEMA)) {
            statement.setString(1, schema);
            try (var result = statement.executeQuery()) {
                if (!result.next()) {
                    return missingSchema(connection, name, quoted, role);
                }
                boolean usage = result.getBoolean(2);
                boolean create = result.getBoolean(3);
                long table = result.getLong(4);
                if (result.wasNull()) {
                    return usage && create
                            ? PreflightCheck.ok(
                                    name, "exists; " + quoted + ".last_success will be created")
                            : PreflightCheck.missing(
                                    name,
                                    "exists without last_success, and role "
                                            + role
                                            + " may not create it there",
                                    "GRANT USAGE, CREATE ON SCHEMA "
                                            + quoted
                                            + " TO "
                                            + role
                                            + ";");
                }
                return existingTable(connection, name, quoted, role, usage, table);
            }
        }
    }

    private static PreflightCheck missingSchema(
            Connection connection, String name, String quoted, String role) throws SQLException {
        try (var statement = connection.createStatement();
                var result =
                        statement.executeQuery(
                                "SELECT current_database(),"
                                        + " has_database_privilege(current_database(), 'CREATE')")) {
            result.next();
            if (result.getBoolean(2)) {
                return PreflightCheck.ok(name, "does not exist; role " + role + " may create it");
            }
            var database = ExecutorPreflight.quote(connection, result.getString(1));
            return PreflightCheck.missing(
                    name,
                    "does not exist, and role " + role + " may not create schemas in " + database,
                    "CREATE SCHEMA "
                            + quoted
                            + " AUTHORIZATION "
                            + role
                            + "; -- as a superuser"
                            + "\nGRANT CREATE ON DATABASE "
                            + database
                            + " TO "
                            + role
                            + "; -- or this instead");
        }
    }

    private static PreflightCheck existingTable(
            Connection connection,
            String name,
            String quoted,
            String role,
            boolean usage,
            long table)
            throws SQLException {
        boolean rights;
        try (var statement = connection.prepareStatement(TABLE_RIGHTS)) {
            for (int i = 1; i <= 3; i++) {
                statement.setLong(i, table);
            }
            try (var result = statement.executeQuery()) {
                result.next();
                rights = result.getBoolean(1) && result.getBoolean(2) && result.getBoolean(3);
            }
        }
        if (usage && rights) {
            return PreflightCheck.ok(name, quoted + ".last_success exists and is usable");
        }
        var fix = new ArrayList<String>();
        if (!usage) {
            fix.add("GRANT USAGE ON SCHEMA " + quoted + " TO " + role + ";");
        }
        if (!rights) {
            fix.add("GRANT SELECT, INSERT, UPDATE ON " + quoted + ".last_success TO " + role + ";");
        }
        return PreflightCheck.missing(
                name,
                quoted + ".last_success exists but role " + role + " may not use it",
                String.join("\n", fix));
    }

    /**
     * What {@code DROP SCHEMA schema CASCADE} would drop, one line per object ({@code kind
     * schema.name}), or empty when the schema does not exist.
     */
    public static Optional<List<String>> contents(Connection connection, String schema)
            throws SQLException {
        try (var statement =
                connection.prepareStatement("SELECT 1 FROM pg_namespace WHERE nspname = ?")) {
            statement.setString(1, schema);
            try (var result = statement.executeQuery()) {
                if (!result.next()) {
                    return Optional.empty();
                }
            }
        }
        var lines = new ArrayList<String>();
        for (var query : List.of(RELATIONS, FUNCTIONS, DEPENDENTS)) {
            try (var statement = connection.prepareStatement(query)) {
                statement.setString(1, schema);
                try (var result = statement.executeQuery()) {
                    while (result.next()) {
                        lines.add(
                                result.getString(1)
                                        + " "
                                        + result.getString(2)
                                        + "."
                                        + result.getString(3));
                    }
                }
            }
        }
        return Optional.of(lines);
    }

    /** {@code DROP SCHEMA IF EXISTS schema CASCADE}. */
    public static void drop(Connection connection, String schema) throws SQLException {
        try (var statement = connection.createStatement()) {
            statement.execute(
                    "DROP SCHEMA IF EXISTS "
                            + ExecutorPreflight.quote(connection, schema)
                            + " CASCADE");
        }
    }
}
