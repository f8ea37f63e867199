package io.refreshorchestrator.topology;

import io.refreshorchestrator.discovery.JobGraph;
import io.refreshorchestrator.discovery.JobSchedule;
import io.refreshorchestrator.discovery.JobSpec;
import io.refreshorchestrator.schedule.Schedules;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Predicate;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The timer fallback: fires each scheduled job at its next fire time, kept in the {@code job-state}
 * store and indexed by time like the debounce deadlines. The next fire time after a fire is
 * computed from now, so ticks missed during downtime are made up by one command, not one per tick.
 */
final class ScheduleTimer {

    private static final Logger LOG = LoggerFactory.getLogger(ScheduleTimer.class);

    private final JobGraph graph;
    private final Predicate<String> owned;
    private final KeyValueStore<String, JobState> states;
    private final DueIndex index;
    private final CommandEmitter emitter;

    /**
     * @param owned whether a job belongs to this task: schedules fire where the job's changes are
     *     debounced, so each fires in exactly one task
     */
    ScheduleTimer(
            JobGraph graph,
            Predicate<String> owned,
            KeyValueStore<String, JobState> states,
            DueIndex index,
            CommandEmitter emitter) {
        this.graph = graph;
        this.owned = owned;
        this.states = states;
        this.index = index;
        this.emitter = emitter;
    }

    /**
     * Brings the stored next fire times in line with the configuration, once after the task
     * started: a new schedule gets its first fire time, a changed one is recomputed from now (its
     * pending changes are untouched), a removed one is forgotten.
     */
    void reconcile(Instant now) {
        for (JobSpec job : graph.jobs()) {
            if (!owned.test(job.name())) {
                continue;
            }
            JobState state = states.get(job.name());
            JobSchedule configured = job.schedule().orElse(null);
            JobSchedule stored = state == null ? null : state.schedule();
            if (Objects.equals(configured, stored)) {
                if (configured != null) {
                    LOG.info(
                            "job {}: schedule '{}' ({}), next fire at {}",
                            job.name(),
                            configured.expression(),
                            configured.zone(),
                            state.nextFireAt());
                }
                continue;
            }
            JobState base = state == null ? JobState.NEW : state;
            if (configured == null) {
                save(job.name(), base.scheduled(null, null));
                LOG.info("job {}: schedule {} removed", job.name(), stored.expression());
                continue;
            }
            Instant next = Schedules.nextFire(configured, now);
            states.put(job.name(), base.scheduled(configured, next));
            index.add(next, job.name());
            LOG.info(
                    "job {}: schedule '{}' ({}), next fire at {}",
                    job.name(),
                    configured.expression(),
                    configured.zone(),
                    next);
        }
    }

    /** Fires the due schedules; a paused job owes one command instead. */
    void punctuate(long nowMillis) {
        Instant now = Instant.ofEpochMilli(nowMillis);
        for (DueIndex.Entry due : index.dueAt(nowMillis)) {
            index.remove(due);
            JobState state = states.get(due.job());
            if (state == null
                    || state.nextFireAt() == null
                    || !DueIndex.indexes(due, state.nextFireAt())) {
                continue; // left over from a schedule that changed
            }
            JobSpec job = graph.job(due.job()).orElse(null);
            if (job == null || job.schedule().isEmpty()) {
                save(due.job(), state.scheduled(null, null));
                continue;
            }
            JobSchedule schedule = job.schedule().get();
            Instant next = Schedules.nextFire(schedule, now);
            JobState fired = state.scheduled(schedule, next);
            if (state.paused()) {
                states.put(due.job(), fired.owed());
            } else {
                states.put(due.job(), fired);
                emitter.schedule(due.job(), state.nextFireAt(), now);
            }
            index.add(next, due.job());
        }
    }

    private void save(String job, JobState state) {
        if (state.isEmpty()) {
            states.delete(job);
        } else {
            states.put(job, state);
        }
    }
}
