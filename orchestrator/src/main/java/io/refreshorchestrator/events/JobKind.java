package io.refreshorchestrator.events;

/** What a job does when it runs. */
public enum JobKind {
    REFRESH,
    SQL,
    HTTP
}
