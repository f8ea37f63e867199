package io.refreshorchestrator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * One job as {@code plan} reports it (also the {@code --format json} shape).
 *
 * @param sources captured tables whose changes make the job due (catalog and configured)
 * @param configuredSources those of {@code sources} added by the configuration's {@code sources:}
 * @param routedSources those of {@code sources} a change is routed to this job for; the others
 *     reach it through the cascade of an upstream job that reads them too
 * @param uncapturableSources foreign tables: no change of theirs is seen, a schedule must cover
 *     them
 * @param functions user-defined functions the view calls (tables inside them are invisible)
 * @param unmanagedUpstream materialized views read that are not jobs
 * @param schedule the timer, {@code expression (zone)}; null without one
 * @param nextFire when the schedule fires next, computed when {@code plan} ran
 * @param mode {@code CONCURRENTLY} or {@code BLOCKING}; null for SQL and HTTP jobs
 * @param modeReason why that mode
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PlanEntry(
        int order,
        String job,
        String kind,
        List<String> sources,
        List<String> configuredSources,
        List<String> routedSources,
        List<String> uncapturableSources,
        List<String> functions,
        List<String> upstream,
        List<String> downstream,
        List<String> unmanagedUpstream,
        Policy policy,
        String schedule,
        Instant nextFire,
        String mode,
        String modeReason) {

    /**
     * The job's policy, durations written as in the configuration; {@code targetLag}, {@code
     * refreshBudget} and {@code leadingEdge} only when set.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Policy(
            String debounce,
            String maxDelay,
            String timeout,
            String lockTimeout,
            String targetLag,
            String refreshBudget,
            Boolean leadingEdge) {

        public Policy(String debounce, String maxDelay, String timeout, String lockTimeout) {
            this(debounce, maxDelay, timeout, lockTimeout, null, null, null);
        }

        /** The pacing part, as the text report writes it after the durations; empty when unset. */
        String pacing() {
            return (targetLag == null ? "" : ", target-lag " + targetLag)
                    + (refreshBudget == null ? "" : ", refresh-budget " + refreshBudget)
                    + (leadingEdge == null ? "" : ", leading-edge");
        }
    }
}
