package io.refreshorchestrator.cdc;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * Value of the signals topic (key: {@code <slot>/status}) that says how change capture is doing,
 * published when its state changes and every status interval; {@code status} shows the latest.
 * Consumers of capture resets ignore it (its {@code type} is not {@code CAPTURE_RESET}).
 *
 * <pre>{@code
 * {"version":1,"type":"CAPTURE_STATUS","slot":"refresh_orchestrator","instance":"4242@host-a",
 *  "state":"RETRYING","since":"2026-01-01T00:00:00Z","reason":"Cannot connect to PostgreSQL ...",
 *  "lastEventCommittedAt":"2025-12-31T23:59:58Z","retainedWalBytes":16384,"restarts":3,
 *  "at":"2026-01-01T00:01:00Z"}
 * }</pre>
 *
 * @param state {@code STARTING}, {@code STREAMING}, {@code RETRYING}, {@code FAILED} or {@code
 *     STOPPED}, see {@link CaptureHealth.State}
 * @param since when the state began (for RETRYING and FAILED: when capture went down)
 * @param reason why capture is not streaming; absent while streaming
 * @param lastEventCommittedAt commit time of the last change published; absent before the first
 * @param retainedWalBytes WAL the replication slot holds back; absent when not measured
 * @param at when this status was taken
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CaptureStatus(
        int version,
        String type,
        String slot,
        String instance,
        String state,
        Instant since,
        String reason,
        Instant lastEventCommittedAt,
        Long retainedWalBytes,
        int restarts,
        Instant at) {

    public static final int CURRENT_VERSION = 1;
    public static final String CAPTURE_STATUS = "CAPTURE_STATUS";

    /** The record key of {@code slot}'s status: apart from its reset signals' key. */
    public static String key(String slot) {
        return slot + "/status";
    }

    static CaptureStatus of(
            String slot, String instance, CaptureHealth.Snapshot health, Instant at) {
        return new CaptureStatus(
                CURRENT_VERSION,
                CAPTURE_STATUS,
                slot,
                instance,
                health.state().name(),
                health.since(),
                health.reason(),
                health.lastEventCommittedAt(),
                health.retainedWalBytes(),
                health.restarts(),
                at);
    }
}
