package io.refreshorchestrator.executor;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits until the transactions a command carries are visible to new snapshots: the source change
 * that triggered it and, for a cascade, the upstream refreshes. Logical decoding can announce a
 * commit a moment before other sessions see it; a refresh started in that moment would miss the
 * very change it was meant to pick up. An upstream refresh has committed before its result was
 * published, but a cascaded refresh that could not see it would read the old upstream view, so it
 * is checked the same way.
 */
final class VisibilityGate {

    private static final Logger LOG = LoggerFactory.getLogger(VisibilityGate.class);
    private static final long CHECK_INTERVAL_MILLIS = 20;

    private final Duration maxWait;

    VisibilityGate(Duration maxWait) {
        this.maxWait = maxWait;
    }

    /**
     * Returns once every one of {@code txIds} is visible, or after the bound (one bound for all of
     * them); then the returned text says so, to be put into the result's detail. Null when they
     * were all visible.
     */
    String await(Connection connection, String job, List<Long> txIds)
            throws SQLException, InterruptedException {
        // Autocommit: every statement below takes a fresh snapshot.
        connection.setAutoCommit(true);
        long deadline = System.nanoTime() + maxWait.toNanos();
        for (long txId : txIds) {
            OptionalLong xid8 = TxIds.toXid8(txId, snapshotXmax(connection));
            if (xid8.isEmpty()) {
                LOG.debug("job {}: txId {} names no transaction of this cluster", job, txId);
                continue;
            }
            while (!visible(connection, xid8.getAsLong())) {
                if (System.nanoTime() - deadline >= 0) {
                    LOG.warn(
                            "job {}: transaction {} still not visible after {} ms; refreshing"
                                    + " anyway",
                            job,
                            txId,
                            maxWait.toMillis());
                    return "transaction "
                            + txId
                            + " not visible after "
                            + maxWait.toMillis()
                            + " ms: refreshed without waiting longer";
                }
                Thread.sleep(CHECK_INTERVAL_MILLIS);
            }
        }
        return null;
    }

    private static long snapshotXmax(Connection connection) throws SQLException {
        try (var statement = connection.createStatement();
                var row =
                        statement.executeQuery(
                                "SELECT pg_snapshot_xmax(pg_current_snapshot())::text")) {
            row.next();
            return Long.parseLong(row.getString(1));
        }
    }

    private static boolean visible(Connection connection, long xid8) throws SQLException {
        try (var statement =
                connection.prepareStatement(
                        "SELECT pg_visible_in_snapshot(?::text::xid8, pg_current_snapshot())")) {
            statement.setString(1, Long.toString(xid8));
            try (var row = statement.executeQuery()) {
                row.next();
                return row.getBoolean(1);
            }
        }
    }
}
