package io.refreshorchestrator.events;

/** How a materialized view was refreshed: readers go on (CONCURRENTLY) or wait (BLOCKING). */
public enum RefreshMode {
    CONCURRENTLY,
    BLOCKING
}
