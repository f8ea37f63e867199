package io.refreshorchestrator.discovery;

import java.time.Duration;
import java.util.Objects;

/**
 * When and how long a job may run.
 *
 * @param debounce quiet period: fire once no change arrived for this long
 * @param maxDelay upper bound from the first unrefreshed change to the command, whatever the load
 * @param timeout statement timeout of one run
 * @param lockTimeout how long a run waits for the view's lock before it fails as retryable
 */
public record JobPolicy(
        Duration debounce, Duration maxDelay, Duration timeout, Duration lockTimeout) {

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
    }
}
