package io.refreshorchestrator.executor;

import java.time.Duration;
import java.util.Objects;

/**
 * Tuning of the executor; {@link #defaults()} gives the documented defaults.
 *
 * @param groupId consumer group on the commands topic; default {@value #DEFAULT_GROUP_ID}
 * @param maxCommandBytes a command value larger than this goes to the dead-letter topic unread;
 *     default 65,536 (64 KiB)
 * @param pollTimeout how long one poll waits for commands; also the period at which the consumer
 *     polls (with its partitions paused) while a refresh runs, so it stays in its group; default 1
 *     s
 * @param visibilityWait how long to wait for the triggering transaction to become visible before
 *     refreshing anyway; default 10 s
 * @param maxAttempts tries of a refresh failing with a transient error, the first one included;
 *     default 5
 * @param initialBackoff delay before the first retry, doubled for each further one (with jitter);
 *     also paces retries of Kafka publishes and commits; default 500 ms
 * @param maxBackoff upper bound of one retry delay; default 30 s
 * @param poolSize PostgreSQL connections in the executor's pool; default 2 (one refresh at a time
 *     plus one spare for the visibility check and reconnects)
 */
public record ExecutorSettings(
        String groupId,
        int maxCommandBytes,
        Duration pollTimeout,
        Duration visibilityWait,
        int maxAttempts,
        Duration initialBackoff,
        Duration maxBackoff,
        int poolSize) {

    public static final String DEFAULT_GROUP_ID = "refresh-orchestrator-executor";

    public ExecutorSettings {
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(pollTimeout, "pollTimeout");
        Objects.requireNonNull(visibilityWait, "visibilityWait");
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        if (groupId.isBlank()) {
            throw new IllegalArgumentException("groupId must not be blank");
        }
        if (maxCommandBytes <= 0 || maxAttempts <= 0 || poolSize <= 0) {
            throw new IllegalArgumentException(
                    "maxCommandBytes, maxAttempts and poolSize must be positive");
        }
        if (pollTimeout.isNegative()
                || pollTimeout.isZero()
                || visibilityWait.isNegative()
                || initialBackoff.isNegative()
                || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException(
                    "pollTimeout must be positive, visibilityWait and initialBackoff not"
                            + " negative, maxBackoff at least initialBackoff");
        }
    }

    /** The defaults documented on each field. */
    public static ExecutorSettings defaults() {
        return new ExecutorSettings(
                DEFAULT_GROUP_ID,
                64 * 1024,
                Duration.ofSeconds(1),
                Duration.ofSeconds(10),
                5,
                Duration.ofMillis(500),
                Duration.ofSeconds(30),
                2);
    }

    public ExecutorSettings withGroupId(String newGroupId) {
        return new ExecutorSettings(
                newGroupId,
                maxCommandBytes,
                pollTimeout,
                visibilityWait,
                maxAttempts,
                initialBackoff,
                maxBackoff,
                poolSize);
    }

    public ExecutorSettings withVisibilityWait(Duration newVisibilityWait) {
        return new ExecutorSettings(
                groupId,
                maxCommandBytes,
                pollTimeout,
                newVisibilityWait,
                maxAttempts,
                initialBackoff,
                maxBackoff,
                poolSize);
    }

    public ExecutorSettings withRetries(
            int newMaxAttempts, Duration newInitialBackoff, Duration newMaxBackoff) {
        return new ExecutorSettings(
                groupId,
                maxCommandBytes,
                pollTimeout,
                visibilityWait,
                newMaxAttempts,
                newInitialBackoff,
                newMaxBackoff,
                poolSize);
    }
}
