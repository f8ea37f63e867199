package io.refreshorchestrator.cdc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the publication listing exactly the captured tables: created when missing, its table list
 * replaced when it changed. Never {@code FOR ALL TABLES}, which would decode (and retain WAL for)
 * every table of the database.
 */
final class PublicationManager {

    private static final Logger LOG = LoggerFactory.getLogger(PublicationManager.class);

    private static final String PUBLICATION_QUERY =
            """
            SELECT puballtables, pg_get_userbyid(pubowner)
              FROM pg_publication WHERE pubname = ?
            """;

    // Direct members only: pg_publication_tables would list partitions instead of their root.
    private static final String MEMBERS_QUERY =
            """
            SELECT n.nspname, c.relname
              FROM pg_publication p
              JOIN pg_publication_rel pr ON pr.prpubid = p.oid
              JOIN pg_class c ON c.oid = pr.prrelid
              JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE p.pubname = ?
            """;

    // Publishing via the root only matters once a partitioned table is published.
    private static final String OPTIONS_QUERY =
            """
            SELECT pubinsert AND pubupdate AND pubdelete AND pubtruncate
                   AND (pubviaroot OR NOT EXISTS (
                        SELECT 1 FROM pg_publication_rel pr JOIN pg_class c ON c.oid = pr.prrelid
                         WHERE pr.prpubid = p.oid AND c.relkind = 'p'))
              FROM pg_publication p WHERE pubname = ?
            """;

    private static final String SCHEMA_MEMBERS_QUERY =
            """
            SELECT count(*) FROM pg_publication p
              JOIN pg_publication_namespace pn ON pn.pnpubid = p.oid
             WHERE p.pubname = ?
            """;

    /**
     * Every operation (a truncate changes a view too), and changes of a partition under the name of
     * its partitioned table, the one that is configured and filtered on.
     */
    static final String OPTIONS =
            "publish = 'insert, update, delete, truncate', publish_via_partition_root = true";

    private PublicationManager() {}

    /**
     * What {@link #ensure} did.
     *
     * @param added tables published now that were not before (all of them when created)
     */
    record Outcome(boolean changed, Set<CapturedTable> added) {}

    /**
     * Makes publication {@code name} publish exactly {@code tables} (inserts, updates, deletes and
     * truncates, partitions via their root). The tables must exist (see {@link PostgresPreflight}).
     *
     * @throws CdcException naming the privilege needed when PostgreSQL refuses
     */
    static Outcome ensure(Connection connection, String name, List<CapturedTable> tables)
            throws SQLException {
        var publication = Sql.quoteIdentifier(connection, name);
        var tableList = Sql.quoteTables(connection, tables);
        try (var statement = connection.prepareStatement(PUBLICATION_QUERY)) {
            statement.setString(1, name);
            try (var result = statement.executeQuery()) {
                if (!result.next()) {
                    execute(
                            connection,
                            "CREATE PUBLICATION "
                                    + publication
                                    + " FOR TABLE "
                                    + tableList
                                    + " WITH ("
                                    + OPTIONS
                                    + ")",
                            name,
                            null);
                    LOG.info("Created publication {} for {}", name, tables);
                    return new Outcome(true, Set.copyOf(tables));
                }
                if (result.getBoolean(1)) {
                    throw new CdcException(
                            "Publication "
                                    + publication
                                    + " is FOR ALL TABLES: it would decode every table of the"
                                    + " database. Drop it (DROP PUBLICATION "
                                    + publication
                                    + ") or configure another cdc.publication");
                }
                var owner = result.getString(2);
                boolean changed = false;
                var added = new HashSet<>(tables);
                var members = members(connection, name);
                added.removeAll(members);
                if (!members.equals(Set.copyOf(tables)) || hasSchemaMembers(connection, name)) {
                    execute(
                            connection,
                            "ALTER PUBLICATION " + publication + " SET TABLE " + tableList,
                            name,
                            owner);
                    LOG.info("Publication {} now publishes {} (added: {})", name, tables, added);
                    changed = true;
                }
                if (!hasOptions(connection, name)) {
                    changed |= setOptions(connection, publication, name, owner);
                }
                return new Outcome(changed, Set.copyOf(added));
            }
        }
    }

    /**
     * Best effort: without these options truncates (or changes of partitions) are not captured,
     * which is worth a warning but not a refusal to start when the publication's owner created it.
     */
    private static boolean setOptions(
            Connection connection, String publication, String name, String owner)
            throws SQLException {
        var sql = "ALTER PUBLICATION " + publication + " SET (" + OPTIONS + ")";
        try {
            execute(connection, sql, name, owner);
            LOG.info(
                    "Publication {} now publishes every operation, partitions via their root",
                    name);
            return true;
        } catch (CdcException e) {
            LOG.warn(
                    "Publication {} does not publish every operation via partition roots, and its"
                            + " owner ({}) must change that: {}",
                    name,
                    owner,
                    sql);
            return false;
        }
    }

    /** The tables publication {@code name} lists directly. */
    static Set<CapturedTable> members(Connection connection, String name) throws SQLException {
        var members = new HashSet<CapturedTable>();
        try (var statement = connection.prepareStatement(MEMBERS_QUERY)) {
            statement.setString(1, name);
            try (var result = statement.executeQuery()) {
                while (result.next()) {
                    members.add(new CapturedTable(result.getString(1), result.getString(2)));
                }
            }
        }
        return members;
    }

    private static boolean hasOptions(Connection connection, String name) throws SQLException {
        try (var statement = connection.prepareStatement(OPTIONS_QUERY)) {
            statement.setString(1, name);
            try (var result = statement.executeQuery()) {
                return result.next() && result.getBoolean(1);
            }
        }
    }

    /** Whether publication {@code name} publishes whole schemas ({@code FOR TABLES IN SCHEMA}). */
    static boolean hasSchemaMembers(Connection connection, String name) throws SQLException {
        try (var statement = connection.prepareStatement(SCHEMA_MEMBERS_QUERY)) {
            statement.setString(1, name);
            try (var result = statement.executeQuery()) {
                return result.next() && result.getLong(1) > 0;
            }
        }
    }

    private static void execute(Connection connection, String sql, String name, String owner)
            throws SQLException {
        try (var statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            if (Sql.INSUFFICIENT_PRIVILEGE.equals(e.getSQLState())) {
                throw new CdcException(insufficientPrivilege(sql, name, owner, e), e);
            }
            throw e;
        }
    }

    private static String insufficientPrivilege(
            String sql, String name, String owner, SQLException e) {
        var text =
                new StringBuilder("PostgreSQL refused to manage publication '")
                        .append(name)
                        .append("': ")
                        .append(e.getMessage())
                        .append(". ");
        if (owner == null) {
            text.append("Creating a publication needs the CREATE privilege on the database")
                    .append(" (GRANT CREATE ON DATABASE ... TO <listener role>) and ownership")
                    .append(
                            " of every published table (ALTER TABLE ... OWNER TO <listener role>).");
        } else {
            text.append("Altering it needs ownership of the publication (owner: ")
                    .append(owner)
                    .append("; ALTER PUBLICATION ")
                    .append(name)
                    .append(" OWNER TO <listener role>)")
                    .append(
                            " and of every published table (ALTER TABLE ... OWNER TO <listener role>).");
        }
        text.append(" Alternatively, a table owner or superuser runs: ").append(sql);
        return text.toString();
    }
}
