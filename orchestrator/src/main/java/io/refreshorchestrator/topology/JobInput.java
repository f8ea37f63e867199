package io.refreshorchestrator.topology;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.refreshorchestrator.discovery.RelationName;
import io.refreshorchestrator.events.JobControl;
import java.time.Instant;

/**
 * What the debouncer receives about one job, the value of the internal {@code changes-by-job} topic
 * (key = job name): a change to one of its tables, a pause/resume request, or how long one of its
 * runs took. One topic for all three keeps everything about a job in one task, in order.
 */
@JsonTypeInfo(
        use = JsonTypeInfo.Id.NAME,
        property = "type",
        // Records written before this type existed were bare TableChanges: still readable.
        defaultImpl = JobInput.Change.class)
@JsonSubTypes({
    @JsonSubTypes.Type(value = JobInput.Change.class, name = "change"),
    @JsonSubTypes.Type(value = JobInput.Control.class, name = "control"),
    @JsonSubTypes.Type(value = JobInput.Run.class, name = "run")
})
sealed interface JobInput {

    /**
     * Committed changes to one of the job's source tables (one row event, or a run of consecutive
     * row events of one transaction folded before the repartition, {@link TransactionFolds}), or a
     * refresh of one of its upstream views (a cascade, never folded: it is not a table transaction
     * and comes from the cascade gate, not the change router).
     *
     * @param table the changed table, or the refreshed upstream view
     * @param committedAt commit time of the transaction
     * @param txId PostgreSQL transaction id, null when the events have none
     * @param lsn WAL position of the first change folded in, null when the events have none
     * @param lastLsn WAL position of the last change folded in (absent in records written before
     *     folding: the same as {@code lsn})
     * @param count the row events this stands for (absent before folding: 1)
     * @param continued whether this carries only the rest of a transaction whose first event was
     *     sent earlier (absent before folding: false)
     * @param upstreamTxId for an upstream view's refresh: the transaction id it committed in, see
     *     {@link TableChange#upstreamTxId()}; null for a source-table change
     */
    record Change(
            RelationName table,
            Instant committedAt,
            Long txId,
            Long lsn,
            Long lastLsn,
            Long count,
            Boolean continued,
            Long upstreamTxId)
            implements JobInput {

        public Change {
            lastLsn = lastLsn == null ? lsn : lastLsn;
            count = count == null || count < 1 ? 1L : count;
            continued = continued != null && continued;
        }

        /** One change, the first (or only) of its transaction seen. */
        static Change of(TableChange change) {
            return new Change(
                    change.table(),
                    change.committedAt(),
                    change.txId(),
                    change.lsn(),
                    change.lsn(),
                    1L,
                    false,
                    change.upstreamTxId());
        }

        /** The first change folded in. */
        TableChange change() {
            return new TableChange(table, committedAt, txId, lsn, upstreamTxId);
        }
    }

    /** Pause or resume the job. */
    record Control(JobControl.Action action, Instant requestedAt) implements JobInput {}

    /** A finished run of the job and its duration: what pacing measures. */
    record Run(long durationMs, Instant finishedAt) implements JobInput {}
}
