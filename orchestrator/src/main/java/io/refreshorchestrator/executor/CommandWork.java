package io.refreshorchestrator.executor;

import io.refreshorchestrator.events.RefreshResult;
import io.refreshorchestrator.events.RunError;
import io.refreshorchestrator.events.Status;
import io.refreshorchestrator.events.Topics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a worker thread does with one record: run the command (or keep the rejected record as a dead
 * letter), publish the output, and report it finished to the consumer thread, which alone commits
 * offsets.
 */
final class CommandWork {

    private static final Logger LOG = LoggerFactory.getLogger(CommandWork.class);

    /**
     * A record done with; {@code published} false only when closing (left uncommitted, also when
     * its run was cancelled by the shutdown: its FAILED result is published, the command runs
     * again).
     *
     * @param job the job whose lane to free, null for a rejected record
     */
    record Finished(TopicPartition partition, long offset, String job, boolean published) {}

    private final RefreshRunner runner;
    private final OutputPublisher output;
    private final Topics topics;
    private final Queue<Finished> finished;

    CommandWork(
            RefreshRunner runner, OutputPublisher output, Topics topics, Queue<Finished> finished) {
        this.runner = runner;
        this.output = output;
        this.topics = topics;
        this.finished = finished;
    }

    /** Runs an accepted command and publishes its result. */
    void run(JobLanes.Work work) {
        boolean published = false;
        try {
            var accepted = work.command();
            RefreshResult result;
            try {
                result = runner.run(accepted.job(), accepted.command());
            } catch (RuntimeException e) {
                // The runner reports failures as results; a bug still gets one, or the
                // partition's commits would stall behind this record for good.
                LOG.error("job {}: runner failed", work.job(), e);
                result =
                        Results.ofRun(
                                accepted.command(),
                                accepted.job().kind(),
                                new Attempt(1),
                                Status.FAILED,
                                Instant.now(),
                                new RunError(null, e.toString()));
            }
            published = output.publish(List.of(resultRecord(result)));
            if (runner.cancelledForShutdown()) {
                // Reported, but the command is run again by the partition's next owner.
                published = false;
            }
        } finally {
            finished.add(
                    new Finished(work.partition(), work.record().offset(), work.job(), published));
        }
    }

    /** Publishes a rejected record's dead letter (and REJECTED result). */
    void deadLetter(ConsumerRecord<String, byte[]> record, Decoded.Rejected rejected) {
        boolean published = false;
        try {
            LOG.warn(
                    "command {}-{}@{} dead-lettered: {}",
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    rejected.deadLetter().reason());
            List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
            records.add(
                    new ProducerRecord<>(
                            topics.refreshDlq().name(),
                            record.key(),
                            Topics.DEAD_LETTER_SERDE.write(rejected.deadLetter())));
            if (rejected.result() != null) {
                records.add(resultRecord(rejected.result()));
            }
            published = output.publish(records);
        } finally {
            finished.add(
                    new Finished(
                            new TopicPartition(record.topic(), record.partition()),
                            record.offset(),
                            null,
                            published));
        }
    }

    private ProducerRecord<String, byte[]> resultRecord(RefreshResult result) {
        return new ProducerRecord<>(
                topics.refreshResults().name(), result.job(), Topics.RESULT_SERDE.write(result));
    }
}
