package io.refreshorchestrator.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.refreshorchestrator.config.KafkaSettings;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StreamsSettingsTest {

    private static final Path STATE = Path.of("/var/lib/refresh-orchestrator/streams");

    @Test
    void shouldRunExactlyOnceOnTheClassicProtocol() {
        // given the defaults
        var settings =
                StreamsSettings.of("refresh-orchestrator", KafkaSettings.of("kafka:9092"), STATE);

        // then
        assertThat(settings.toProperties())
                .containsEntry("application.id", "refresh-orchestrator")
                .containsEntry("bootstrap.servers", "kafka:9092")
                .containsEntry("processing.guarantee", "exactly_once_v2")
                .containsEntry("state.dir", STATE.toString())
                .containsEntry("replication.factor", "-1")
                .containsEntry("num.stream.threads", "1")
                .containsEntry("group.protocol", "classic")
                // a change topic created after start is subscribed within seconds, not minutes
                .containsEntry("main.consumer.metadata.max.age.ms", "5000")
                // no wait on empty partitions: each change topic is one of the task's partitions
                .containsEntry("max.task.idle.ms", "-1");
    }

    @Test
    void shouldPassExtraClientPropertiesToEveryClient() {
        var kafka =
                new KafkaSettings(
                        "kafka:9093",
                        Map.of("security.protocol", "SSL", "request.timeout.ms", "20000"));

        var props = new StreamsSettings("ro", kafka, STATE, 3, 2).toProperties();

        assertThat(props)
                .containsEntry("security.protocol", "SSL")
                .containsEntry("request.timeout.ms", "20000")
                .containsEntry("replication.factor", "3")
                .containsEntry("num.stream.threads", "2");
    }

    @Test
    void shouldRejectClientPropertiesThatOverrideWhatItDecides() {
        var kafka =
                new KafkaSettings(
                        "kafka:9092",
                        Map.of(
                                "processing.guarantee",
                                "at_least_once",
                                "group.protocol",
                                "streams"));

        assertThatThrownBy(() -> StreamsSettings.of("ro", kafka, STATE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("processing.guarantee")
                .hasMessageContaining("group.protocol");
    }

    @Test
    void shouldRejectNonsense() {
        var kafka = KafkaSettings.of("kafka:9092");

        assertThatThrownBy(() -> new StreamsSettings("ro", kafka, STATE, 0, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StreamsSettings("ro", kafka, STATE, 1, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldMakeTheTopologyAStaticMemberWithATenSecondSession() {
        // given an instance id
        var kafka = new KafkaSettings("kafka:9092", Map.of());

        // when
        var props = new StreamsSettings("ro", kafka, STATE, 1, 1, "host-a").toProperties();

        // then Kafka Streams adds the thread number to the member id
        assertThat(props)
                .containsEntry("main.consumer.group.instance.id", "host-a-topology")
                .containsEntry("main.consumer.session.timeout.ms", "10000")
                .containsEntry("main.consumer.heartbeat.interval.ms", "2000");
    }

    @Test
    void shouldLetClientPropertiesChooseTheSessionTimeout() {
        var kafka =
                new KafkaSettings(
                        "kafka:9092",
                        Map.of("session.timeout.ms", "30000", "heartbeat.interval.ms", "5000"));

        var props = new StreamsSettings("ro", kafka, STATE, 1, 1, "host-a").toProperties();

        // a main.consumer. key would win over the plain one the user set
        assertThat(props)
                .containsEntry("session.timeout.ms", "30000")
                .doesNotContainKey("main.consumer.session.timeout.ms")
                .doesNotContainKey("main.consumer.heartbeat.interval.ms");
    }

    @Test
    void shouldStayADynamicMemberWithoutAnInstanceId() {
        var props =
                StreamsSettings.of("ro", new KafkaSettings("kafka:9092", Map.of()), STATE)
                        .toProperties();

        assertThat(props).doesNotContainKey("main.consumer.group.instance.id");
    }
}
