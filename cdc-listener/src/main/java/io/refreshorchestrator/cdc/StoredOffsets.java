package io.refreshorchestrator.cdc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads and clears the position Debezium stored for this listener in the Kafka offsets topic. Keys
 * there are Connect's {@code ["<engine name>",{"server":"<topic prefix>"}]}.
 */
final class StoredOffsets {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Object> clientProperties;
    private final String topic;
    private final String engineName;
    private final String serverName;

    StoredOffsets(Map<String, Object> clientProperties, CdcSettings settings) {
        this.clientProperties = clientProperties;
        this.topic = settings.offsetsTopic();
        this.engineName = settings.engineName();
        this.serverName = settings.topicPrefix();
    }

    /**
     * This listener's stored position.
     *
     * @param key the record key in the offsets topic
     * @param processedLsn Debezium's {@code lsn_proc}: the last LSN whose events were all
     *     processed, where streaming resumes (absent in positions of older versions: then {@code
     *     lsn})
     */
    record Position(byte[] key, Long processedLsn) {}

    /** This listener's stored position, if one is stored (the topic is read to its end). */
    Optional<Position> find(Admin admin, Duration timeout) throws InterruptedException {
        if (!topicExists(admin, timeout)) {
            return Optional.empty();
        }
        var props = new HashMap<>(clientProperties);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, engineName + "-offsets-probe");
        try (var consumer = new KafkaConsumer<byte[], byte[]>(props)) {
            var partitions = new ArrayList<TopicPartition>();
            consumer.partitionsFor(topic, timeout)
                    .forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            var end = consumer.endOffsets(partitions, timeout);
            byte[] latestKey = null;
            byte[] latestValue = null;
            var deadline = Instant.now().plus(timeout);
            while (!reachedEnd(consumer, end)) {
                if (Instant.now().isAfter(deadline)) {
                    throw new CdcException(
                            "Timed out reading offsets topic '" + topic + "' after " + timeout);
                }
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    if (isOurs(record.key())) {
                        latestKey = record.key();
                        latestValue = record.value();
                    }
                }
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException("interrupted while reading offsets");
                }
            }
            return latestValue == null
                    ? Optional.empty()
                    : Optional.of(new Position(latestKey, processedLsn(latestValue)));
        }
    }

    /** Removes the stored position (a tombstone), so Debezium starts from the slot's position. */
    void delete(byte[] key, KafkaProducer<byte[], byte[]> producer, Duration timeout)
            throws InterruptedException {
        try {
            producer.send(new ProducerRecord<>(topic, key, null))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new CdcException(
                    "Cannot clear the stored position in offsets topic '" + topic + "'", e);
        }
    }

    /** {@code lsn_proc}, else {@code lsn}, of a stored position; null when it has neither. */
    static Long processedLsn(byte[] value) {
        try {
            JsonNode node = JSON.readTree(value);
            for (var field : new String[] {"lsn_proc", "lsn"}) {
                if (node.path(field).isIntegralNumber()) {
                    return node.get(field).asLong();
                }
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    boolean isOurs(byte[] key) {
        if (key == null) {
            return false;
        }
        try {
            JsonNode node = JSON.readTree(key);
            return node.isArray()
                    && node.size() == 2
                    && engineName.equals(node.get(0).asText())
                    && serverName.equals(node.get(1).path("server").asText(null));
        } catch (IOException e) {
            return false;
        }
    }

    private boolean topicExists(Admin admin, Duration timeout) throws InterruptedException {
        try {
            return admin.listTopics()
                    .names()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .contains(topic);
        } catch (ExecutionException | TimeoutException e) {
            throw new CdcException("Cannot list Kafka topics: " + e.getMessage(), e);
        }
    }

    private static boolean reachedEnd(
            KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }
}
