package io.refreshorchestrator.discovery;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * When and how long a job may run.
 *
 * @param debounce quiet period: fire once no change arrived for this long
 * @param maxDelay upper bound from the first unrefreshed change to the command, whatever the load
 * @param timeout statement timeout of one run
 * @param lockTimeout how long a run waits for the view's lock before it fails as retryable
 * @param targetLag the freshness target the debounce and max delay were derived from, when the
 *     configuration gave one: the topology also shortens the max delay by the view's measured
 *     refresh duration so that {@code max delay + duration} stays within it
 * @param refreshBudget share of wall time one job may spend running, {@code (0, 1]}; 1 (the
 *     default) never stretches the interval between commands
 * @param leadingEdge whether the first change of an idle job is commanded at once rather than after
 *     the quiet period
 */
public record JobPolicy(
        Duration debounce,
        Duration maxDelay,
        Duration timeout,
        Duration lockTimeout,
        Optional<Duration> targetLag,
        double refreshBudget,
        boolean leadingEdge) {

    public static final JobPolicy DEFAULTS =
            new JobPolicy(
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(10),
                    Duration.ofMinutes(30),
                    Duration.ofSeconds(30));

    public JobPolicy {
        Objects.requireNonNull(debounce, "debounce");
        Objects.requireNonNull(maxDelay, "maxDelay");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(lockTimeout, "lockTimeout");
        Objects.requireNonNull(targetLag, "targetLag");
        if (!(refreshBudget > 0 && refreshBudget <= 1)) {
            throw new IllegalArgumentException("refreshBudget must be in (0, 1]: " + refreshBudget);
        }
    }

    /** A policy without target lag, refresh budget or leading edge. */
    public JobPolicy(Duration debounce, Duration maxDelay, Duration timeout, Duration lockTimeout) {
        this(debounce, maxDelay, timeout, lockTimeout, Optional.empty(), 1.0, false);
    }

    /**
     * The debounce and max delay derived from a freshness target: a tenth of it of quiet period,
     * half of it as the bound, leaving the other half for capture and the refresh itself.
     */
    public static Duration derivedDebounce(Duration targetLag) {
        return targetLag.dividedBy(10);
    }

    /** See {@link #derivedDebounce}. */
    public static Duration derivedMaxDelay(Duration targetLag) {
        return targetLag.dividedBy(2);
    }

    public JobPolicy withPacing(double refreshBudget, boolean leadingEdge) {
        return new JobPolicy(
                debounce, maxDelay, timeout, lockTimeout, targetLag, refreshBudget, leadingEdge);
    }

    public JobPolicy withTargetLag(Duration targetLag) {
        return new JobPolicy(
                derivedDebounce(targetLag),
                derivedMaxDelay(targetLag),
                timeout,
                lockTimeout,
                Optional.of(targetLag),
                refreshBudget,
                leadingEdge);
    }
}
