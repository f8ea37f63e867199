package io.refreshorchestrator.topology;

import io.refreshorchestrator.discovery.JobGraph;
import io.refreshorchestrator.events.RefreshCommand;
import java.time.Instant;
import java.util.function.Consumer;
import org.apache.kafka.streams.processor.Punctuator;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Emits one command for each job whose debounce deadline has passed, and forgets its pending
 * changes. Reads only the due part of the index; because deadlines live in the stores, a
 * punctuation that Kafka Streams skipped (wall-clock punctuations are best-effort) delays a command
 * until the next one but never loses it.
 */
final class DuePunctuator implements Punctuator {

    private static final Logger LOG = LoggerFactory.getLogger(DuePunctuator.class);

    private final JobGraph graph;
    private final KeyValueStore<String, PendingChanges> pending;
    private final DueIndex index;
    private final Consumer<Record<String, RefreshCommand>> out;

    DuePunctuator(
            JobGraph graph,
            KeyValueStore<String, PendingChanges> pending,
            DueIndex index,
            Consumer<Record<String, RefreshCommand>> out) {
        this.graph = graph;
        this.pending = pending;
        this.index = index;
        this.out = out;
    }

    @Override
    public void punctuate(long nowMillis) {
        Instant now = Instant.ofEpochMilli(nowMillis);
        for (DueIndex.Entry due : index.dueAt(nowMillis)) {
            index.remove(due);
            PendingChanges changes = pending.get(due.job());
            if (changes == null || !DueIndex.indexes(due, changes.deadline())) {
                continue; // left over from a deadline that moved; the current one is indexed too
            }
            var spec = graph.job(due.job());
            if (spec.isPresent()) {
                RefreshCommand command =
                        spec.get().upstream().containsAll(changes.tables())
                                ? Commands.cascade(due.job(), changes, now)
                                : Commands.dataChange(due.job(), changes, now);
                // Forward before deleting: without exactly-once, a crash in between repeats a
                // command (harmless, commands coalesce) instead of losing one.
                out.accept(new Record<>(due.job(), command, nowMillis));
                LOG.debug(
                        "job {} due: {} changes to {}, first committed at {}",
                        due.job(),
                        changes.count(),
                        changes.tables(),
                        changes.firstChangeAt());
            } else {
                LOG.info("job {} is no longer configured: its pending changes dropped", due.job());
            }
            pending.delete(due.job());
        }
    }
}
