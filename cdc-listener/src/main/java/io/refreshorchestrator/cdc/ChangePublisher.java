package io.refreshorchestrator.cdc;

import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import io.refreshorchestrator.logging.Outage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends Debezium's change events to Kafka and marks them processed only once Kafka acknowledged
 * them, so a committed offset never covers an event Kafka does not hold. A failed send is retried
 * with backoff until it succeeds or the listener closes; on close, unacknowledged events stay
 * unmarked and are replayed by the next run. A send Kafka refuses for want of an ACL (or for
 * rejected credentials) is not retried: the batch fails with a {@link KafkaAccessDeniedException},
 * which fails capture until an operator grants it.
 */
final class ChangePublisher implements DebeziumEngine.ChangeConsumer<ChangeEvent<String, String>> {

    private static final Logger LOG = LoggerFactory.getLogger(ChangePublisher.class);

    private final Producer<String, String> producer;
    private final BooleanSupplier closing;
    private final CountDownLatch closed;
    private final Backoff backoff;
    private final Outage delivery = new Outage(LOG, "Kafka (publishing change events)");
    private final CompletableFuture<Void> markGate;
    private java.util.function.Consumer<java.time.Instant> eventCommitted = commitTime -> {};
    private String heartbeatTopic;

    /**
     * @param closing whether the listener is closing (stop retrying)
     * @param closed released when the listener closes, to cut a backoff wait short
     * @param markGate completed once nothing may be marked processed before it: a pending capture
     *     reset signal must be acknowledged before any position is stored, or a crash in between
     *     would lose the signal for good
     */
    ChangePublisher(
            Producer<String, String> producer,
            BooleanSupplier closing,
            CountDownLatch closed,
            Backoff backoff,
            CompletableFuture<Void> markGate) {
        this.producer = producer;
        this.closing = closing;
        this.closed = closed;
        this.backoff = backoff;
        this.markGate = markGate;
    }

    /**
     * Reports the commit time of the last change event of each acknowledged batch (heartbeats on
     * {@code heartbeatTopic} are not changes).
     */
    ChangePublisher onEventCommitted(
            java.util.function.Consumer<java.time.Instant> listener, String heartbeatTopic) {
        this.eventCommitted = listener;
        this.heartbeatTopic = heartbeatTopic;
        return this;
    }

    @Override
    public void handleBatch(
            List<ChangeEvent<String, String>> records,
            DebeziumEngine.RecordCommitter<ChangeEvent<String, String>> committer)
            throws InterruptedException {
        if (!awaitMarkGate()) {
            return;
        }
        var acknowledged = new boolean[records.size()];
        var unacknowledged = new ArrayList<Integer>();
        for (int i = 0; i < records.size(); i++) {
            unacknowledged.add(i);
        }
        for (int attempt = 1; !unacknowledged.isEmpty(); attempt++) {
            var futures = new ArrayList<Future<RecordMetadata>>(unacknowledged.size());
            for (int index : unacknowledged) {
                futures.add(send(records.get(index)));
            }
            var failed = new ArrayList<Integer>();
            Throwable lastError = null;
            for (int i = 0; i < futures.size(); i++) {
                try {
                    if (!awaitAcknowledgement(futures.get(i))) {
                        LOG.warn(
                                "Closing while Kafka has not acknowledged all change events; the"
                                        + " unacknowledged ones will be captured again on restart");
                        markAcknowledgedPrefix(records, acknowledged, committer);
                        return;
                    }
                    acknowledged[unacknowledged.get(i)] = true;
                } catch (ExecutionException e) {
                    failed.add(unacknowledged.get(i));
                    lastError = e.getCause();
                }
            }
            unacknowledged = failed;
            if (failed.isEmpty()) {
                break;
            }
            if (KafkaAccessDeniedException.denial(lastError).isPresent()) {
                // Retrying cannot fix a missing ACL: capture fails (permanent, re-checked once a
                // minute); the unacknowledged events stay unmarked and are captured again.
                markAcknowledgedPrefix(records, acknowledged, committer);
                throw (KafkaAccessDeniedException)
                        KafkaAccessDeniedException.explain(
                                "Publishing change events (Kafka operation WRITE)", lastError);
            }
            var delay = backoff.delay(attempt);
            if (closing.getAsBoolean()) {
                LOG.warn(
                        "Closing with {} change event(s) Kafka did not acknowledge ({}); they are not"
                                + " marked processed and will be captured again on restart",
                        failed.size(),
                        lastError.toString());
                markAcknowledgedPrefix(records, acknowledged, committer);
                return;
            }
            // one WARN per outage, not per attempt: the broker watch says the same
            delivery.failed(
                    "Kafka did not acknowledge "
                            + failed.size()
                            + " of "
                            + records.size()
                            + " change event(s): "
                            + lastError);
            LOG.debug(
                    "Kafka did not acknowledge {} of {} change event(s) (attempt {}): {}; retrying in {} ms",
                    failed.size(),
                    records.size(),
                    attempt,
                    lastError.toString(),
                    delay.toMillis());
            if (closed.await(delay.toMillis(), TimeUnit.MILLISECONDS)) {
                markAcknowledgedPrefix(records, acknowledged, committer);
                LOG.warn(
                        "Closing with {} change event(s) unacknowledged; they will be captured again",
                        failed.size());
                return;
            }
        }
        delivery.recovered();
        for (var record : records) {
            committer.markProcessed(record);
        }
        committer.markBatchFinished();
        reportLastCommitTime(records);
    }

    private void reportLastCommitTime(List<ChangeEvent<String, String>> records) {
        for (int i = records.size() - 1; i >= 0; i--) {
            var record = records.get(i);
            if (record.value() != null && !record.destination().equals(heartbeatTopic)) {
                SourceCommitTime.of(record.value()).ifPresent(eventCommitted);
                return;
            }
        }
    }

    /**
     * Waits for Kafka's answer to one send; false when the listener closes first (a send can take
     * up to the producer's delivery timeout while the broker is down).
     */
    private boolean awaitAcknowledgement(Future<RecordMetadata> future)
            throws ExecutionException, InterruptedException {
        while (true) {
            try {
                future.get(100, TimeUnit.MILLISECONDS);
                return true;
            } catch (java.util.concurrent.TimeoutException notYet) {
                if (closing.getAsBoolean()) {
                    return false;
                }
            }
        }
    }

    /** Waits for the gate; false when the listener closes first (nothing gets marked). */
    private boolean awaitMarkGate() throws InterruptedException {
        while (!markGate.isDone()) {
            if (closed.await(50, TimeUnit.MILLISECONDS)) {
                return false;
            }
        }
        return !markGate.isCompletedExceptionally();
    }

    @Override
    public boolean supportsTombstoneEvents() {
        return true;
    }

    private Future<RecordMetadata> send(ChangeEvent<String, String> record) {
        try {
            return producer.send(
                    new ProducerRecord<>(
                            record.destination(),
                            record.partition(),
                            record.key(),
                            record.value()));
        } catch (RuntimeException e) {
            // send() throws synchronously when metadata is unavailable for max.block.ms, for
            // example.
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Marks the records up to the first unacknowledged one: later offsets would cover it. */
    private static void markAcknowledgedPrefix(
            List<ChangeEvent<String, String>> records,
            boolean[] acknowledged,
            DebeziumEngine.RecordCommitter<ChangeEvent<String, String>> committer)
            throws InterruptedException {
        for (int i = 0; i < records.size() && acknowledged[i]; i++) {
            committer.markProcessed(records.get(i));
        }
    }

    /** Exponential backoff between retries. */
    record Backoff(Duration initial, Duration max) {
        Duration delay(int attempt) {
            long millis = initial.toMillis() << Math.min(attempt - 1, 20);
            return Duration.ofMillis(Math.min(millis, max.toMillis()));
        }
    }
}
