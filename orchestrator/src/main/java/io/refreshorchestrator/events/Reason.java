package io.refreshorchestrator.events;

/** Why a refresh command was issued. */
public enum Reason {
    DATA_CHANGE,
    SCHEDULE,
    CASCADE,
    MANUAL,
    STARTUP
}
