package io.refreshorchestrator.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ChangePublisherTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final MockProducer<String, String> producer =
            new MockProducer<>(false, null, new StringSerializer(), new StringSerializer());
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile boolean closing;
    private final CompletableFuture<Void> markGate = CompletableFuture.completedFuture(null);
    private final RecordingCommitter committer = new RecordingCommitter();
    private final Event first = new Event("cdc.public.plays", "{\"id\":1}", "{\"op\":\"c\"}");
    private final Event second = new Event("cdc.public.plays", "{\"id\":2}", "{\"op\":\"u\"}");
    private Thread handler;
    private volatile RuntimeException thrown;

    @AfterEach
    void stopHandler() throws InterruptedException {
        closing = true;
        closed.countDown();
        if (handler != null) {
            handler.join(WAIT.toMillis());
        }
    }

    @Test
    void shouldMarkProcessedOnlyAfterKafkaAcknowledged() {
        // given
        handle(publisher(markGate), List.of(first, second));
        await("both events sent").atMost(WAIT).until(() -> producer.history().size() == 2);

        // when / then: sent, not yet acknowledged, so nothing marked
        assertThat(committer.marked).isEmpty();
        producer.completeNext();
        assertThat(committer.marked).as("one of two acknowledged").isEmpty();
        producer.completeNext();

        // then
        await("batch handled").atMost(WAIT).until(() -> !handler.isAlive());
        assertThat(committer.marked).containsExactly(first, second);
        assertThat(committer.batchFinished).isTrue();
        var sent = producer.history().get(0);
        assertThat(sent.topic()).isEqualTo("cdc.public.plays");
        assertThat(sent.key()).isEqualTo("{\"id\":1}");
        assertThat(sent.value()).isEqualTo("{\"op\":\"c\"}");
    }

    @Test
    void shouldRetryAFailedSendUntilKafkaAcknowledgesIt() {
        // given
        handle(publisher(markGate), List.of(first, second));
        await("both events sent").atMost(WAIT).until(() -> producer.history().size() == 2);

        // when: the first send fails, the second succeeds
        producer.errorNext(new TimeoutException("broker unavailable"));
        producer.completeNext();

        // then: the failed one is sent again, nothing is marked before it is acknowledged
        await("failed event sent again").atMost(WAIT).until(() -> producer.history().size() == 3);
        assertThat(producer.history().get(2).key()).isEqualTo(first.key());
        assertThat(committer.marked).isEmpty();
        producer.completeNext();
        await("batch handled").atMost(WAIT).until(() -> !handler.isAlive());
        assertThat(committer.marked).containsExactly(first, second);
    }

    @Test
    void shouldLeaveUnacknowledgedEventsUnmarkedWhenClosing() {
        // given
        handle(publisher(markGate), List.of(first, second));
        await("both events sent").atMost(WAIT).until(() -> producer.history().size() == 2);

        // when: the first is acknowledged, the second fails, then the listener closes
        producer.completeNext();
        producer.errorNext(new TimeoutException("broker unavailable"));
        closing = true;
        closed.countDown();

        // then: only the acknowledged prefix is marked, the batch is not finished
        await("handler returns on close").atMost(WAIT).until(() -> !handler.isAlive());
        assertThat(committer.marked).containsExactly(first);
        assertThat(committer.batchFinished).isFalse();
    }

    @Test
    void shouldMarkNothingBeyondTheFirstUnacknowledgedEvent() {
        // given
        handle(publisher(markGate), List.of(first, second));
        await("both events sent").atMost(WAIT).until(() -> producer.history().size() == 2);

        // when: the first fails, the second is acknowledged, then the listener closes
        producer.errorNext(new TimeoutException("broker unavailable"));
        producer.completeNext();
        closing = true;
        closed.countDown();

        // then: marking the second would store a position covering the first
        await("handler returns on close").atMost(WAIT).until(() -> !handler.isAlive());
        assertThat(committer.marked).isEmpty();
    }

    @Test
    void shouldFailTheBatchInsteadOfRetryingWhenKafkaDeniesWrite() {
        // given
        handle(publisher(markGate), List.of(first, second));
        await("both events sent").atMost(WAIT).until(() -> producer.history().size() == 2);

        // when: the first is acknowledged, the second is refused for want of an ACL
        producer.completeNext();
        producer.errorNext(new TopicAuthorizationException(Set.of("cdc.public.plays")));

        // then: no retry; the batch fails with a permanent error naming the topic and operation
        await("handler gives up").atMost(WAIT).until(() -> !handler.isAlive());
        assertThat(producer.history()).as("not sent again").hasSize(2);
        assertThat(thrown)
                .isInstanceOf(KafkaAccessDeniedException.class)
                .hasMessageContaining("[cdc.public.plays]")
                .hasMessageContaining("WRITE")
                .hasMessageContaining("Not authorized to access topics")
                .hasRootCauseInstanceOf(TopicAuthorizationException.class);
        assertThat(CdcException.isPermanent(thrown)).isTrue();
        // and only the acknowledged prefix is marked: the refused event is captured again
        assertThat(committer.marked).containsExactly(first);
        assertThat(committer.batchFinished).isFalse();
    }

    @Test
    void shouldHoldEventsUntilThePendingSignalIsAcknowledged() {
        // given
        var gate = new CompletableFuture<Void>();
        handle(publisher(gate), List.of(first));

        // when / then
        await("handler waits at the gate")
                .during(Duration.ofMillis(200))
                .atMost(WAIT)
                .until(() -> producer.history().isEmpty() && handler.isAlive());
        gate.complete(null);
        await("event sent").atMost(WAIT).until(() -> producer.history().size() == 1);
        producer.completeNext();
        await("batch handled").atMost(WAIT).until(() -> !handler.isAlive());
        assertThat(committer.marked).containsExactly(first);
    }

    private ChangePublisher publisher(CompletableFuture<Void> gate) {
        return new ChangePublisher(
                producer,
                () -> closing,
                closed,
                new ChangePublisher.Backoff(Duration.ofMillis(10), Duration.ofMillis(50)),
                gate);
    }

    private void handle(ChangePublisher publisher, List<ChangeEvent<String, String>> records) {
        handler =
                new Thread(
                        () -> {
                            try {
                                publisher.handleBatch(records, committer);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            } catch (RuntimeException e) {
                                thrown = e;
                            }
                        });
        handler.start();
    }

    private record Event(String destination, String key, String value)
            implements ChangeEvent<String, String> {
        @Override
        public Integer partition() {
            return null;
        }
    }

    private static final class RecordingCommitter
            implements DebeziumEngine.RecordCommitter<ChangeEvent<String, String>> {
        final List<ChangeEvent<String, String>> marked = new CopyOnWriteArrayList<>();
        volatile boolean batchFinished;

        @Override
        public void markProcessed(ChangeEvent<String, String> record) {
            marked.add(record);
        }

        @Override
        public void markBatchFinished() {
            batchFinished = true;
        }

        @Override
        public void markProcessed(
                ChangeEvent<String, String> record, DebeziumEngine.Offsets offsets) {
            marked.add(record);
        }

        @Override
        public DebeziumEngine.Offsets buildOffsets() {
            throw new UnsupportedOperationException();
        }
    }
}
