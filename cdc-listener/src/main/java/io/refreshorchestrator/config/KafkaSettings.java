package io.refreshorchestrator.config;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How to reach Kafka.
 *
 * @param properties extra client properties applied to every producer, consumer and admin client
 *     (security settings, for example)
 * @param startTimeout how long a starting process waits for an unreachable broker before it gives
 *     up ({@code kafka.start-timeout}, default {@link #DEFAULT_START_TIMEOUT})
 */
public record KafkaSettings(
        String bootstrapServers, Map<String, String> properties, Duration startTimeout) {

    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(60);

    public KafkaSettings {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        properties = properties == null ? Map.of() : Map.copyOf(properties);
        startTimeout = startTimeout == null ? DEFAULT_START_TIMEOUT : startTimeout;
    }

    /** Settings with the default start timeout. */
    public KafkaSettings(String bootstrapServers, Map<String, String> properties) {
        this(bootstrapServers, properties, DEFAULT_START_TIMEOUT);
    }

    public static KafkaSettings of(String bootstrapServers) {
        return new KafkaSettings(bootstrapServers, Map.of());
    }

    /** Never shows secret-looking properties (SASL JAAS configs, key passwords). */
    @Override
    public String toString() {
        return "KafkaSettings[bootstrapServers=%s, properties=%s, startTimeout=%s]"
                .formatted(bootstrapServers, Redaction.redact(properties), startTimeout);
    }
}
