package io.refreshorchestrator.executor;

import io.refreshorchestrator.config.KafkaSettings;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Client configurations of the executor. The user's extra properties (security, for example) go
 * over the tunable defaults, and under the settings correctness depends on.
 */
final class KafkaClients {

    /** Suffix of the instance id in the executor's {@code group.instance.id}. */
    static final String MEMBER_SUFFIX = "-executor";

    static final int SESSION_TIMEOUT_MILLIS = 10_000;
    static final int HEARTBEAT_INTERVAL_MILLIS = 2_000;

    private KafkaClients() {}

    static Map<String, Object> consumerConfig(KafkaSettings kafka, ExecutorSettings settings) {
        Map<String, Object> config = new HashMap<>();
        // Commands published before the group's first start are still commands to run.
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // Records wait in per-job lanes in memory; a backlog for one job is mostly coalesced.
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
        // Chosen as for the topology (StreamsSettings.SESSION_TIMEOUT_MILLIS): a dead instance's
        // partitions move after 10 s; a restart with the same instance id takes them back at once.
        config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, SESSION_TIMEOUT_MILLIS);
        config.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, HEARTBEAT_INTERVAL_MILLIS);
        config.putAll(kafka.properties());
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
        settings.instanceId()
                .ifPresent(
                        id ->
                                config.put(
                                        ConsumerConfig.GROUP_INSTANCE_ID_CONFIG,
                                        id + MEMBER_SUFFIX));
        // Commands from aborted transactions (the topology runs exactly-once) must never run.
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // Offsets are committed by hand, only after the record's outcome is acknowledged.
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        // Bytes, so that a record which is not a valid command reaches the dead-letter topic
        // instead of failing inside poll().
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return config;
    }

    static Map<String, Object> producerConfig(KafkaSettings kafka) {
        Map<String, Object> config = new HashMap<>();
        // Bounded waits: the loop retries a failed publish itself, and keeps polling in between.
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        config.putAll(kafka.properties());
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        // A result is acknowledged only once every in-sync replica has it, written once.
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return config;
    }
}
