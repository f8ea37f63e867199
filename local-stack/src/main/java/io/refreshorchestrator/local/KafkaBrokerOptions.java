package io.refreshorchestrator.local;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How a {@link KafkaBroker} is started: broker properties that override the single-node defaults,
 * the child JVM's options, and how long the start may take.
 *
 * @param brokerProperties {@code server.properties} entries that override the single-node defaults
 *     or add to them, e.g. {@code transaction.max.timeout.ms}
 * @param jvmOptions options of the broker's JVM, {@code -Xmx512m} by default
 * @param startTimeout how long to wait for the broker to answer admin calls
 * @param saslSslListener a SASL_SSL listener next to the PLAINTEXT one; null: PLAINTEXT only
 */
public record KafkaBrokerOptions(
        Map<String, String> brokerProperties,
        List<String> jvmOptions,
        Duration startTimeout,
        SaslSslListener saslSslListener) {

    public KafkaBrokerOptions {
        brokerProperties = Map.copyOf(brokerProperties);
        jvmOptions = List.copyOf(jvmOptions);
        Objects.requireNonNull(startTimeout, "startTimeout");
    }

    /** Kafka's single-node defaults, a 512 MB heap, 60 s to start. */
    public static KafkaBrokerOptions defaults() {
        return new KafkaBrokerOptions(
                Map.of(),
                List.of(
                        "-Xms64m",
                        "-Xmx512m",
                        "-XX:+ExitOnOutOfMemoryError",
                        "-Djava.awt.headless=true"),
                Duration.ofSeconds(60),
                null);
    }

    /** Adds or replaces one broker property. */
    public KafkaBrokerOptions withBrokerProperty(String name, String value) {
        var copy = new LinkedHashMap<>(brokerProperties);
        copy.put(name, Objects.requireNonNull(value, "value"));
        return new KafkaBrokerOptions(copy, jvmOptions, startTimeout, saslSslListener);
    }

    public KafkaBrokerOptions withJvmOptions(List<String> jvmOptions) {
        return new KafkaBrokerOptions(brokerProperties, jvmOptions, startTimeout, saslSslListener);
    }

    public KafkaBrokerOptions withStartTimeout(Duration startTimeout) {
        return new KafkaBrokerOptions(brokerProperties, jvmOptions, startTimeout, saslSslListener);
    }

    /** Adds a SASL_SSL listener (SCRAM over TLS) next to the PLAINTEXT one. */
    public KafkaBrokerOptions withSaslSslListener(SaslSslListener listener) {
        return new KafkaBrokerOptions(
                brokerProperties,
                jvmOptions,
                startTimeout,
                Objects.requireNonNull(listener, "listener"));
    }
}
