package io.refreshorchestrator.cdc;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads one topic from its beginning and keeps every record, for tests to wait on. */
final class TopicTail implements AutoCloseable {

    private final String topic;
    private final KafkaConsumer<String, String> consumer;
    private final List<ConsumerRecord<String, String>> records = new CopyOnWriteArrayList<>();

    TopicTail(String bootstrapServers, String topic) {
        this.topic = topic;
        this.consumer =
                new KafkaConsumer<>(
                        Map.of(
                                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                bootstrapServers,
                                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                                StringDeserializer.class,
                                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                                StringDeserializer.class,
                                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                                false,
                                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG,
                                false));
        var partitions =
                consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                        .map(info -> new TopicPartition(topic, info.partition()))
                        .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Every record read so far, after reading what is available now. */
    List<ConsumerRecord<String, String>> poll() {
        consumer.poll(Duration.ofMillis(20)).forEach(records::add);
        return List.copyOf(records);
    }

    /** Waits until the records read satisfy {@code condition}; returns them. */
    List<ConsumerRecord<String, String>> awaitRecords(
            String description,
            Duration timeout,
            Predicate<List<ConsumerRecord<String, String>>> condition) {
        await(description + " on topic " + topic)
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(5))
                .until(() -> condition.test(poll()));
        return List.copyOf(records);
    }

    List<ConsumerRecord<String, String>> awaitCount(int count, Duration timeout) {
        return awaitRecords(count + " record(s)", timeout, all -> all.size() >= count);
    }

    @Override
    public void close() {
        consumer.close();
    }
}
