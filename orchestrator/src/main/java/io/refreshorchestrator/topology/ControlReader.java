package io.refreshorchestrator.topology;

import io.refreshorchestrator.events.JobControl;
import java.time.Instant;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads pause/resume requests from the control topic, keyed by the job they name; unreadable ones
 * become dead letters, and those addressed to another deployment (another application id sharing
 * the topic) are ignored.
 */
final class ControlReader implements Processor<byte[], byte[], String, Outcome<JobInput>> {

    private static final Logger LOG = LoggerFactory.getLogger(ControlReader.class);

    private ProcessorContext<String, Outcome<JobInput>> context;

    @Override
    public void init(ProcessorContext<String, Outcome<JobInput>> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        JobControl control;
        try {
            control = JobControl.SERDE.read(record.value());
        } catch (RuntimeException e) {
            var deadLetter = Outcomes.deadLetter(context, record, e.getMessage());
            LOG.warn("unreadable control record sent to the DLQ: {}", e.getMessage());
            context.forward(
                    new Record<>(
                            deadLetter.sourceTopic(),
                            new Outcome.Rejected<JobInput>(deadLetter),
                            record.timestamp()));
            return;
        }
        if (control == null) {
            return; // a tombstone
        }
        if (!control.isFor(context.applicationId())) {
            LOG.info(
                    "Ignoring {} of job {} for deployment {}: this deployment is {}",
                    control.action(),
                    control.job(),
                    control.deployment(),
                    context.applicationId());
            return;
        }
        Instant requestedAt =
                control.requestedAt() != null
                        ? control.requestedAt()
                        : Instant.ofEpochMilli(record.timestamp());
        context.forward(
                new Record<>(
                        control.job(),
                        new Outcome.Accepted<JobInput>(
                                new JobInput.Control(control.action(), requestedAt)),
                        record.timestamp()));
    }
}
