package io.refreshorchestrator.executor;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The commands topic as the executor's one consumer sees it: records one at a time, in offset order
 * per partition, each offset committed on its own.
 *
 * <p>From the moment a record is handed out until the next one is asked for, every assigned
 * partition is paused: the thread can go on polling while it waits (for a refresh, an
 * acknowledgement, a retry delay), which keeps the member in its group under the default {@code
 * max.poll.interval.ms}, without fetching more records meanwhile.
 */
final class CommandStream implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CommandStream.class);

    private final Consumer<String, byte[]> consumer;
    private final String topic;
    private final Duration pollTimeout;
    private final Backoff backoff;
    private final AtomicBoolean closing;
    private final Deque<ConsumerRecord<String, byte[]>> backlog = new ArrayDeque<>();

    /** Next offset to hand out per partition: a record fetched again after a rebalance is not. */
    private final Map<TopicPartition, Long> handledUpTo = new HashMap<>();

    private boolean busy;

    CommandStream(
            Consumer<String, byte[]> consumer,
            String topic,
            Duration pollTimeout,
            Backoff backoff,
            AtomicBoolean closing) {
        this.consumer = consumer;
        this.topic = topic;
        this.pollTimeout = pollTimeout;
        this.backoff = backoff;
        this.closing = closing;
    }

    void subscribe() {
        consumer.subscribe(List.of(topic), new DropRevoked());
    }

    /**
     * The next record to handle, or null when none arrived within the poll timeout. Calling it
     * again means the previous record is done with.
     */
    ConsumerRecord<String, byte[]> next() {
        busy = false;
        // A poll between any two records, even from a full backlog: rebalances are handled (and
        // revoked records dropped) before the next record is handed out.
        poll(backlog.isEmpty() ? pollTimeout : Duration.ZERO);
        ConsumerRecord<String, byte[]> next = takeUnhandled();
        busy = next != null;
        return next;
    }

    /** Waits for {@code future}, polling (paused) meanwhile. Throws WakeupException on close. */
    <T> T pollUntilDone(Future<T> future) throws ExecutionException {
        while (true) {
            if (closing.get()) {
                throw new WakeupException();
            }
            try {
                return future.get(pollTimeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                poll(Duration.ZERO);
            } catch (InterruptedException e) {
                throw new InterruptException(e);
            }
        }
    }

    /** Lets {@code duration} pass while polling, as a sleep that keeps group membership. */
    void pollFor(Duration duration) {
        long deadline = System.nanoTime() + duration.toNanos();
        long remaining;
        while (!closing.get() && (remaining = deadline - System.nanoTime()) > 0) {
            poll(Duration.ofNanos(Math.min(remaining, pollTimeout.toNanos())));
        }
    }

    /**
     * Commits past {@code record}, retrying while the broker is unreachable. Gives up, leaving the
     * record to be redelivered, once its partition belongs to another member.
     */
    void commit(ConsumerRecord<String, byte[]> record) {
        var partition = new TopicPartition(record.topic(), record.partition());
        var offsets = Map.of(partition, new OffsetAndMetadata(record.offset() + 1));
        handledUpTo.merge(partition, record.offset() + 1, Math::max);
        for (int failures = 1; !closing.get(); failures++) {
            if (!consumer.assignment().contains(partition)) {
                LOG.info(
                        "{} was reassigned before offset {} was committed; its new owner runs"
                                + " the command again",
                        partition,
                        record.offset() + 1);
                return;
            }
            try {
                consumer.commitSync(offsets);
                return;
            } catch (WakeupException | InterruptException e) {
                throw e;
            } catch (CommitFailedException e) {
                LOG.warn("commit to {} refused, the group moved on: {}", partition, e.getMessage());
                return;
            } catch (KafkaException e) {
                Duration delay = backoff.delayBefore(failures);
                LOG.warn(
                        "commit to {} failed, retrying in {} ms: {}",
                        partition,
                        delay.toMillis(),
                        e.toString());
                pollFor(delay);
            }
        }
    }

    /** Hands {@code record} out again later: drops what was fetched after it and seeks back. */
    void rewind(ConsumerRecord<String, byte[]> record) {
        var partition = new TopicPartition(record.topic(), record.partition());
        backlog.removeIf(
                r -> r.partition() == record.partition() && r.topic().equals(record.topic()));
        if (consumer.assignment().contains(partition)) {
            consumer.seek(partition, record.offset());
        }
    }

    void wakeup() {
        consumer.wakeup();
    }

    @Override
    public void close() {
        try {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        } catch (KafkaException e) {
            LOG.warn("consumer did not close cleanly: {}", e.toString());
        }
    }

    private void poll(Duration timeout) {
        applyPause();
        consumer.poll(timeout).forEach(backlog::add);
        // Again: partitions assigned during that poll start unpaused.
        applyPause();
    }

    private void applyPause() {
        if (busy || !backlog.isEmpty()) {
            consumer.pause(consumer.assignment());
        } else if (!consumer.paused().isEmpty()) {
            // Only what is still assigned: resuming a partition that is not throws.
            var paused = new HashSet<>(consumer.paused());
            paused.retainAll(consumer.assignment());
            consumer.resume(paused);
        }
    }

    private ConsumerRecord<String, byte[]> takeUnhandled() {
        ConsumerRecord<String, byte[]> record;
        while ((record = backlog.poll()) != null) {
            var partition = new TopicPartition(record.topic(), record.partition());
            if (record.offset() >= handledUpTo.getOrDefault(partition, 0L)) {
                return record;
            }
        }
        return null;
    }

    /** Records of a partition taken away are its new owner's to handle, from the commit on. */
    private final class DropRevoked implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            backlog.removeIf(
                    r -> partitions.contains(new TopicPartition(r.topic(), r.partition())));
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            onPartitionsRevoked(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            // Nothing to do: poll() pauses them again right after when a record is in hand.
        }
    }
}
