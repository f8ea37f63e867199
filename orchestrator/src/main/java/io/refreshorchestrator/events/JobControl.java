package io.refreshorchestrator.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * Value of the control topic (default {@value #DEFAULT_TOPIC}, key = job name): pause or resume one
 * job. A paused job keeps collecting its changes and missed schedule fires, and is commanded once
 * on resume.
 *
 * @param version contract version, {@value #CURRENT_VERSION} when absent
 * @param job the job name (required)
 * @param action {@code PAUSE} or {@code RESUME} (required)
 * @param deployment the application id ({@code streams.application-id}) of the deployment the
 *     request is for; a topology with another application id ignores it. Absent: every deployment
 *     reading the topic applies it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobControl(
        Integer version,
        String job,
        Action action,
        Instant requestedAt,
        String requestedBy,
        String deployment) {

    public static final int CURRENT_VERSION = 1;
    public static final String DEFAULT_TOPIC = "refresh-control";
    public static final JsonSerde<JobControl> SERDE = new JsonSerde<>(JobControl.class);

    /** What to do with the job. */
    public enum Action {
        PAUSE,
        RESUME
    }

    public JobControl {
        if (job == null || job.isBlank()) {
            throw new IllegalArgumentException("missing required field 'job'");
        }
        if (action == null) {
            throw new IllegalArgumentException("missing required field 'action'");
        }
    }

    /** A request for the deployment with application id {@code deployment}. */
    public static JobControl of(
            String job, Action action, Instant requestedAt, String requestedBy, String deployment) {
        return new JobControl(CURRENT_VERSION, job, action, requestedAt, requestedBy, deployment);
    }

    /** Whether the deployment with application id {@code applicationId} applies this request. */
    public boolean isFor(String applicationId) {
        return deployment == null || deployment.equals(applicationId);
    }
}
