package io.refreshorchestrator.executor;

import io.refreshorchestrator.discovery.JobGraph;
import io.refreshorchestrator.discovery.JobSpec;
import io.refreshorchestrator.events.DeadLetter;
import io.refreshorchestrator.events.RefreshCommand;
import io.refreshorchestrator.events.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Validates one record of the commands topic: size, JSON, known job; fills a valid command's
 * defaults from the record's coordinates. Touches neither Kafka nor the database.
 */
final class CommandDecoder {

    private final JobGraph jobs;
    private final int maxCommandBytes;
    private final Clock clock;

    CommandDecoder(JobGraph jobs, int maxCommandBytes, Clock clock) {
        this.jobs = jobs;
        this.maxCommandBytes = maxCommandBytes;
        this.clock = clock;
    }

    Decoded decode(ConsumerRecord<String, byte[]> record) {
        byte[] value = record.value();
        if (value == null) {
            return deadLetter(record, "empty value (tombstone): not a command");
        }
        if (value.length > maxCommandBytes) {
            return deadLetter(
                    record,
                    "command of "
                            + value.length
                            + " bytes exceeds the limit of "
                            + maxCommandBytes
                            + " bytes (value kept truncated to the limit)");
        }
        RefreshCommand parsed;
        try {
            parsed = Topics.COMMAND_SERDE.read(value);
        } catch (SerializationException e) {
            return deadLetter(record, e.getMessage());
        }
        if (parsed == null) {
            return deadLetter(record, "JSON null: not a command");
        }
        RefreshCommand command = parsed.withDefaults(idOf(record), timestampOf(record));
        Optional<JobSpec> job = jobs.job(command.job());
        if (job.isEmpty()) {
            String why = "unknown job '" + command.job() + "'";
            return new Decoded.Rejected(
                    deadLetter(record, why).deadLetter(),
                    Results.rejected(command, why, clock.instant()));
        }
        return new Decoded.Accepted(job.get(), command);
    }

    /** A dead letter for a record that could not be decoded for a reason of its own. */
    Decoded.Rejected unreadable(ConsumerRecord<String, byte[]> record, String reason) {
        return deadLetter(record, reason);
    }

    /** Stable for one record, so a redelivered command keeps its id. */
    static UUID idOf(ConsumerRecord<?, ?> record) {
        String coordinates = record.topic() + "/" + record.partition() + "/" + record.offset();
        return UUID.nameUUIDFromBytes(coordinates.getBytes(StandardCharsets.UTF_8));
    }

    private Instant timestampOf(ConsumerRecord<?, ?> record) {
        return record.timestamp() >= 0 ? Instant.ofEpochMilli(record.timestamp()) : clock.instant();
    }

    private Decoded.Rejected deadLetter(ConsumerRecord<String, byte[]> record, String reason) {
        byte[] value = record.value();
        // Truncated so that a dead letter always fits in a Kafka record, whatever was sent.
        String text =
                value == null
                        ? null
                        : new String(
                                value,
                                0,
                                Math.min(value.length, maxCommandBytes),
                                StandardCharsets.UTF_8);
        return new Decoded.Rejected(
                new DeadLetter(
                        DeadLetter.CURRENT_VERSION,
                        reason,
                        record.topic(),
                        record.partition(),
                        record.offset(),
                        record.key(),
                        text,
                        clock.instant()),
                null);
    }
}
