package io.refreshorchestrator.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaSectionTest {

    private static final String YAML =
            """
            kafka:
              bootstrap-servers: broker:9093
              properties:
                security.protocol: SASL_SSL
                sasl.mechanism: SCRAM-SHA-512
                sasl.jaas.config: >-
                  org.apache.kafka.common.security.scram.ScramLoginModule required
                  username="orchestrator" password="${env:KAFKA_PASSWORD}";
                ssl.truststore.password: ${env:TRUSTSTORE_PASSWORD}
            """;

    @Test
    void shouldReadSecretsOfClientPropertiesFromTheEnvironment() {
        // given
        var reader =
                ConfigReader.fromYaml(
                        YAML,
                        "test",
                        Map.of("KAFKA_PASSWORD", "s3cr$t\\x", "TRUSTSTORE_PASSWORD", "changeit"));

        // when
        var kafka = KafkaSection.read(reader).orElseThrow();

        // then
        assertThat(reader.problems()).isEmpty();
        assertThat(kafka.properties())
                .containsEntry(
                        "sasl.jaas.config",
                        "org.apache.kafka.common.security.scram.ScramLoginModule required"
                                + " username=\"orchestrator\" password=\"s3cr$t\\x\";")
                .containsEntry("ssl.truststore.password", "changeit")
                .containsEntry("security.protocol", "SASL_SSL");
        assertThat(kafka.toString()).doesNotContain("s3cr$t").doesNotContain("changeit");
    }

    @Test
    void shouldNameAMissingVariableWithoutShowingAnyValue() {
        // given
        var reader = ConfigReader.fromYaml(YAML, "test", Map.of("KAFKA_PASSWORD", "s3cret"));

        // when
        KafkaSection.read(reader);

        // then
        assertThat(reader.problems())
                .containsExactly(
                        "kafka.properties.ssl.truststore.password: environment variable"
                                + " TRUSTSTORE_PASSWORD is not set");
    }
}
