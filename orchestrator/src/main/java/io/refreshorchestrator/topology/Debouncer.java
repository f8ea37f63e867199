package io.refreshorchestrator.topology;

import io.refreshorchestrator.discovery.JobGraph;
import io.refreshorchestrator.discovery.JobSpec;
import io.refreshorchestrator.events.JobControl;
import io.refreshorchestrator.events.RefreshCommand;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Folds each job's changes into its pending entry and moves its deadline, applies pause/resume and
 * records run durations; a wall-clock punctuation emits what is due ({@link DuePunctuator}) and
 * fires schedules ({@link ScheduleTimer}). Wall clock, not stream time, because stream time stands
 * still during the quiet period after the last change, which is exactly when a debounce must fire.
 */
final class Debouncer implements Processor<String, JobInput, String, RefreshCommand> {

    private static final Logger LOG = LoggerFactory.getLogger(Debouncer.class);

    private final JobGraph graph;
    private final Duration punctuationInterval;
    private final int jobPartitions;
    private ProcessorContext<String, RefreshCommand> context;
    private KeyValueStore<String, PendingChanges> pending;
    private KeyValueStore<String, JobState> states;
    private DueIndex index;
    private CommandEmitter emitter;
    private boolean reconciled;
    private long commitRequestedAt = -1;

    Debouncer(JobGraph graph, Duration punctuationInterval, int jobPartitions) {
        this.graph = graph;
        this.punctuationInterval = punctuationInterval;
        this.jobPartitions = jobPartitions;
    }

    @Override
    public void init(ProcessorContext<String, RefreshCommand> context) {
        this.context = context;
        this.pending = context.getStateStore(RefreshTopology.PENDING_STORE);
        this.states = context.getStateStore(RefreshTopology.JOB_STATE_STORE);
        KeyValueStore<Bytes, String> indexStore =
                context.getStateStore(RefreshTopology.DUE_INDEX_STORE);
        KeyValueStore<Bytes, String> scheduleStore =
                context.getStateStore(RefreshTopology.SCHEDULE_INDEX_STORE);
        this.index = new DueIndex(indexStore);
        this.emitter = new CommandEmitter(graph, pending, states, context::forward);
        var due = new DuePunctuator(graph, pending, states, index, emitter);
        int partition = context.taskId().partition();
        var schedules =
                new ScheduleTimer(
                        graph,
                        job -> partitionOf(job, jobPartitions) == partition,
                        states,
                        new DueIndex(scheduleStore),
                        emitter);
        reconciled = false; // init runs again when a task is revived
        context.schedule(
                punctuationInterval,
                PunctuationType.WALL_CLOCK_TIME,
                nowMillis -> {
                    if (!reconciled) {
                        // Here, not in init: stores are written inside a punctuation's transaction.
                        schedules.reconcile(Instant.ofEpochMilli(nowMillis));
                        reindex();
                        reconciled = true;
                    }
                    schedules.punctuate(nowMillis);
                    if (due.punctuate(nowMillis)) {
                        commitSoon(nowMillis); // a command due now is visible now
                    }
                });
    }

    /**
     * Indexes every pending entry by its deadline. The index has no changelog ({@link
     * RefreshTopology#DUE_INDEX_STORE}): it is derived from the pending store, which has one, so
     * after a restart, a rebalance or a revived task it is rebuilt here from what was restored
     * instead of costing two changelog records every time a change moves a deadline. Entries that
     * {@link #process} indexed before this ran are written again with the same key; any left from a
     * moved deadline are skipped by the punctuation as before.
     */
    private void reindex() {
        try (var entries = pending.all()) {
            while (entries.hasNext()) {
                var entry = entries.next();
                index.add(entry.value.deadline(), entry.key);
            }
        }
    }

    /** The partition of {@code changes-by-job} that Kafka's default partitioner gives a job. */
    static int partitionOf(String job, int partitions) {
        return Utils.toPositive(Utils.murmur2(job.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    @Override
    public void process(Record<String, JobInput> record) {
        String job = record.key();
        JobSpec spec = job == null ? null : graph.job(job).orElse(null);
        if (spec == null) {
            // Routed by an earlier configuration that still had this job, or a typo in a control.
            LOG.info("input for job {} dropped: no such job is configured", job);
            return;
        }
        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        if (record.value() instanceof JobInput.Change change) {
            fold(spec, change, now);
        } else if (record.value() instanceof JobInput.Control control) {
            control(job, control.action(), now);
        } else if (record.value() instanceof JobInput.Run run && Pacing.remembers(spec.policy())) {
            JobState state = states.get(job);
            states.put(job, (state == null ? JobState.NEW : state).withRun(run.durationMs()));
        }
    }

    private void fold(JobSpec spec, JobInput.Change change, Instant now) {
        String job = spec.name();
        PendingChanges previous = pending.get(job);
        if (previous == null && change.continued()) {
            // The rest of a transaction whose first row was commanded already: that command's
            // refresh starts after the one commit they all share, so it covers them too.
            return;
        }
        JobState state = states.get(job);
        var policy = Pacing.effective(spec.policy(), state);
        PendingChanges next =
                previous == null
                        ? PendingChanges.first(
                                change, now, policy, Pacing.leadingEdge(spec.policy(), state, now))
                        : previous.fold(change, now, policy);
        next = next.withDeadline(Pacing.withinBudget(next.deadline(), spec.policy(), state));
        if (previous == null
                && next.leading()
                && !next.deadline().isAfter(now)
                && (state == null || !state.paused())) {
            // Leading edge: command it now rather than at the next punctuation.
            emitter.changes(job, next, now);
            commitSoon(now.toEpochMilli());
            return;
        }
        if (previous != null && !previous.deadline().equals(next.deadline())) {
            index.remove(previous.deadline(), job);
        }
        index.add(next.deadline(), job);
        pending.put(job, next);
    }

    /**
     * Asks Kafka Streams to commit after this processing round instead of up to a commit interval
     * later: under exactly-once a command is visible to the executor only once committed. At most
     * once per punctuation interval, so that many jobs commanded one after another (a change fanned
     * out to thousands of idle leading-edge jobs) cost no commit per record: one already requested
     * covers them, and the next regular commit the rest.
     */
    private void commitSoon(long nowMillis) {
        if (commitRequestedAt < 0
                || nowMillis - commitRequestedAt >= punctuationInterval.toMillis()) {
            context.commit();
            commitRequestedAt = nowMillis;
        }
    }

    private void control(String job, JobControl.Action action, Instant now) {
        JobState state = states.get(job);
        JobState current = state == null ? JobState.NEW : state;
        if (action == JobControl.Action.PAUSE) {
            LOG.info("job {} paused", job);
            states.put(job, current.paused(true));
            return;
        }
        if (!current.paused()) {
            return; // resuming a running job changes nothing
        }
        JobState resumed = current.paused(false);
        if (resumed.isEmpty()) {
            states.delete(job);
        } else {
            states.put(job, resumed);
        }
        PendingChanges held = pending.get(job);
        LOG.info(
                "job {} resumed: {}",
                job,
                held != null
                        ? held.count() + " held change(s) commanded"
                        : current.owedWhilePaused() ? "missed schedule commanded" : "nothing due");
        if (held != null) {
            index.remove(held.deadline(), job);
            emitter.changes(job, held, now);
        } else if (current.owedWhilePaused()) {
            emitter.schedule(job, now, now);
        }
    }
}
