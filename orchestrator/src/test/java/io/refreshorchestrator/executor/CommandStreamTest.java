package io.refreshorchestrator.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The consumer-side bookkeeping, on Kafka's own in-memory consumer. */
class CommandStreamTest {

    private static final String TOPIC = "refresh-commands";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);

    private final MockConsumer<String, byte[]> consumer = new MockConsumer<>("earliest");
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CommandStream stream =
            new CommandStream(
                    consumer,
                    TOPIC,
                    Duration.ofMillis(10),
                    new Backoff(Duration.ofMillis(1), Duration.ofMillis(2), new java.util.Random()),
                    closing);

    @BeforeEach
    void assignTwoPartitions() {
        stream.subscribe();
        consumer.rebalance(List.of(P0, P1));
        consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
    }

    private void add(TopicPartition partition, long offset) {
        consumer.addRecord(
                new ConsumerRecord<>(TOPIC, partition.partition(), offset, "k", new byte[] {'{'}));
    }

    @Test
    void shouldHandOutRecordsInOrderWithPartitionsPausedMeanwhile() {
        // given
        add(P0, 0);
        add(P0, 1);

        // when / then
        ConsumerRecord<String, byte[]> first = stream.next();
        assertThat(first.offset()).isZero();
        assertThat(consumer.paused()).containsExactlyInAnyOrder(P0, P1);
        stream.commit(first);
        assertThat(stream.next().offset()).isEqualTo(1);
        assertThat(consumer.paused()).containsExactlyInAnyOrder(P0, P1);

        // and once nothing is in hand, fetching resumes
        assertThat(stream.next()).isNull();
        assertThat(consumer.paused()).isEmpty();
    }

    @Test
    void shouldCommitTheOffsetAfterTheRecord() {
        add(P1, 5);

        stream.commit(stream.next());

        assertThat(consumer.committed(Set.of(P1)).get(P1).offset()).isEqualTo(6);
    }

    @Test
    void shouldNotCommitForAPartitionReassignedDuringTheRun() {
        // given
        add(P0, 0);
        ConsumerRecord<String, byte[]> inHand = stream.next();

        // when: the group gives P0 to another member before the result is acknowledged
        consumer.rebalance(List.of(P1));
        stream.commit(inHand);

        // then: its new owner runs the command again from the last commit
        assertThat(consumer.committed(Set.of(P0))).doesNotContainKey(P0);
    }

    @Test
    void shouldDropFetchedRecordsOfARevokedPartition() {
        // given: records of both partitions fetched, one in hand
        add(P0, 0);
        add(P0, 1);
        add(P1, 0);
        stream.next();

        // when
        consumer.rebalance(List.of(P1));

        // then
        ConsumerRecord<String, byte[]> next = stream.next();
        assertThat(next.partition()).isEqualTo(1);
        assertThat(stream.next()).isNull();
    }

    @Test
    void shouldNotHandOutAgainARecordFetchedAgainAfterItsCommit() {
        // given
        add(P0, 0);
        stream.commit(stream.next());

        // when: a rebalance made the consumer fetch it again
        add(P0, 0);
        add(P0, 1);

        // then
        assertThat(stream.next().offset()).isEqualTo(1);
    }

    @Test
    void shouldSeekBackToTheRecordInHandOnRewind() {
        add(P0, 0);
        add(P0, 1);
        ConsumerRecord<String, byte[]> inHand = stream.next();

        stream.rewind(inHand);

        assertThat(consumer.position(P0)).isZero();
    }

    @Test
    void shouldKeepPollingWhileWaitingAndStopWhenClosing() throws Exception {
        // given: a run that is not done
        var run = new CompletableFuture<String>();
        consumer.schedulePollTask(() -> run.complete("done"));

        // then: a poll happens while waiting, which is what completes it here
        assertThat(stream.pollUntilDone(run)).isEqualTo("done");

        // when
        closing.set(true);

        // then
        assertThatThrownBy(() -> stream.pollUntilDone(new CompletableFuture<>()))
                .isInstanceOf(WakeupException.class);
    }
}
