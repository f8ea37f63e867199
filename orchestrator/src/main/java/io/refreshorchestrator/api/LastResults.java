package io.refreshorchestrator.api;

import io.refreshorchestrator.config.KafkaSettings;
import io.refreshorchestrator.events.RefreshResult;
import io.refreshorchestrator.events.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The latest result of each job, read from the results topic from its beginning to its end as a
 * read_committed consumer without a group (nothing is committed, no running consumer is disturbed).
 */
final class LastResults {

    private LastResults() {}

    /**
     * @throws TimeoutException when the topic cannot be read to its end within {@code timeout}
     */
    static Map<String, RefreshResult> read(KafkaSettings kafka, String topic, Duration timeout)
            throws TimeoutException {
        Map<String, Object> props = new HashMap<>(kafka.properties());
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        long deadline = System.nanoTime() + timeout.toNanos();
        var latest = new HashMap<String, RefreshResult>();
        try (var consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic, timeout).stream()
                            .map(info -> new TopicPartition(topic, info.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException(
                            "could not read " + topic + " to its end within " + timeout);
                }
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    keepLatest(latest, record.value());
                }
            }
        }
        return latest;
    }

    private static void keepLatest(Map<String, RefreshResult> latest, byte[] value) {
        RefreshResult result;
        try {
            result = Topics.RESULT_SERDE.read(value);
        } catch (SerializationException e) {
            return; // not ours to judge: status shows what it can read
        }
        if (result == null || result.job() == null) {
            return;
        }
        latest.merge(result.job(), result, LastResults::later);
    }

    /** Results of one job arrive in order on its partition; finishedAt breaks ties anyway. */
    private static RefreshResult later(RefreshResult known, RefreshResult next) {
        if (known.finishedAt() != null
                && next.finishedAt() != null
                && next.finishedAt().isBefore(known.finishedAt())) {
            return known;
        }
        return next;
    }
}
