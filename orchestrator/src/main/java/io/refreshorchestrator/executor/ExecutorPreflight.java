package io.refreshorchestrator.executor;

import io.refreshorchestrator.cdc.PreflightCheck;
import io.refreshorchestrator.discovery.JobAction;
import io.refreshorchestrator.discovery.JobGraph;
import io.refreshorchestrator.discovery.JobSpec;
import io.refreshorchestrator.discovery.RelationName;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.postgresql.PGConnection;

/**
 * What the executor's role needs, checked without changing anything: the right to refresh each
 * materialized view (ownership; on PostgreSQL 17+ the MAINTAIN privilege), and the state schema
 * holding {@code last_success} (see {@link StateSchema}).
 */
public final class ExecutorPreflight {

    private static final String VIEW =
            """
            SELECT pg_get_userbyid(c.relowner), pg_has_role(c.relowner, 'MEMBER'),
                   has_schema_privilege(n.oid, 'USAGE'), %s
              FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = ? AND c.relname = ? AND c.relkind = 'm'
            """;

    private ExecutorPreflight() {}

    /** One check per refreshed view, then one for the state schema. */
    public static List<PreflightCheck> inspect(
            Connection connection, JobGraph jobs, ExecutorSettings settings) throws SQLException {
        var role = quote(connection, currentUser(connection));
        boolean maintainPrivilege = connection.getMetaData().getDatabaseMajorVersion() >= 17;
        var query =
                VIEW.formatted(
                        maintainPrivilege ? "has_table_privilege(c.oid, 'MAINTAIN')" : "false");
        var checks = new ArrayList<PreflightCheck>();
        for (JobSpec job : jobs.topologicalOrder()) {
            if (job.action() instanceof JobAction.RefreshView) {
                checks.add(view(connection, query, job.view(), role, maintainPrivilege));
            }
        }
        checks.add(StateSchema.check(connection, settings.stateSchema(), role));
        return checks;
    }

    private static PreflightCheck view(
            Connection connection,
            String query,
            RelationName view,
            String role,
            boolean maintainPrivilege)
            throws SQLException {
        var name = "refresh " + view;
        var quoted = quote(connection, view.schema()) + "." + quote(connection, view.name());
        try (var statement = connection.prepareStatement(query)) {
            statement.setString(1, view.schema());
            statement.setString(2, view.name());
            try (var result = statement.executeQuery()) {
                if (!result.next()) {
                    return PreflightCheck.missing(
                            name,
                            "no materialized view " + view,
                            "correct the job's view name in the configuration");
                }
                var owner = quote(connection, result.getString(1));
                boolean owns = result.getBoolean(2);
                boolean usage = result.getBoolean(3);
                boolean maintain = result.getBoolean(4);
                var fix = new ArrayList<String>();
                if (!usage) {
                    fix.add(
                            "GRANT USAGE ON SCHEMA "
                                    + quote(connection, view.schema())
                                    + " TO "
                                    + role
                                    + ";");
                }
                if (!owns && !maintain) {
                    fix.add(
                            "ALTER MATERIALIZED VIEW "
                                    + quoted
                                    + " OWNER TO "
                                    + role
                                    + "; -- as "
                                    + owner
                                    + " or a superuser"
                                    + (maintainPrivilege
                                            ? "; or: GRANT MAINTAIN ON "
                                                    + quoted
                                                    + " TO "
                                                    + role
                                                    + ";"
                                            : "; or: GRANT " + owner + " TO " + role + ";"));
                }
                if (fix.isEmpty()) {
                    return PreflightCheck.ok(
                            name,
                            owns
                                    ? "role " + role + " may refresh it (owner " + owner + ")"
                                    : "role " + role + " has MAINTAIN on it");
                }
                var problems = new ArrayList<String>();
                if (!owns && !maintain) {
                    problems.add(
                            "REFRESH needs ownership"
                                    + (maintainPrivilege ? " or MAINTAIN" : "")
                                    + ", it is owned by "
                                    + owner);
                }
                if (!usage) {
                    problems.add("no USAGE on schema " + quote(connection, view.schema()));
                }
                return PreflightCheck.missing(
                        name,
                        "role " + role + " may not refresh it: " + String.join("; ", problems),
                        String.join("\n", fix));
            }
        }
    }

    private static String currentUser(Connection connection) throws SQLException {
        try (var statement = connection.createStatement();
                var result = statement.executeQuery("SELECT current_user")) {
            result.next();
            return result.getString(1);
        }
    }

    static String quote(Connection connection, String identifier) throws SQLException {
        return connection.unwrap(PGConnection.class).escapeIdentifier(identifier);
    }
}
