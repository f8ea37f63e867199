package io.refreshorchestrator.executor;

import io.refreshorchestrator.events.JsonSerde;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;

/** Reads a whole topic as a downstream consumer would: read_committed, from the beginning. */
final class TopicReader<T> implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final JsonSerde<T> serde;
    private final List<T> values = new ArrayList<>();

    TopicReader(String bootstrapServers, String topic, JsonSerde<T> serde) {
        this.serde = serde;
        this.consumer =
                new KafkaConsumer<>(
                        Map.of(
                                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                bootstrapServers,
                                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                                "read_committed",
                                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                                StringDeserializer.class,
                                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                                ByteArrayDeserializer.class));
        List<TopicPartition> partitions =
                consumer.partitionsFor(topic).stream()
                        .map(info -> new TopicPartition(topic, info.partition()))
                        .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Everything published so far (as far as one short poll sees). */
    List<T> values() {
        consumer.poll(Duration.ofMillis(100)).forEach(r -> values.add(serde.read(r.value())));
        return List.copyOf(values);
    }

    /** Waits for the first value matching {@code matching}. */
    T first(String description, Predicate<T> matching) {
        return Awaitility.await(description)
                .atMost(ExecutorHarness.scaled(Duration.ofSeconds(30)))
                .pollInSameThread()
                .pollInterval(Duration.ofMillis(50))
                .until(() -> values().stream().filter(matching).findFirst(), Optional::isPresent)
                .orElseThrow();
    }

    @Override
    public void close() {
        consumer.close();
    }
}
