package io.refreshorchestrator.executor;

import static org.assertj.core.api.Assertions.assertThat;

import io.refreshorchestrator.config.KafkaSettings;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

class KafkaClientsTest {

    private final KafkaSettings kafka =
            new KafkaSettings(
                    "broker:9092",
                    Map.of(
                            "security.protocol", "SSL",
                            "isolation.level", "read_uncommitted",
                            "enable.auto.commit", "true",
                            "acks", "1",
                            "max.poll.records", "10"));

    @Test
    void shouldKeepTheConsumerSettingsCorrectnessDependsOn() {
        var config = KafkaClients.consumerConfig(kafka, ExecutorSettings.defaults());

        assertThat(config)
                .containsEntry("group.id", "refresh-orchestrator-executor")
                .containsEntry("isolation.level", "read_committed")
                .containsEntry("enable.auto.commit", false)
                .containsEntry("value.deserializer", ByteArrayDeserializer.class)
                .containsEntry("auto.offset.reset", "earliest")
                // user properties still go over the tunable defaults
                .containsEntry("security.protocol", "SSL")
                .containsEntry("max.poll.records", "10");
    }

    @Test
    void shouldMakeTheProducerIdempotentWithAcksAll() {
        var config = KafkaClients.producerConfig(kafka);

        assertThat(config)
                .containsEntry("acks", "all")
                .containsEntry("enable.idempotence", true)
                .containsEntry("security.protocol", "SSL")
                .containsEntry("bootstrap.servers", "broker:9092");
    }

    @Test
    void shouldUseTheConfiguredGroupId() {
        var config =
                KafkaClients.consumerConfig(
                        kafka, ExecutorSettings.defaults().withGroupId("team-a-executor"));

        assertThat(config).containsEntry("group.id", "team-a-executor");
    }

    @Test
    void shouldMakeTheExecutorAStaticMemberWithATenSecondSession() {
        var config =
                KafkaClients.consumerConfig(
                        kafka, ExecutorSettings.defaults().withInstanceId("host-a"));

        assertThat(config)
                .containsEntry("group.instance.id", "host-a-executor")
                .containsEntry("session.timeout.ms", 10_000)
                .containsEntry("heartbeat.interval.ms", 2_000);
    }

    @Test
    void shouldStayADynamicMemberWithoutAnInstanceId() {
        var config = KafkaClients.consumerConfig(kafka, ExecutorSettings.defaults());

        assertThat(config).doesNotContainKey("group.instance.id");
    }
}
