package io.refreshorchestrator.topology;

import io.refreshorchestrator.discovery.JobAction;
import io.refreshorchestrator.discovery.JobGraph;
import io.refreshorchestrator.discovery.RelationName;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns finished upstream runs into changes of the downstream job, keyed by it, for the debouncer:
 * a SUCCEEDED run of view A becomes a change to "table" A committed at A's {@code firstChangeAt},
 * so the downstream refresh is debounced like a data change and its lag counts from the original
 * commit, carrying the transaction id of A's refresh, which the downstream run must see to count as
 * covering it. While a change made several upstream jobs due (a diamond), the downstream job waits
 * for each of them (state in the {@code cascade-waits} store) and then fires once. A wait ends with
 * the upstream's result, or after {@link JobGraph#settleBound} when no result ever comes.
 */
final class CascadeGate implements Processor<String, CascadeSignal, String, TableChange> {

    private static final Logger LOG = LoggerFactory.getLogger(CascadeGate.class);

    private final JobGraph graph;
    private final Duration punctuationInterval;
    private ProcessorContext<String, TableChange> context;
    private KeyValueStore<String, CascadeWait> waits;

    CascadeGate(JobGraph graph, Duration punctuationInterval) {
        this.graph = graph;
        this.punctuationInterval = punctuationInterval;
    }

    @Override
    public void init(ProcessorContext<String, TableChange> context) {
        this.context = context;
        this.waits = context.getStateStore(RefreshTopology.CASCADE_STORE);
        context.schedule(punctuationInterval, PunctuationType.WALL_CLOCK_TIME, this::expire);
    }

    @Override
    public void process(Record<String, CascadeSignal> record) {
        String job = record.key();
        CascadeSignal signal = record.value();
        if (job == null || signal == null || graph.job(job).isEmpty()) {
            return; // an earlier configuration's job: nothing to cascade to
        }
        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        CascadeWait wait = waits.get(job);
        if (signal.isAwait()) {
            CascadeWait next = wait == null ? CascadeWait.none() : wait;
            for (String upstream : signal.awaiting()) {
                next = next.awaiting(upstream, now.plus(graph.settleBound(upstream)));
            }
            waits.put(job, next);
            return;
        }
        TableChange change = signal.makesDue() ? changeOf(signal) : null;
        if (wait == null) {
            if (change != null) {
                forward(job, List.of(change), now);
            }
            return;
        }
        settle(job, wait.finished(signal.upstream(), change), now);
    }

    private void expire(long nowMillis) {
        Instant now = Instant.ofEpochMilli(nowMillis);
        List<KeyValue<String, CascadeWait>> expired = new ArrayList<>();
        try (var all = waits.all()) {
            while (all.hasNext()) {
                var entry = all.next();
                var next = entry.value.expire(now);
                if (next.awaiting().size() != entry.value.awaiting().size()) {
                    LOG.warn(
                            "job {} stopped waiting for {}: no result within the upstream's"
                                    + " max-delay + timeout",
                            entry.key,
                            entry.value.awaiting().keySet().stream()
                                    .filter(up -> !next.awaiting().containsKey(up))
                                    .toList());
                    expired.add(KeyValue.pair(entry.key, next));
                }
            }
        }
        expired.forEach(entry -> settle(entry.key, entry.value, now));
    }

    private void settle(String job, CascadeWait wait, Instant now) {
        if (!wait.released()) {
            waits.put(job, wait);
            return;
        }
        waits.delete(job);
        forward(job, wait.held(), now);
    }

    private void forward(String job, List<TableChange> changes, Instant now) {
        for (TableChange change : changes) {
            LOG.debug(
                    "cascade: {} changed (first change {}) → {}",
                    change.table(),
                    change.committedAt(),
                    job);
            context.forward(new Record<>(job, change, now.toEpochMilli()));
        }
    }

    /**
     * The upstream job's view as a changed "table", committed at the run's first change, made by
     * the run's transaction.
     */
    private TableChange changeOf(CascadeSignal signal) {
        RelationName upstream =
                graph.job(signal.upstream())
                        .filter(spec -> spec.action() instanceof JobAction.RefreshView)
                        .map(spec -> spec.view())
                        .orElseGet(() -> RelationName.parse(signal.upstream()));
        return new TableChange(upstream, signal.changeAt(), null, null, signal.txId());
    }
}
