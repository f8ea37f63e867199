package io.refreshorchestrator.topology;

import io.refreshorchestrator.discovery.JobGraph;
import java.time.Instant;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Emits one command for each job whose debounce deadline has passed, and forgets its pending
 * changes. Reads only the due part of the index; because deadlines live in the stores, a
 * punctuation that Kafka Streams skipped (wall-clock punctuations are best-effort) delays a command
 * until the next one but never loses it. A paused job's due changes stay pending, out of the index,
 * until it is resumed.
 */
final class DuePunctuator {

    private static final Logger LOG = LoggerFactory.getLogger(DuePunctuator.class);

    private final JobGraph graph;
    private final KeyValueStore<String, PendingChanges> pending;
    private final KeyValueStore<String, JobState> states;
    private final DueIndex index;
    private final CommandEmitter emitter;

    DuePunctuator(
            JobGraph graph,
            KeyValueStore<String, PendingChanges> pending,
            KeyValueStore<String, JobState> states,
            DueIndex index,
            CommandEmitter emitter) {
        this.graph = graph;
        this.pending = pending;
        this.states = states;
        this.index = index;
        this.emitter = emitter;
    }

    /** Emits what is due; whether it emitted anything. */
    boolean punctuate(long nowMillis) {
        Instant now = Instant.ofEpochMilli(nowMillis);
        boolean emitted = false;
        for (DueIndex.Entry due : index.dueAt(nowMillis)) {
            index.remove(due);
            PendingChanges changes = pending.get(due.job());
            if (changes == null || !DueIndex.indexes(due, changes.deadline())) {
                continue; // left over from a deadline that moved; the current one is indexed too
            }
            if (graph.job(due.job()).isEmpty()) {
                LOG.info("job {} is no longer configured: its pending changes dropped", due.job());
                pending.delete(due.job());
                continue;
            }
            JobState state = states.get(due.job());
            if (state != null && state.paused()) {
                LOG.debug("job {} is paused: {} changes held", due.job(), changes.count());
                continue;
            }
            emitter.changes(due.job(), changes, now);
            emitted = true;
        }
        return emitted;
    }
}
