package io.refreshorchestrator.topology;

import io.refreshorchestrator.events.DeadLetter;
import io.refreshorchestrator.events.Topic;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/** Dead letters for unreadable input, and the split of an {@link Outcome} stream. */
final class Outcomes {

    private Outcomes() {}

    /**
     * A dead letter for {@code input}, rejected now, keyed (by the caller) by its source topic:
     * there is no job yet at this stage, and the source keeps one source's letters in order.
     */
    static DeadLetter deadLetter(
            ProcessingContext context, Record<byte[], byte[]> input, String reason) {
        RecordMetadata source = context.recordMetadata().orElse(null);
        return new DeadLetter(
                DeadLetter.CURRENT_VERSION,
                reason,
                source == null ? null : source.topic(),
                source == null ? -1 : source.partition(),
                source == null ? -1 : source.offset(),
                text(input.key()),
                text(input.value()),
                Instant.ofEpochMilli(context.currentSystemTimeMs()));
    }

    /**
     * Sends the rejected outcomes to {@code dlq} and returns the accepted values. {@code name}
     * prefixes the processor names so the topology description stays readable.
     */
    static <T> KStream<String, T> split(
            KStream<String, Outcome<T>> outcomes, String name, Topic<String, DeadLetter> dlq) {
        outcomes.flatMapValues(
                        outcome ->
                                outcome instanceof Outcome.Rejected<T> rejected
                                        ? List.of(rejected.deadLetter())
                                        : List.<DeadLetter>of(),
                        Named.as(name + "-rejected"))
                .to(
                        dlq.name(),
                        Produced.with(dlq.keySerde(), dlq.valueSerde()).withName(name + "-dlq"));
        return outcomes.flatMapValues(
                outcome ->
                        outcome instanceof Outcome.Accepted<T> accepted
                                ? List.of(accepted.value())
                                : List.<T>of(),
                Named.as(name + "-accepted"));
    }

    private static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }
}
