package io.refreshorchestrator.topology;

import io.refreshorchestrator.discovery.JobGraph;
import io.refreshorchestrator.events.RefreshCommand;
import java.time.Instant;
import java.util.function.Consumer;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a job's command and records it: forgets the pending changes it covers and remembers when
 * the job was last commanded (what the leading edge and the refresh budget measure from).
 */
final class CommandEmitter {

    private static final Logger LOG = LoggerFactory.getLogger(CommandEmitter.class);

    private final JobGraph graph;
    private final KeyValueStore<String, PendingChanges> pending;
    private final KeyValueStore<String, JobState> states;
    private final Consumer<Record<String, RefreshCommand>> out;

    CommandEmitter(
            JobGraph graph,
            KeyValueStore<String, PendingChanges> pending,
            KeyValueStore<String, JobState> states,
            Consumer<Record<String, RefreshCommand>> out) {
        this.graph = graph;
        this.pending = pending;
        this.states = states;
        this.out = out;
    }

    /** The command for {@code changes}; the caller has removed their index entry. */
    void changes(String job, PendingChanges changes, Instant now) {
        // Forward before deleting: without exactly-once, a crash in between repeats a command
        // (harmless, commands coalesce) instead of losing one.
        // Changes that all come from upstream jobs' refreshes make a CASCADE command.
        boolean cascade =
                graph.job(job)
                        .map(spec -> spec.upstream().containsAll(changes.tables()))
                        .orElse(false);
        var command =
                cascade
                        ? Commands.cascade(job, changes, now)
                        : Commands.dataChange(job, changes, now);
        out.accept(new Record<>(job, command, now.toEpochMilli()));
        LOG.debug(
                "job {} due: {} changes to {}, first committed at {}",
                job,
                changes.count(),
                changes.tables(),
                changes.firstChangeAt());
        pending.delete(job);
        recordCommand(job, now);
    }

    /** The command for a schedule fire due at {@code fireAt}. */
    void schedule(String job, Instant fireAt, Instant now) {
        out.accept(new Record<>(job, Commands.schedule(job, fireAt, now), now.toEpochMilli()));
        LOG.debug("job {} scheduled at {}", job, fireAt);
        recordCommand(job, now);
    }

    private void recordCommand(String job, Instant now) {
        JobState state = states.get(job);
        boolean remembers =
                graph.job(job).map(spec -> Pacing.remembers(spec.policy())).orElse(false);
        if (state == null && !remembers) {
            return; // an idle job of a plain policy costs no state
        }
        JobState next = (state == null ? JobState.NEW : state).commandedAt(remembers ? now : null);
        if (next.isEmpty()) {
            states.delete(job);
        } else {
            states.put(job, next);
        }
    }
}
