package io.refreshorchestrator.config;

import java.util.Map;
import java.util.Objects;

/**
 * How to reach Kafka.
 *
 * @param properties extra client properties applied to every producer, consumer and admin client
 *     (security settings, for example)
 */
public record KafkaSettings(String bootstrapServers, Map<String, String> properties) {

    public KafkaSettings {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        properties = properties == null ? Map.of() : Map.copyOf(properties);
    }

    public static KafkaSettings of(String bootstrapServers) {
        return new KafkaSettings(bootstrapServers, Map.of());
    }

    /** Never shows secret-looking properties (SASL JAAS configs, key passwords). */
    @Override
    public String toString() {
        return "KafkaSettings[bootstrapServers=%s, properties=%s]"
                .formatted(bootstrapServers, Redaction.redact(properties));
    }
}
