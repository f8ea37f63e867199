package io.refreshorchestrator.config;

import java.time.Duration;

/**
 * The run history in SQL ({@code <state-schema>.run_history}).
 *
 * @param enabled whether this process writes every result of {@code refresh-results} there
 * @param retention how long a row is kept after its run finished; older rows are deleted by the
 *     process itself
 */
public record HistorySettings(boolean enabled, Duration retention) {

    public static final HistorySettings DEFAULTS = new HistorySettings(false, Duration.ofDays(30));
}
