package io.refreshorchestrator.api;

import io.refreshorchestrator.config.KafkaSettings;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a topic up to its current end as a read_committed consumer without a group (nothing is
 * committed, no running consumer is disturbed), for the reports of the CLI.
 */
final class TopicScan {

    private TopicScan() {}

    /**
     * Hands every record value of {@code topic} (at most the last {@code lastPerPartition} of each
     * partition) to {@code values}, in offset order per partition.
     *
     * @throws TimeoutException when the topic cannot be read to its end within {@code timeout}
     */
    static void read(
            KafkaSettings kafka,
            String topic,
            long lastPerPartition,
            Duration timeout,
            Consumer<byte[]> values)
            throws TimeoutException {
        Map<String, Object> props = new HashMap<>(kafka.properties());
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        long deadline = System.nanoTime() + timeout.toNanos();
        try (var consumer =
                new KafkaConsumer<>(
                        props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic, timeout).stream()
                            .map(info -> new TopicPartition(topic, info.partition()))
                            .toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions, timeout);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            for (var partition : partitions) {
                consumer.seek(
                        partition,
                        Math.max(begin.get(partition), end.get(partition) - lastPerPartition));
            }
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException(
                            "could not read " + topic + " to its end within " + timeout);
                }
                consumer.poll(Duration.ofMillis(200))
                        .forEach(record -> values.accept(record.value()));
            }
        }
    }
}
