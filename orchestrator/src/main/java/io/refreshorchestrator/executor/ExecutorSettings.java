package io.refreshorchestrator.executor;

import java.time.Duration;
import java.util.Objects;

/**
 * Tuning of the executor; {@link #defaults()} gives the documented defaults.
 *
 * @param groupId consumer group on the commands topic; default {@value #DEFAULT_GROUP_ID}
 * @param maxCommandBytes a command value larger than this goes to the dead-letter topic unread;
 *     default 65,536 (64 KiB)
 * @param pollTimeout how long one poll waits for commands when nothing runs; default 1 s
 * @param visibilityWait how long to wait for the triggering transaction to become visible before
 *     refreshing anyway; default 10 s
 * @param maxAttempts tries of a run failing with a transient error (lock timeout, serialization
 *     failure, deadlock, HTTP 5xx), the first one included; default 5. A lost connection to the
 *     database is retried until it is back, not counted against this cap
 * @param initialBackoff delay before the first retry, doubled for each further one (with jitter);
 *     also paces retries of Kafka publishes and commits; default 500 ms
 * @param maxBackoff upper bound of one retry delay; default 30 s
 * @param maxConcurrentRefreshes runs (of different jobs) at the same time; default 2
 * @param stateSchema schema of the executor's table {@code last_success} (created when missing);
 *     default {@value #DEFAULT_STATE_SCHEMA}
 * @param memberId the instance id: the consumer is the static member {@code <memberId>-executor},
 *     so a restart takes its partitions back at once; null for a dynamic member
 * @param shutdownTimeout on close, how long runs under way may go on to finish; those still running
 *     then are cancelled and reported FAILED (and run again by the next owner of their partition);
 *     default 30 s
 */
public record ExecutorSettings(
        String groupId,
        int maxCommandBytes,
        Duration pollTimeout,
        Duration visibilityWait,
        int maxAttempts,
        Duration initialBackoff,
        Duration maxBackoff,
        int maxConcurrentRefreshes,
        String stateSchema,
        String memberId,
        Duration shutdownTimeout) {

    public static final String DEFAULT_GROUP_ID = "refresh-orchestrator-executor";
    public static final String DEFAULT_STATE_SCHEMA = "refresh_orchestrator";
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);

    public ExecutorSettings {
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(pollTimeout, "pollTimeout");
        Objects.requireNonNull(visibilityWait, "visibilityWait");
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        Objects.requireNonNull(stateSchema, "stateSchema");
        Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
        if (shutdownTimeout.isNegative()) {
            throw new IllegalArgumentException("shutdownTimeout must not be negative");
        }
        if (groupId.isBlank() || stateSchema.isBlank()) {
            throw new IllegalArgumentException("groupId and stateSchema must not be blank");
        }
        if (maxCommandBytes <= 0 || maxAttempts <= 0 || maxConcurrentRefreshes <= 0) {
            throw new IllegalArgumentException(
                    "maxCommandBytes, maxAttempts and maxConcurrentRefreshes must be positive");
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
                2,
                DEFAULT_STATE_SCHEMA,
                null,
                DEFAULT_SHUTDOWN_TIMEOUT);
    }

    /**
     * Connections in the pool: one per concurrent run (it holds the job's advisory lock and runs
     * the job) plus one spare for reconnects.
     */
    public int poolSize() {
        return maxConcurrentRefreshes + 1;
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
                maxConcurrentRefreshes,
                stateSchema,
                memberId,
                shutdownTimeout);
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
                maxConcurrentRefreshes,
                stateSchema,
                memberId,
                shutdownTimeout);
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
                maxConcurrentRefreshes,
                stateSchema,
                memberId,
                shutdownTimeout);
    }

    public ExecutorSettings withMaxConcurrentRefreshes(int newMaxConcurrentRefreshes) {
        return new ExecutorSettings(
                groupId,
                maxCommandBytes,
                pollTimeout,
                visibilityWait,
                maxAttempts,
                initialBackoff,
                maxBackoff,
                newMaxConcurrentRefreshes,
                stateSchema,
                memberId,
                shutdownTimeout);
    }

    public ExecutorSettings withStateSchema(String newStateSchema) {
        return new ExecutorSettings(
                groupId,
                maxCommandBytes,
                pollTimeout,
                visibilityWait,
                maxAttempts,
                initialBackoff,
                maxBackoff,
                maxConcurrentRefreshes,
                newStateSchema,
                memberId,
                shutdownTimeout);
    }

    /** The instance id, when the consumer is a static member. */
    public java.util.Optional<String> instanceId() {
        return java.util.Optional.ofNullable(memberId);
    }

    public ExecutorSettings withInstanceId(String newMemberId) {
        return new ExecutorSettings(
                groupId,
                maxCommandBytes,
                pollTimeout,
                visibilityWait,
                maxAttempts,
                initialBackoff,
                maxBackoff,
                maxConcurrentRefreshes,
                stateSchema,
                newMemberId,
                shutdownTimeout);
    }

    public ExecutorSettings withShutdownTimeout(Duration newShutdownTimeout) {
        return new ExecutorSettings(
                groupId,
                maxCommandBytes,
                pollTimeout,
                visibilityWait,
                maxAttempts,
                initialBackoff,
                maxBackoff,
                maxConcurrentRefreshes,
                stateSchema,
                memberId,
                newShutdownTimeout);
    }
}
