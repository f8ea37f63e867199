package io.refreshorchestrator.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.UUID;

/**
 * Value of the {@code refresh-results} topic: how one command for one job ended.
 *
 * @param freshnessLagMs {@code finishedAt - firstChangeAt}, when the run folded in data changes
 * @param detail human-readable context: why BLOCKING was chosen, which run covered a SKIPPED one
 * @param txId the transaction id ({@code xid8}) the run committed in: a SUCCEEDED refresh or SQL
 *     job, null otherwise. A cascade carries it to the jobs built on this one, whose runs must see
 *     it to count as covering the change (added in version 1; readers that predate it ignore it)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RefreshResult(
        int version,
        UUID commandId,
        String job,
        JobKind kind,
        Status status,
        Reason reason,
        RefreshMode mode,
        int attempts,
        Instant requestedAt,
        Instant startedAt,
        Instant finishedAt,
        Long durationMs,
        Instant firstChangeAt,
        Long freshnessLagMs,
        RunError error,
        String detail,
        Long txId) {

    public static final int CURRENT_VERSION = 1;
}
