package io.refreshorchestrator.topology;

import java.time.Instant;

/**
 * What this instance's topology stores hold about one job, for the HTTP API.
 *
 * @param paused whether commands are held back
 * @param pendingChanges changes not yet commanded (0 when none)
 * @param firstPendingChangeAt commit time of the earliest of them, null when none
 * @param nextCommandAt when the command for them is due (also while paused), null when none
 * @param nextFireAt the schedule's next fire time, null without a schedule
 * @param lastCommandAt when the topology last commanded the job, null before the first command
 */
public record JobStoreView(
        boolean paused,
        long pendingChanges,
        Instant firstPendingChangeAt,
        Instant nextCommandAt,
        Instant nextFireAt,
        Instant lastCommandAt) {

    static JobStoreView of(PendingChanges pending, JobState state) {
        var s = state == null ? JobState.NEW : state;
        return new JobStoreView(
                s.paused(),
                pending == null ? 0 : pending.count(),
                pending == null ? null : pending.firstChangeAt(),
                pending == null ? null : pending.deadline(),
                s.nextFireAt(),
                s.lastCommandAt());
    }
}
