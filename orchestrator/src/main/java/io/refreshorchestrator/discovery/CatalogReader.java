package io.refreshorchestrator.discovery;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Reads a {@link CatalogSnapshot} with three queries: the relations, the references of every
 * rewrite rule (the query of each view and materialized view), and the partition tree. Nothing is
 * interpolated into SQL text.
 */
public final class CatalogReader {

    private static final String RELATIONS =
            """
            SELECT c.oid, n.nspname, c.relname, c.relkind
              FROM pg_catalog.pg_class c
              JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
             WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
               AND n.nspname <> 'information_schema'
               AND n.nspname NOT LIKE 'pg\\_%'
            """;

    /**
     * A view's query is its {@code _RETURN} rule; {@code pg_depend} records every relation and
     * function the rule references (built-in, pinned objects excepted), column references once per
     * column, hence DISTINCT.
     */
    private static final String RULE_REFERENCES =
            """
            SELECT DISTINCT r.ev_class,
                   d.refclassid = 'pg_catalog.pg_class'::regclass AS is_relation,
                   d.refobjid,
                   CASE WHEN d.refclassid = 'pg_catalog.pg_proc'::regclass
                        THEN d.refobjid::regprocedure::text END AS function
              FROM pg_catalog.pg_rewrite r
              JOIN pg_catalog.pg_depend d
                ON d.classid = 'pg_catalog.pg_rewrite'::regclass AND d.objid = r.oid
             WHERE d.refclassid IN ('pg_catalog.pg_class'::regclass,
                                    'pg_catalog.pg_proc'::regclass)
               AND NOT (d.refclassid = 'pg_catalog.pg_class'::regclass
                        AND d.refobjid = r.ev_class)
            """;

    private static final String PARTITIONS =
            """
            SELECT i.inhrelid, i.inhparent
              FROM pg_catalog.pg_inherits i
              JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid
             WHERE c.relispartition
            """;

    private CatalogReader() {}

    /** The catalog as seen by one transaction of {@code connection}, left as it was found. */
    public static CatalogSnapshot read(Connection connection) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            var relations = relations(connection);
            var references = new HashMap<Long, Set<Long>>();
            var functions = new HashMap<Long, Set<String>>();
            try (var statement = connection.createStatement();
                    var rows = statement.executeQuery(RULE_REFERENCES)) {
                while (rows.next()) {
                    long dependent = rows.getLong(1);
                    if (rows.getBoolean(2)) {
                        references
                                .computeIfAbsent(dependent, k -> new HashSet<>())
                                .add(rows.getLong(3));
                    } else {
                        functions
                                .computeIfAbsent(dependent, k -> new HashSet<>())
                                .add(rows.getString(4));
                    }
                }
            }
            return new CatalogSnapshot(relations, references, functions, partitions(connection));
        } finally {
            connection.rollback();
            connection.setAutoCommit(autoCommit);
        }
    }

    /** Reads the catalog and builds the job graph of {@code declarations} from it. */
    public static DiscoveredGraph discover(Connection connection, JobDeclarations declarations)
            throws SQLException {
        return JobGraphBuilder.build(read(connection), declarations);
    }

    private static Map<Long, CatalogSnapshot.Relation> relations(Connection connection)
            throws SQLException {
        var relations = new HashMap<Long, CatalogSnapshot.Relation>();
        try (var statement = connection.createStatement();
                var rows = statement.executeQuery(RELATIONS)) {
            while (rows.next()) {
                long oid = rows.getLong(1);
                var name = new RelationName(rows.getString(2), rows.getString(3));
                CatalogSnapshot.Kind.of(rows.getString(4))
                        .ifPresent(
                                kind ->
                                        relations.put(
                                                oid,
                                                new CatalogSnapshot.Relation(oid, name, kind)));
            }
        }
        return relations;
    }

    private static Map<Long, Long> partitions(Connection connection) throws SQLException {
        var parents = new HashMap<Long, Long>();
        try (var statement = connection.createStatement();
                var rows = statement.executeQuery(PARTITIONS)) {
            while (rows.next()) {
                parents.put(rows.getLong(1), rows.getLong(2));
            }
        }
        return parents;
    }
}
