package io.refreshorchestrator.benchmark.compare;

import java.util.Map;

/**
 * The figures of one strategy under one workload.
 *
 * @param lag every view's lags pooled; {@code viewLags} per view
 * @param computed lags derived from the recorded commits rather than measured (pg_cron at 5 and 30
 *     minutes)
 * @param skipped the reason the strategy did not run, or null
 * @param cpuSeconds CPU of the refreshing process over the workload, or null when not its own
 * @param peakRssMiB peak RSS of that process since it started, or null
 * @param stages the lag by stage (capture, topology, queue, refresh) for the orchestrator, empty
 *     for the others
 */
record CellResult(
        String strategy,
        String workload,
        boolean computed,
        String skipped,
        LagStats lag,
        Map<String, LagStats> viewLags,
        int commits,
        double writeP50Ms,
        double writeP99Ms,
        double targetPerSecond,
        double achievedPerSecond,
        int writeFailures,
        int refreshes,
        double refreshSeconds,
        int idleRefreshes,
        Double cpuSeconds,
        Double peakRssMiB,
        Map<String, LagStats> stages) {

    static CellResult skipped(String strategy, String workload, String reason) {
        return new CellResult(
                strategy,
                workload,
                false,
                reason,
                LagStats.NONE,
                Map.of(),
                0,
                Double.NaN,
                Double.NaN,
                Double.NaN,
                Double.NaN,
                0,
                0,
                0,
                0,
                null,
                null,
                Map.of());
    }
}
