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
     * A committed change to one of the job's source tables, or a refresh of one of its upstream
     * views: a {@link TableChange}'s fields.
     */
    record Change(RelationName table, Instant committedAt, Long txId, Long lsn, Long upstreamTxId)
            implements JobInput {

        static Change of(TableChange change) {
            return new Change(
                    change.table(),
                    change.committedAt(),
                    change.txId(),
                    change.lsn(),
                    change.upstreamTxId());
        }

        TableChange change() {
            return new TableChange(table, committedAt, txId, lsn, upstreamTxId);
        }
    }

    /** Pause or resume the job. */
    record Control(JobControl.Action action, Instant requestedAt) implements JobInput {}

    /** A finished run of the job and its duration: what pacing measures. */
    record Run(long durationMs, Instant finishedAt) implements JobInput {}
}
