package io.refreshorchestrator.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The containers backend without a Docker engine: it refuses at once with what to do, its
 * containers get the local services' settings, and what it cannot do fails clearly.
 */
class ContainerStackTest {

    @Test
    void shouldFailClearlyWhenNoDockerEngineIsReachable() {
        assertThatThrownBy(
                        () ->
                                ContainerStack.start(
                                        KafkaBrokerOptions.defaults(),
                                        PostgresOptions.defaults(),
                                        () -> false))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("-Dstack=containers")
                .hasMessageContaining("no Docker engine")
                .hasMessageContaining("run without -Dstack to use the local backend");
    }

    @Test
    void shouldStartPostgres15WithLogicalDecodingListeningInTheContainer() {
        var container =
                PostgresContainerRuntime.configure(
                        new PostgreSQLContainer<>(PostgresContainerRuntime.IMAGE),
                        PostgresOptions.defaults().withSetting("max_connections", "200"));

        assertThat(List.of(container.getCommandParts()))
                .startsWith("postgres")
                .containsSubsequence("-c", "wal_level=logical")
                .containsSubsequence("-c", "listen_addresses=*")
                .containsSubsequence("-c", "max_connections=200");
        assertThat(container.getUsername()).isEqualTo("postgres");
        assertThat(container.getEnvMap()).containsEntry("POSTGRES_HOST_AUTH_METHOD", "trust");
    }

    @Test
    void shouldStartKafkaWithSingleNodeTransactionsAndTheOptionsBrokerProperties() {
        var container =
                KafkaContainerRuntime.configure(
                        new KafkaContainer(KafkaContainerRuntime.IMAGE),
                        KafkaBrokerOptions.defaults()
                                .withBrokerProperty("transaction.max.timeout.ms", "60000"));

        assertThat(container.getEnvMap())
                .containsEntry("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1")
                .containsEntry("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1")
                .containsEntry("KAFKA_TRANSACTION_MAX_TIMEOUT_MS", "60000");
    }

    @Test
    void shouldRunTheBrokerVersionOfTheProjectsKafkaClients() {
        assertThat(KafkaContainerRuntime.IMAGE)
                .isEqualTo("apache/kafka:" + AppInfoParser.getVersion());
    }

    @Test
    void shouldRefuseWhatAContainerCannotDoInsteadOfIgnoringIt(@TempDir Path dir) {
        var kafka =
                KafkaBroker.of(
                        new KafkaContainerRuntime(
                                new KafkaContainer(KafkaContainerRuntime.IMAGE),
                                dir.resolve("kafka")));
        var postgres =
                PostgresServer.of(
                        new PostgresContainerRuntime(
                                new PostgreSQLContainer<>(PostgresContainerRuntime.IMAGE),
                                dir.resolve("postgres")));

        assertThatThrownBy(kafka::kill)
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessage(
                        "kill -9 of the Kafka broker is not supported by the containers test"
                                + " stack (-Dstack=containers): a test that needs it runs with"
                                + " the local backend (the default, no -Dstack)");
        assertThatThrownBy(kafka::stop).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(kafka::restart).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(postgres::stop)
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageStartingWith("Stopping PostgreSQL is not supported");
        assertThatThrownBy(postgres::restart).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(
                        () ->
                                KafkaContainerRuntime.start(
                                        KafkaBrokerOptions.defaults()
                                                .withSaslSslListener(
                                                        new SaslSslListener(
                                                                dir.resolve("keystore.p12"),
                                                                "secret"))))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageStartingWith("A SASL_SSL listener is not supported");
        assertThat(kafka.isRunning()).isFalse();
        assertThat(postgres.isRunning()).isFalse();

        kafka.close();
        postgres.close();
        assertThat(dir.resolve("kafka")).doesNotExist();
        assertThat(dir.resolve("postgres")).doesNotExist();
    }
}
