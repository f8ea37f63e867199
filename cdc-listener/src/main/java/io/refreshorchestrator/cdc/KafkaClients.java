package io.refreshorchestrator.cdc;

import io.refreshorchestrator.config.KafkaSettings;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** The Kafka clients of the listener, all built from {@link KafkaSettings}. */
final class KafkaClients {

    private KafkaClients() {}

    /** Bootstrap servers plus the extra client properties (security settings, for example). */
    static Map<String, Object> common(KafkaSettings kafka) {
        var props = new HashMap<String, Object>(kafka.properties());
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        return props;
    }

    static Admin admin(KafkaSettings kafka, String clientId) {
        var props = common(kafka);
        props.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
        return Admin.create(props);
    }

    /**
     * The producer of change events and signals: idempotent, acknowledged by all in-sync replicas,
     * no batching delay worth mentioning (capture latency matters more than batch size).
     */
    static KafkaProducer<String, String> eventProducer(KafkaSettings kafka, String clientId) {
        var props = reliable(kafka, clientId);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        return new KafkaProducer<>(props);
    }

    /** A producer of raw records (tombstones in the offsets topic). */
    static KafkaProducer<byte[], byte[]> bytesProducer(KafkaSettings kafka, String clientId) {
        var props = reliable(kafka, clientId);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return new KafkaProducer<>(props);
    }

    private static Map<String, Object> reliable(KafkaSettings kafka, String clientId) {
        var props = common(kafka);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        // Fail a send within a minute so the publisher's retry loop logs and retries it, and
        // never block a caller longer than 10 s on missing metadata (close stays responsive).
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        return props;
    }
}
