package io.refreshorchestrator.topology;

import io.refreshorchestrator.discovery.JobGraph;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads each Debezium change event and forwards it once per job built on the changed table, keyed
 * by job name; unreadable events become dead letters keyed by their source topic. The events that
 * follow the first of a transaction in the same partition are folded ({@link TransactionFolds}): a
 * bulk statement costs the rest of the topology a few records, not one per row.
 */
final class ChangeRouter implements Processor<byte[], byte[], String, Outcome<JobInput.Change>> {

    private static final Logger LOG = LoggerFactory.getLogger(ChangeRouter.class);

    private final JobGraph graph;
    private final Duration punctuationInterval;
    private final TransactionFolds folds;
    private final ChangeEventParser parser = new ChangeEventParser();
    private ProcessorContext<String, Outcome<JobInput.Change>> context;
    private boolean routedBefore;
    private long lastRoutedMillis;

    ChangeRouter(JobGraph graph, Duration punctuationInterval) {
        this.graph = graph;
        this.punctuationInterval = punctuationInterval;
        this.folds = new TransactionFolds(punctuationInterval);
    }

    @Override
    public void init(ProcessorContext<String, Outcome<JobInput.Change>> context) {
        this.context = context;
        folds.clear();
        context.schedule(
                punctuationInterval,
                PunctuationType.WALL_CLOCK_TIME,
                now -> folds.quiet(now).forEach(this::forwardRest));
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        Parsed<TableChange> parsed;
        try {
            parsed = parser.parse(record.value(), record.timestamp());
        } catch (RuntimeException e) {
            // The parser returns Invalid for every input it knows to be bad; this guard keeps an
            // input nobody thought of from killing the stream thread in a replay loop.
            parsed = new Parsed.Invalid<>("cannot read change event: " + e);
        }
        // Java 17: no pattern switch yet, so an instanceof chain over the sealed type.
        if (parsed instanceof Parsed.Value<TableChange> value) {
            route(value.value(), record.timestamp());
        } else if (parsed instanceof Parsed.Invalid<TableChange> invalid) {
            reject(record, invalid.reason());
        } else if (parsed instanceof Parsed.Ignored<TableChange> ignored) {
            LOG.trace("ignored: {}", ignored.why());
        }
    }

    @Override
    public void close() {
        folds.clear();
    }

    private void route(TableChange change, long timestamp) {
        RecordMetadata metadata = context.recordMetadata().orElse(null);
        TransactionFolds.Source source =
                metadata == null
                        ? null
                        : new TransactionFolds.Source(metadata.topic(), metadata.partition());
        long now = context.currentSystemTimeMs();
        if (source != null && folds.fold(source, metadata.offset(), timestamp, now, change)) {
            return;
        }
        List<String> jobs = graph.jobsReading(change.table());
        if (source != null) {
            var ended = folds.start(source, metadata.offset(), timestamp, now, change, jobs);
            if (ended != null) {
                forwardRest(ended);
            }
        }
        if (jobs.isEmpty()) {
            LOG.debug("change to {} dropped: no job reads it", change.table());
            return;
        }
        var routed = new Outcome.Accepted<>(JobInput.Change.of(change));
        for (String job : jobs) {
            context.forward(new Record<>(job, routed, timestamp));
        }
        if (!routedBefore || now - lastRoutedMillis >= punctuationInterval.toMillis()) {
            // The first change after a quiet spell: the debouncer reads it only once it is
            // committed, so ask for that commit now rather than up to a commit interval later.
            // Under load changes follow each other closely and commits keep their own pace.
            context.commit();
        }
        routedBefore = true;
        lastRoutedMillis = now;
    }

    /** The folded rest of a transaction, to the jobs its first event went to. */
    private void forwardRest(TransactionFolds.Open open) {
        JobInput.Change rest = open.takeRest();
        if (rest == null) {
            return;
        }
        var routed = new Outcome.Accepted<>(rest);
        for (String job : open.jobs) {
            context.forward(new Record<>(job, routed, open.lastTimestamp));
        }
    }

    private void reject(Record<byte[], byte[]> record, String reason) {
        var deadLetter = Outcomes.deadLetter(context, record, reason);
        LOG.warn(
                "unreadable change event {}-{}@{} sent to the DLQ: {}",
                deadLetter.sourceTopic(),
                deadLetter.sourcePartition(),
                deadLetter.sourceOffset(),
                reason);
        context.forward(
                new Record<>(
                        deadLetter.sourceTopic(),
                        new Outcome.Rejected<JobInput.Change>(deadLetter),
                        record.timestamp()));
    }
}
