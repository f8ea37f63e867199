package io.refreshorchestrator.executor;

import io.refreshorchestrator.logging.Outage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a command's output (its result, or its dead letter) and waits until Kafka acknowledged
 * every record, retrying for as long as it takes: the command's offset is committed only after.
 * Called from worker threads (the producer is thread-safe); the consumer keeps polling meanwhile.
 */
final class OutputPublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OutputPublisher.class);

    private final Producer<String, byte[]> producer;
    private final Backoff backoff;
    private final AtomicBoolean closing;
    private final Outage outage = new Outage(LOG, "Kafka (publishing executor results)");

    OutputPublisher(Producer<String, byte[]> producer, Backoff backoff, AtomicBoolean closing) {
        this.producer = producer;
        this.backoff = backoff;
        this.closing = closing;
    }

    /**
     * Sends the records in order, each once acknowledged (a retry resends only what was not): true
     * once all are, false when the executor started closing first.
     */
    boolean publish(List<ProducerRecord<String, byte[]>> records) {
        List<ProducerRecord<String, byte[]>> pending = new ArrayList<>(records);
        for (int failures = 1; !closing.get(); failures++) {
            try {
                while (!pending.isEmpty()) {
                    producer.send(pending.get(0)).get();
                    pending.remove(0);
                }
                outage.recovered();
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } catch (ExecutionException | KafkaException e) {
                Duration delay = backoff.delayBefore(failures);
                outage.failed(
                        "could not publish to "
                                + pending.get(0).topic()
                                + ": "
                                + (e instanceof ExecutionException ? e.getCause() : e));
                LOG.debug(
                        "could not publish to {} (attempt {}), retrying in {} ms: {}",
                        pending.get(0).topic(),
                        failures,
                        delay.toMillis(),
                        String.valueOf(e instanceof ExecutionException ? e.getCause() : e));
                try {
                    Thread.sleep(delay.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return false;
    }

    @Override
    public void close() {
        try {
            producer.close(Duration.ofSeconds(5));
        } catch (KafkaException e) {
            LOG.warn("producer did not close cleanly: {}", e.toString());
        }
    }
}
