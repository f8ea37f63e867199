package io.refreshorchestrator.events;

/** How one run of a job ended. */
public enum Status {
    SUCCEEDED,
    FAILED,
    SKIPPED,
    REJECTED,
    TIMED_OUT
}
