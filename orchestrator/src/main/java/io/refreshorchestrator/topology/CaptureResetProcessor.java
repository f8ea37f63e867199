package io.refreshorchestrator.topology;

import io.refreshorchestrator.discovery.JobGraph;
import io.refreshorchestrator.discovery.JobSpec;
import io.refreshorchestrator.discovery.RelationName;
import io.refreshorchestrator.events.RefreshCommand;
import java.time.Instant;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns each capture reset into one STARTUP command per job of the graph that has no upstream job:
 * changes before the reset were never captured, so no view can be trusted to be fresh. Jobs built
 * on other jobs are refreshed by the cascade once those succeeded (or failed), so the whole graph
 * is refreshed in dependency order. Unreadable signals become dead letters.
 */
final class CaptureResetProcessor
        implements Processor<byte[], byte[], String, Outcome<RefreshCommand>> {

    private static final Logger LOG = LoggerFactory.getLogger(CaptureResetProcessor.class);

    private static final String TABLES_ADDED = "TABLES_ADDED";

    private final JobGraph graph;
    private ProcessorContext<String, Outcome<RefreshCommand>> context;

    CaptureResetProcessor(JobGraph graph) {
        this.graph = graph;
    }

    @Override
    public void init(ProcessorContext<String, Outcome<RefreshCommand>> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        Parsed<CaptureSignal> parsed;
        try {
            parsed = CaptureSignal.parse(record.value(), record.timestamp());
        } catch (RuntimeException e) {
            // Same guard as for change events: a surprise must not kill the stream thread.
            parsed = new Parsed.Invalid<>("cannot read capture signal: " + e);
        }
        if (parsed instanceof Parsed.Value<CaptureSignal> signal) {
            refreshEveryJob(signal.value(), record.timestamp());
        } else if (parsed instanceof Parsed.Invalid<CaptureSignal> invalid) {
            var deadLetter = Outcomes.deadLetter(context, record, invalid.reason());
            LOG.warn(
                    "unreadable capture signal {}-{}@{} sent to the DLQ: {}",
                    deadLetter.sourceTopic(),
                    deadLetter.sourcePartition(),
                    deadLetter.sourceOffset(),
                    invalid.reason());
            context.forward(
                    new Record<>(
                            deadLetter.sourceTopic(),
                            new Outcome.Rejected<RefreshCommand>(deadLetter),
                            record.timestamp()));
        } else if (parsed instanceof Parsed.Ignored<CaptureSignal> ignored) {
            LOG.debug("signal ignored: {}", ignored.why());
        }
    }

    private void refreshEveryJob(CaptureSignal signal, long timestamp) {
        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        var jobs = topmost(affectedJobs(signal));
        LOG.info(
                "capture reset ({}, slot {}, at {}): a STARTUP refresh of the {} job(s) at the top, the"
                        + " rest by cascade",
                signal.reason(),
                signal.slot(),
                signal.at(),
                jobs.size());
        for (JobSpec job : jobs) {
            RefreshCommand command = Commands.startup(job.name(), signal, now);
            context.forward(new Record<>(job.name(), new Outcome.Accepted<>(command), timestamp));
        }
    }

    /**
     * The affected jobs none of whose upstream jobs is affected too: the cascade refreshes the
     * others after them, in dependency order (for a full reset: the jobs at the top of the graph).
     */
    private java.util.List<JobSpec> topmost(java.util.Collection<JobSpec> affected) {
        return affected.stream()
                .filter(
                        job ->
                                affected.stream()
                                        .noneMatch(
                                                above ->
                                                        graph.descendantsOf(above.name())
                                                                .contains(job.name())))
                .toList();
    }

    /**
     * Tables newly added to capture were only missed for the jobs reading them; any other reset
     * (new or invalidated slot, lost offsets) may have missed changes of every table.
     */
    private java.util.Collection<JobSpec> affectedJobs(CaptureSignal signal) {
        if (!TABLES_ADDED.equals(signal.reason()) || signal.tables().isEmpty()) {
            return graph.jobs();
        }
        var names = new java.util.LinkedHashSet<String>();
        for (String table : signal.tables()) {
            names.addAll(graph.jobsReading(RelationName.parse(table)));
        }
        return names.stream().map(name -> graph.job(name).orElseThrow()).toList();
    }
}
