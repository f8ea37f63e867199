package io.refreshorchestrator.topology;

import io.refreshorchestrator.discovery.JobPolicy;
import java.time.Duration;
import java.time.Instant;

/**
 * Cost-aware timing of one job, from its policy and its {@link JobState}: pure functions, so the
 * debouncer stays a fold.
 *
 * <ul>
 *   <li><b>leading edge</b>: the first change of an idle job (not commanded for at least the quiet
 *       period and the budget interval) is due at once;
 *   <li><b>refresh budget</b>: commands of a job are at least {@code mean run / budget} apart, so a
 *       20 s view with a 25% budget is commanded at most every 80 s, whatever the max delay;
 *   <li><b>target lag</b>: the max delay shrinks to {@code target lag - mean run} (never below the
 *       quiet period), so that the refresh still finishes within the target.
 * </ul>
 */
final class Pacing {

    private Pacing() {}

    /**
     * Whether the job's timing depends on its history (last command, run durations): when not,
     * nothing is kept about it between commands, and an idle job costs no state at all.
     */
    static boolean remembers(JobPolicy policy) {
        return policy.leadingEdge()
                || policy.refreshBudget() < 1.0
                || policy.targetLag().isPresent();
    }

    /** The policy the debounce deadline is computed with: max delay shortened by target lag. */
    static JobPolicy effective(JobPolicy policy, JobState state) {
        if (policy.targetLag().isEmpty() || state == null || state.meanRunMillis() == 0) {
            return policy;
        }
        Duration left = policy.targetLag().get().minusMillis(state.meanRunMillis());
        Duration maxDelay = max(policy.debounce(), min(policy.maxDelay(), left));
        return maxDelay.equals(policy.maxDelay())
                ? policy
                : new JobPolicy(
                        policy.debounce(),
                        maxDelay,
                        policy.timeout(),
                        policy.lockTimeout(),
                        policy.targetLag(),
                        policy.refreshBudget(),
                        policy.leadingEdge());
    }

    /** The least time between two commands that keeps the job within its refresh budget. */
    static Duration minInterval(JobPolicy policy, JobState state) {
        if (state == null || policy.refreshBudget() >= 1.0) {
            return Duration.ZERO;
        }
        return Duration.ofMillis(Math.round(state.meanRunMillis() / policy.refreshBudget()));
    }

    /** Whether the first change arriving {@code now} should be commanded at once. */
    static boolean leadingEdge(JobPolicy policy, JobState state, Instant now) {
        if (!policy.leadingEdge()) {
            return false;
        }
        if (state == null || state.lastCommandAt() == null) {
            return true;
        }
        Duration idle = max(policy.debounce(), minInterval(policy, state));
        return !now.isBefore(state.lastCommandAt().plus(idle));
    }

    /** {@code deadline}, moved no earlier than the refresh budget allows. */
    static Instant withinBudget(Instant deadline, JobPolicy policy, JobState state) {
        Duration interval = minInterval(policy, state);
        if (interval.isZero() || state.lastCommandAt() == null) {
            return deadline;
        }
        Instant earliest = state.lastCommandAt().plus(interval);
        return deadline.isBefore(earliest) ? earliest : deadline;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
