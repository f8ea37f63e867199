package io.refreshorchestrator.events;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Why a run failed: the PostgreSQL SQLSTATE when there is one, and the message. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunError(String sqlState, String message) {}
