package io.refreshorchestrator.cdc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a {@link CaptureSignal} and waits until Kafka acknowledged it, retrying meanwhile; a
 * missing ACL is not retried but a {@link KafkaAccessDeniedException}.
 */
final class SignalPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(SignalPublisher.class);

    /** The JSON shape of signals: ISO-8601 instants. */
    static final ObjectMapper JSON =
            JsonMapper.builder()
                    .addModule(new JavaTimeModule())
                    .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                    .build();

    private final Producer<String, String> producer;
    private final String topic;
    private final BooleanSupplier closing;
    private final CountDownLatch closed;
    private final ChangePublisher.Backoff backoff;

    SignalPublisher(
            Producer<String, String> producer,
            String topic,
            BooleanSupplier closing,
            CountDownLatch closed,
            ChangePublisher.Backoff backoff) {
        this.producer = producer;
        this.topic = topic;
        this.closing = closing;
        this.closed = closed;
        this.backoff = backoff;
    }

    /**
     * Publishes {@code signal} keyed by its slot.
     *
     * @return true once acknowledged; false when the listener closed first
     */
    boolean publish(CaptureSignal signal) throws InterruptedException {
        var value = toJson(signal);
        for (int attempt = 1; !closing.getAsBoolean(); attempt++) {
            try {
                var metadata =
                        producer.send(new ProducerRecord<>(topic, signal.slot(), value)).get();
                LOG.info(
                        "Published capture reset ({}) for {} to {}-{}@{}",
                        signal.reason(),
                        signal.tables(),
                        metadata.topic(),
                        metadata.partition(),
                        metadata.offset());
                return true;
            } catch (ExecutionException | RuntimeException e) {
                var cause = e instanceof ExecutionException ? e.getCause() : e;
                if (KafkaAccessDeniedException.denial(cause).isPresent()) {
                    throw (KafkaAccessDeniedException)
                            KafkaAccessDeniedException.explain(
                                    "Publishing the capture reset signal to '"
                                            + topic
                                            + "' (Kafka operation WRITE)",
                                    cause);
                }
                var delay = backoff.delay(attempt);
                LOG.warn(
                        "Kafka did not acknowledge the capture reset signal (attempt {}): {}; retrying in {} ms",
                        attempt,
                        cause.toString(),
                        delay.toMillis());
                if (closed.await(delay.toMillis(), TimeUnit.MILLISECONDS)) {
                    break;
                }
            }
        }
        return false;
    }

    static String toJson(CaptureSignal signal) {
        try {
            return JSON.writeValueAsString(signal);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("CaptureSignal is always serializable", e);
        }
    }
}
