package io.refreshorchestrator.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import io.refreshorchestrator.config.KafkaSettings;
import io.refreshorchestrator.config.PostgresSettings;
import io.refreshorchestrator.config.Secret;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class DebeziumPropertiesTest {

    private final PostgresSettings postgres =
            new PostgresSettings(
                    "db",
                    5433,
                    "app",
                    "capture",
                    Secret.of("pw"),
                    Map.of("sslmode", "require", "loginTimeout", "5"));
    private final KafkaSettings kafka =
            new KafkaSettings("k1:9092,k2:9092", Map.of("security.protocol", "SSL"));

    @Test
    void shouldConfigureThePostgresConnectorOnPgoutputWithoutSnapshot() {
        var props = DebeziumProperties.of(settings().build());

        assertThat(props)
                .containsEntry(
                        "connector.class", "io.debezium.connector.postgresql.PostgresConnector")
                .containsEntry("name", "refresh-orchestrator-cdc")
                .containsEntry("plugin.name", "pgoutput")
                .containsEntry("snapshot.mode", "no_data")
                .containsEntry("slot.name", "refresh_orchestrator")
                .containsEntry("publication.name", "refresh_orchestrator")
                .containsEntry("publication.autocreate.mode", "disabled")
                .containsEntry("topic.prefix", "cdc")
                .containsEntry("database.hostname", "db")
                .containsEntry("database.port", "5433")
                .containsEntry("database.dbname", "app")
                .containsEntry("database.user", "capture")
                .containsEntry("database.password", "pw")
                .containsEntry("database.sslmode", "require")
                .containsEntry("driver.loginTimeout", "5")
                .containsEntry("skipped.operations", "none")
                .containsEntry("tombstones.on.delete", "false");
    }

    @Test
    void shouldMapTheTimingSettingsToMilliseconds() {
        var props =
                DebeziumProperties.of(
                        settings()
                                .pollInterval(Duration.ofMillis(50))
                                .heartbeatInterval(Duration.ofSeconds(10))
                                .offsetFlushInterval(Duration.ofSeconds(1))
                                .build());

        assertThat(props)
                .containsEntry("poll.interval.ms", "50")
                .containsEntry("heartbeat.interval.ms", "10000")
                .containsEntry("offset.flush.interval.ms", "1000");
    }

    @Test
    void shouldNeverLetTheSlotRunAheadOfTheStoredPosition() {
        var props = DebeziumProperties.of(settings().build());

        assertThat(props)
                // only Debezium confirms positions, after storing them; no driver keepalive flush
                .containsEntry("lsn.flush.mode", "connector")
                // each heartbeat writes a decoding message, so an idle table's slot still moves
                .containsEntry(
                        "heartbeat.action.query",
                        "SELECT pg_logical_emit_message(false, 'refresh-orchestrator-heartbeat', '')")
                .containsEntry("message.prefix.exclude.list", "refresh-orchestrator-heartbeat")
                // every restart goes through the listener's preparation, none inside the engine
                .containsEntry("errors.max.retries", "0");
    }

    @Test
    void shouldStoreOffsetsInKafka() {
        var props =
                DebeziumProperties.of(
                        settings().offsetsTopic("offs").replicationFactor((short) 3).build());

        assertThat(props)
                .containsEntry("offset.storage", CdcOffsetStore.class.getName())
                .containsEntry("offset.storage.topic", "offs")
                .containsEntry("offset.storage.partitions", "1")
                .containsEntry("offset.storage.replication.factor", "3")
                .containsEntry("bootstrap.servers", "k1:9092,k2:9092")
                // the offset store's clients are built from the engine properties
                .containsEntry("security.protocol", "SSL");
    }

    @Test
    void shouldSwitchTheJsonSchemasOnlyWhenAsked() {
        assertThat(DebeziumProperties.of(settings().build()))
                .containsEntry("converter.schemas.enable", "false")
                .containsEntry("value.converter.schemas.enable", "false");
        assertThat(DebeziumProperties.of(settings().includeSchema(true).build()))
                .containsEntry("converter.schemas.enable", "true")
                .containsEntry("key.converter.schemas.enable", "true");
    }

    @Test
    void shouldIncludeExactlyTheConfiguredTables() {
        var props =
                DebeziumProperties.of(
                        settings().tables("public.plays", "Sales.Order Lines", "odd.a,b").build());

        var include = props.getProperty("table.include.list");
        assertThat(include).isEqualTo("public\\.plays,Sales\\.Order\\ Lines,odd\\.a\\,b");
        var plays = Pattern.compile("public\\.plays");
        assertThat(plays.matcher("public.plays").matches()).isTrue();
        assertThat(plays.matcher("publicXplays").matches()).isFalse();
        assertThat(Pattern.compile("Sales\\.Order\\ Lines").matcher("Sales.Order Lines").matches())
                .isTrue();
    }

    @Test
    void shouldNameChangeTopicsLikeDebezium() {
        var settings =
                settings()
                        .topicPrefix("capture")
                        .tables("public.plays", "Sales.Order Lines")
                        .build();

        assertThat(settings.changeTopics())
                .containsExactly("capture.public.plays", "capture.Sales.Order_Lines");
        assertThat(settings.heartbeatTopic()).isEqualTo("__debezium-heartbeat.capture");
        assertThat(TopicProvisioner.topicsFor(settings))
                .containsExactly(
                        "capture.public.plays",
                        "capture.Sales.Order_Lines",
                        "refresh-signals",
                        "__debezium-heartbeat.capture");
    }

    private CdcSettings.Builder settings() {
        return CdcSettings.builder(postgres, kafka).tables("public.plays");
    }
}
