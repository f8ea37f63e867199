package io.refreshorchestrator.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.refreshorchestrator.config.KafkaSettings;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

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

    @Test
    void shouldGiveKafkaStreamsNoWarningAnOperatorCannotActOn() {
        // given Kafka Streams' configuration logger at WARN (the test logging raises it), recorded
        var logger = (Logger) LoggerFactory.getLogger(StreamsConfig.class);
        var levelBefore = logger.getLevel();
        var recorded = new ListAppender<ILoggingEvent>();
        recorded.start();
        logger.addAppender(recorded);
        logger.setLevel(Level.WARN);
        try {
            var props =
                    new StreamsSettings("ro", KafkaSettings.of("kafka:9092"), STATE, 1, 1, "host-a")
                            .toProperties();

            // when Kafka Streams reads it, as KafkaStreams does for each of its clients
            var config = new StreamsConfig(props);
            config.getMainConsumerConfigs("ro", "ro-StreamThread-1-consumer", 1);
            config.getRestoreConsumerConfigs("ro-StreamThread-1-restore-consumer");
            config.getGlobalConsumerConfigs("ro-global-consumer");
            config.getProducerConfigs("ro-StreamThread-1-producer");
            config.getAdminConfigs("ro-admin");

            // then not a word at WARN: the global-thread handler warning of Kafka Streams 4.3 is
            // answered with the 5.0 default (the topology has no global store)
            assertThat(recorded.list)
                    .filteredOn(event -> event.getLevel().isGreaterOrEqual(Level.WARN))
                    .extracting(ILoggingEvent::getFormattedMessage)
                    .isEmpty();
            assertThat(props).containsEntry("processing.exception.handler.global.enabled", "true");
        } finally {
            logger.detachAppender(recorded);
            logger.setLevel(levelBefore);
        }
    }
}
