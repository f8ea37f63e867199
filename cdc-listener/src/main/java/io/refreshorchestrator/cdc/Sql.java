package io.refreshorchestrator.cdc;

import io.refreshorchestrator.config.PostgresSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Collectors;
import org.postgresql.PGConnection;

/** JDBC helpers: connecting without leaking the password, quoting identifiers. */
final class Sql {

    /** PostgreSQL's SQLSTATE for a missing privilege. */
    static final String INSUFFICIENT_PRIVILEGE = "42501";

    private Sql() {}

    /**
     * @throws CdcException naming the URL and user (never the password) when connecting fails
     */
    static Connection connect(PostgresSettings postgres) {
        try {
            var connection =
                    DriverManager.getConnection(postgres.jdbcUrl(), postgres.jdbcProperties());
            connection.setAutoCommit(true);
            return connection;
        } catch (SQLException e) {
            throw new CdcException(
                    "Cannot connect to PostgreSQL at "
                            + postgres.jdbcUrl()
                            + " as user '"
                            + postgres.user()
                            + "': "
                            + e.getMessage(),
                    e);
        }
    }

    static String quoteIdentifier(Connection connection, String identifier) throws SQLException {
        return connection.unwrap(PGConnection.class).escapeIdentifier(identifier);
    }

    /** {@code value} as a SQL string literal, for fix statements shown to operators. */
    static String quoteLiteral(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    static String quoteTable(Connection connection, CapturedTable table) throws SQLException {
        return quoteIdentifier(connection, table.schema())
                + "."
                + quoteIdentifier(connection, table.table());
    }

    static String quoteTables(Connection connection, List<CapturedTable> tables)
            throws SQLException {
        var quoted = new java.util.ArrayList<String>();
        for (var table : tables) {
            quoted.add(quoteTable(connection, table));
        }
        return quoted.stream().collect(Collectors.joining(", "));
    }
}
