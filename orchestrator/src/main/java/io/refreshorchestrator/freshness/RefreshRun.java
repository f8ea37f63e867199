package io.refreshorchestrator.freshness;

/**
 * One finished refresh of a view, its span in epoch microseconds (as recorded by whatever ran it:
 * the orchestrator's results, pg_cron's run details, the hand-written listener).
 */
public record RefreshRun(String view, long startedMicros, long finishedMicros) {

    public RefreshRun {
        if (finishedMicros < startedMicros) {
            throw new IllegalArgumentException(
                    "run of " + view + " finished before it started: " + this);
        }
    }

    public long durationMicros() {
        return finishedMicros - startedMicros;
    }
}
