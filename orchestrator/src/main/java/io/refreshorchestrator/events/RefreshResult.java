package io.refreshorchestrator.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.UUID;

/**
 * Value of the {@code refresh-results} topic: how one command for one job ended.
 *
 * @param freshnessLagMs {@code finishedAt - firstChangeAt}, when the run folded in data changes
 * @param detail human-readable context: why BLOCKING was chosen, which run covered a SKIPPED one
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
        String detail) {

    public static final int CURRENT_VERSION = 1;
}
