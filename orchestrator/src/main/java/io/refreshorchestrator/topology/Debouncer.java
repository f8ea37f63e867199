package io.refreshorchestrator.topology;

import io.refreshorchestrator.discovery.JobGraph;
import io.refreshorchestrator.discovery.JobSpec;
import io.refreshorchestrator.events.RefreshCommand;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Folds each job's changes into its pending entry and moves its deadline; a wall-clock {@link
 * DuePunctuator} emits the commands. Wall clock, not stream time, because stream time stands still
 * during the quiet period after the last change, which is exactly when a debounce must fire.
 */
final class Debouncer implements Processor<String, TableChange, String, RefreshCommand> {

    private static final Logger LOG = LoggerFactory.getLogger(Debouncer.class);

    private final JobGraph graph;
    private final Duration punctuationInterval;
    private ProcessorContext<String, RefreshCommand> context;
    private KeyValueStore<String, PendingChanges> pending;
    private DueIndex index;

    Debouncer(JobGraph graph, Duration punctuationInterval) {
        this.graph = graph;
        this.punctuationInterval = punctuationInterval;
    }

    @Override
    public void init(ProcessorContext<String, RefreshCommand> context) {
        this.context = context;
        this.pending = context.getStateStore(RefreshTopology.PENDING_STORE);
        KeyValueStore<Bytes, String> indexStore =
                context.getStateStore(RefreshTopology.DUE_INDEX_STORE);
        this.index = new DueIndex(indexStore);
        context.schedule(
                punctuationInterval,
                PunctuationType.WALL_CLOCK_TIME,
                new DuePunctuator(graph, pending, index, context::forward));
    }

    @Override
    public void process(Record<String, TableChange> record) {
        String job = record.key();
        JobSpec spec = job == null ? null : graph.job(job).orElse(null);
        if (spec == null) {
            // Routed by an earlier configuration that still had this job.
            LOG.info("change for job {} dropped: no such job is configured", job);
            return;
        }
        if (record.value() == null) {
            return; // the router never sends one; nothing to fold
        }
        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        PendingChanges previous = pending.get(job);
        PendingChanges next =
                previous == null
                        ? PendingChanges.first(record.value(), now, spec.policy())
                        : previous.fold(record.value(), now, spec.policy());
        if (previous != null && !previous.deadline().equals(next.deadline())) {
            index.remove(previous.deadline(), job);
        }
        index.add(next.deadline(), job);
        pending.put(job, next);
    }
}
