package io.refreshorchestrator.executor;

import io.refreshorchestrator.discovery.RelationName;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.postgresql.PGConnection;

/**
 * Reads a materialized view's facts from the catalog, and quotes its name for SQL text. Names are
 * matched exactly, as bound parameters; only names the catalog returned are ever quoted into SQL.
 */
final class ViewCatalog {

    /** One row per index of the view, or one row of nulls past relispopulated when it has none. */
    private static final String VIEW_AND_INDEXES =
            """
            SELECT n.nspname, c.relname, c.relispopulated,
                   ic.relname AS index_name, i.indisunique, i.indisvalid, i.indimmediate,
                   am.amname = 'btree' AS is_btree,
                   i.indexprs IS NOT NULL AS has_expressions,
                   i.indpred IS NOT NULL AS has_predicate,
                   i.indnatts
              FROM pg_catalog.pg_class c
              JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
              LEFT JOIN pg_catalog.pg_index i ON i.indrelid = c.oid
              LEFT JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
              LEFT JOIN pg_catalog.pg_am am ON am.oid = ic.relam
             WHERE c.relkind = 'm' AND n.nspname = ? AND c.relname = ?
             ORDER BY ic.relname
            """;

    private ViewCatalog() {}

    /** The view's facts, or empty when no materialized view has exactly this schema and name. */
    static Optional<ViewFacts> lookup(Connection connection, RelationName view)
            throws SQLException {
        try (var statement = connection.prepareStatement(VIEW_AND_INDEXES)) {
            statement.setString(1, view.schema());
            statement.setString(2, view.name());
            try (ResultSet rows = statement.executeQuery()) {
                RelationName found = null;
                boolean populated = false;
                List<ViewFacts.Index> indexes = new ArrayList<>();
                while (rows.next()) {
                    found = new RelationName(rows.getString(1), rows.getString(2));
                    populated = rows.getBoolean(3);
                    String indexName = rows.getString("index_name");
                    if (indexName != null) {
                        indexes.add(
                                new ViewFacts.Index(
                                        indexName,
                                        rows.getBoolean("indisunique"),
                                        rows.getBoolean("indisvalid"),
                                        rows.getBoolean("indimmediate"),
                                        rows.getBoolean("is_btree"),
                                        rows.getBoolean("has_expressions"),
                                        rows.getBoolean("has_predicate"),
                                        rows.getInt("indnatts")));
                    }
                }
                return found == null
                        ? Optional.empty()
                        : Optional.of(new ViewFacts(found, populated, indexes));
            }
        }
    }

    /** {@code "schema"."name"}, quoted by the driver. */
    static String quoted(Connection connection, RelationName catalogName) throws SQLException {
        PGConnection pg = connection.unwrap(PGConnection.class);
        return pg.escapeIdentifier(catalogName.schema())
                + "."
                + pg.escapeIdentifier(catalogName.name());
    }
}
