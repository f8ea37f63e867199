package io.refreshorchestrator.topology;

import io.refreshorchestrator.discovery.JobGraph;
import java.util.List;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads each Debezium change event and forwards it once per job built on the changed table, keyed
 * by job name; unreadable events become dead letters keyed by their source topic.
 */
final class ChangeRouter implements Processor<byte[], byte[], String, Outcome<TableChange>> {

    private static final Logger LOG = LoggerFactory.getLogger(ChangeRouter.class);

    private final JobGraph graph;
    private ProcessorContext<String, Outcome<TableChange>> context;

    ChangeRouter(JobGraph graph) {
        this.graph = graph;
    }

    @Override
    public void init(ProcessorContext<String, Outcome<TableChange>> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        Parsed<TableChange> parsed;
        try {
            parsed = ChangeEventParser.parse(record.value(), record.timestamp());
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

    private void route(TableChange change, long timestamp) {
        List<String> jobs = graph.jobsReading(change.table());
        if (jobs.isEmpty()) {
            LOG.debug("change to {} dropped: no job reads it", change.table());
            return;
        }
        for (String job : jobs) {
            context.forward(new Record<>(job, new Outcome.Accepted<>(change), timestamp));
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
                        new Outcome.Rejected<TableChange>(deadLetter),
                        record.timestamp()));
    }
}
