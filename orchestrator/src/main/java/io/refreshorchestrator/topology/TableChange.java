package io.refreshorchestrator.topology;

import io.refreshorchestrator.discovery.RelationName;
import java.time.Instant;

/**
 * One committed change to a source table, or the refresh of an upstream view (a cascade), reduced
 * to what the debouncer folds: the value of the internal {@code changes-by-job} topic, keyed by job
 * name.
 *
 * @param table the changed table, as named in the {@code source} block
 * @param committedAt commit time from the Debezium {@code source} block
 * @param txId PostgreSQL transaction id, null when the event has none
 * @param lsn WAL position of the change, null when the event has none
 * @param upstreamTxId for an upstream view's refresh: the transaction id ({@code xid8}) it
 *     committed in, which the downstream run must see; null for a source-table change, and when the
 *     upstream result did not report it
 */
record TableChange(
        RelationName table, Instant committedAt, Long txId, Long lsn, Long upstreamTxId) {

    /** A change to a source table. */
    TableChange(RelationName table, Instant committedAt, Long txId, Long lsn) {
        this(table, committedAt, txId, lsn, null);
    }
}
