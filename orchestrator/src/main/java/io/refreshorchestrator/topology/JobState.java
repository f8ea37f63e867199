package io.refreshorchestrator.topology;

import io.refreshorchestrator.discovery.JobSchedule;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * What the topology remembers about one job between commands, the value of the {@code job-state}
 * store. A job that never changed, has no schedule and was never paused has no entry.
 *
 * @param lastCommandAt when the topology last commanded it, null before the first command
 * @param recentRunMillis durations of its latest runs, oldest first, at most {@value #RUNS_KEPT}
 * @param paused whether commands are held back
 * @param owedWhilePaused whether a schedule fired while paused: one command is due on resume
 * @param scheduleExpression the schedule {@code nextFireAt} was computed for, null without one
 * @param scheduleZone its time zone
 * @param nextFireAt the schedule's next fire time, null without a schedule
 */
record JobState(
        Instant lastCommandAt,
        List<Long> recentRunMillis,
        boolean paused,
        boolean owedWhilePaused,
        String scheduleExpression,
        String scheduleZone,
        Instant nextFireAt) {

    static final int RUNS_KEPT = 5;
    static final JobState NEW = new JobState(null, List.of(), false, false, null, null, null);

    JobState {
        recentRunMillis = recentRunMillis == null ? List.of() : List.copyOf(recentRunMillis);
    }

    /** The mean of the recent run durations, 0 when none was measured. */
    long meanRunMillis() {
        return recentRunMillis.isEmpty()
                ? 0
                : Math.round(
                        recentRunMillis.stream().mapToLong(Long::longValue).average().orElse(0));
    }

    JobState commandedAt(Instant at) {
        return new JobState(
                at, recentRunMillis, paused, false, scheduleExpression, scheduleZone, nextFireAt);
    }

    JobState withRun(long durationMs) {
        var runs = new ArrayList<>(recentRunMillis);
        runs.add(Math.max(0, durationMs));
        while (runs.size() > RUNS_KEPT) {
            runs.remove(0);
        }
        return new JobState(
                lastCommandAt,
                runs,
                paused,
                owedWhilePaused,
                scheduleExpression,
                scheduleZone,
                nextFireAt);
    }

    JobState paused(boolean paused) {
        return new JobState(
                lastCommandAt,
                recentRunMillis,
                paused,
                paused && owedWhilePaused,
                scheduleExpression,
                scheduleZone,
                nextFireAt);
    }

    JobState owed() {
        return new JobState(
                lastCommandAt,
                recentRunMillis,
                paused,
                true,
                scheduleExpression,
                scheduleZone,
                nextFireAt);
    }

    JobState scheduled(JobSchedule schedule, Instant nextFireAt) {
        return new JobState(
                lastCommandAt,
                recentRunMillis,
                paused,
                owedWhilePaused,
                schedule == null ? null : schedule.expression(),
                schedule == null ? null : schedule.zone().getId(),
                nextFireAt);
    }

    /** The schedule {@link #nextFireAt} belongs to, or null. */
    JobSchedule schedule() {
        return scheduleExpression == null
                ? null
                : new JobSchedule(scheduleExpression, ZoneId.of(scheduleZone));
    }

    /** Whether this entry holds nothing worth keeping. */
    boolean isEmpty() {
        return lastCommandAt == null
                && recentRunMillis.isEmpty()
                && !paused
                && !owedWhilePaused
                && nextFireAt == null;
    }
}
