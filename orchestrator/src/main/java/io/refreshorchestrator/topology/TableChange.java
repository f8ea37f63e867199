package io.refreshorchestrator.topology;

import io.refreshorchestrator.discovery.RelationName;
import java.time.Instant;

/**
 * One committed change to a source table, reduced to what the debouncer folds: the value of the
 * internal {@code changes-by-job} topic, keyed by job name.
 *
 * @param table the changed table, as named in the {@code source} block
 * @param committedAt commit time from the Debezium {@code source} block
 * @param txId PostgreSQL transaction id, null when the event has none
 * @param lsn WAL position of the change, null when the event has none
 */
record TableChange(RelationName table, Instant committedAt, Long txId, Long lsn) {}
