package io.refreshorchestrator.app;

import static org.awaitility.Awaitility.await;

import io.refreshorchestrator.events.JsonSerde;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads one topic from the beginning, as a read_committed consumer, into a list the test can
 * inspect while records keep arriving.
 */
final class TopicTail<T> implements AutoCloseable {

    private final List<T> records = new CopyOnWriteArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger unreadable = new AtomicInteger();
    private final Thread thread;

    TopicTail(String bootstrapServers, String topic, JsonSerde<T> serde) {
        this(bootstrapServers, topic, serde::read);
    }

    /** A tail of a topic whose values {@code reader} reads (null stays null). */
    TopicTail(String bootstrapServers, String topic, Function<byte[], T> reader) {
        var consumer =
                new KafkaConsumer<>(
                        Map.<String, Object>of(
                                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                bootstrapServers,
                                ConsumerConfig.GROUP_ID_CONFIG,
                                "tail-" + UUID.randomUUID(),
                                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                                "earliest",
                                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                                "read_committed"),
                        new StringDeserializer(),
                        new ByteArrayDeserializer());
        thread =
                new Thread(
                        () -> {
                            try (consumer) {
                                consumer.subscribe(List.of(topic));
                                while (running.get()) {
                                    for (var record : consumer.poll(Duration.ofMillis(100))) {
                                        read(reader, record.value());
                                    }
                                }
                            }
                        },
                        "tail-" + topic);
        thread.setDaemon(true);
        thread.start();
    }

    private void read(Function<byte[], T> reader, byte[] value) {
        try {
            records.add(reader.apply(value));
        } catch (SerializationException e) {
            // tests publish malformed records on purpose; the tail keeps the readable ones
            unreadable.incrementAndGet();
        }
    }

    /** How many records could not be read. */
    int unreadable() {
        return unreadable.get();
    }

    List<T> all() {
        return List.copyOf(records);
    }

    List<T> matching(Predicate<? super T> filter) {
        return records.stream().filter(filter).toList();
    }

    /**
     * Waits up to {@code timeout} until a record matches {@code filter} and returns the first one.
     *
     * @param description what is awaited, for the timeout message
     */
    T awaitFirst(String description, Duration timeout, Predicate<? super T> filter) {
        return await(description)
                .atMost(timeout)
                .until(() -> matching(filter), found -> !found.isEmpty())
                .get(0);
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(10_000);
    }
}
