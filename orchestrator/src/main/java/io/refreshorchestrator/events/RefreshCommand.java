package io.refreshorchestrator.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.UUID;

/**
 * Value of the {@code refresh-commands} topic: run job {@code job} once. Only {@code job} is
 * required; {@link #withDefaults} fills the rest, so {@code {"job":"analytics.popular_tracks"}} is
 * a complete manual refresh.
 *
 * @param version contract version, {@value #CURRENT_VERSION} when absent
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RefreshCommand(
        Integer version,
        UUID id,
        String job,
        Reason reason,
        Instant requestedAt,
        String requestedBy,
        ChangeSummary changes) {

    public static final int CURRENT_VERSION = 1;

    public RefreshCommand {
        if (job == null || job.isBlank()) {
            throw new IllegalArgumentException("missing required field 'job'");
        }
    }

    /** A fully specified command of the current version. */
    public static RefreshCommand of(
            UUID id,
            String job,
            Reason reason,
            Instant requestedAt,
            String requestedBy,
            ChangeSummary changes) {
        return new RefreshCommand(
                CURRENT_VERSION, id, job, reason, requestedAt, requestedBy, changes);
    }

    /**
     * This command with every absent optional field filled: {@code id} from {@code fallbackId}
     * (stable for one Kafka record, so a redelivery keeps its identity), reason MANUAL, {@code
     * requestedAt} from {@code fallbackTime} (the record timestamp), no changes.
     */
    public RefreshCommand withDefaults(UUID fallbackId, Instant fallbackTime) {
        return new RefreshCommand(
                version == null ? CURRENT_VERSION : version,
                id == null ? fallbackId : id,
                job,
                reason == null ? Reason.MANUAL : reason,
                requestedAt == null ? fallbackTime : requestedAt,
                requestedBy == null ? "unknown" : requestedBy,
                changes == null ? ChangeSummary.none() : changes);
    }
}
