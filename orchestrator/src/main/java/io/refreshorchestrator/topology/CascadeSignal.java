package io.refreshorchestrator.topology;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.refreshorchestrator.events.Reason;
import io.refreshorchestrator.events.RefreshResult;
import io.refreshorchestrator.events.Status;
import java.time.Instant;
import java.util.Set;

/**
 * Value of the internal {@code cascade-by-job} topic, keyed by the downstream job: either "a change
 * made these upstream jobs of yours due, wait for them" ({@code awaiting}), or "upstream job X
 * finished with this status" ({@code upstream}, {@code status}, {@code firstChangeAt}).
 *
 * @param awaiting upstream jobs made due by one routed change; null for a finished upstream
 * @param upstream the upstream job that finished; null for an await
 * @param firstChangeAt the finished run's first change, carried down so lag counts from the
 *     original commit
 * @param finishedAt when the finished run ended
 * @param txId the transaction id ({@code xid8}) the finished run committed in, from its result;
 *     null when the result does not report one
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record CascadeSignal(
        Set<String> awaiting,
        String upstream,
        Status status,
        Reason reason,
        Instant firstChangeAt,
        Instant finishedAt,
        Long txId) {

    static CascadeSignal await(Set<String> upstreams) {
        return new CascadeSignal(Set.copyOf(upstreams), null, null, null, null, null, null);
    }

    static CascadeSignal finished(RefreshResult result) {
        return new CascadeSignal(
                null,
                result.job(),
                result.status(),
                result.reason(),
                result.firstChangeAt(),
                result.finishedAt(),
                result.status() == Status.SUCCEEDED ? result.txId() : null);
    }

    boolean isAwait() {
        return awaiting != null;
    }

    /**
     * Whether the finished upstream run should make the downstream job due: a SUCCEEDED run changed
     * the view; a FAILED or TIMED_OUT run that carried data changes did not, but the downstream job
     * may read the same tables directly (a change to them is routed to the upstream job only), so
     * it refreshes anyway rather than miss them; so does a failed STARTUP run, whose downstream
     * jobs get no STARTUP command of their own. SKIPPED and REJECTED runs changed nothing.
     */
    boolean makesDue() {
        if (status == Status.SUCCEEDED) {
            return true;
        }
        return (status == Status.FAILED || status == Status.TIMED_OUT)
                && (firstChangeAt != null || reason == Reason.STARTUP);
    }

    /** The moment the cascaded change counts from: the upstream's first change, else its run. */
    Instant changeAt() {
        if (firstChangeAt != null) {
            return firstChangeAt;
        }
        return finishedAt != null ? finishedAt : Instant.EPOCH;
    }
}
