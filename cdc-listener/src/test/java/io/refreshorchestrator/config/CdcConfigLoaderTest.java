package io.refreshorchestrator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.refreshorchestrator.cdc.CdcSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CdcConfigLoaderTest {

    private static final String MINIMAL =
            """
            postgres:
              database: app
              user: orchestrator
            kafka:
              bootstrap-servers: 127.0.0.1:9092
            cdc:
              tables: [public.plays]
            """;

    @TempDir Path dir;

    @Test
    void shouldReadTheFullExampleAndIgnoreTheOrchestratorsSections() throws Exception {
        // given
        var passwordFile = Files.writeString(dir.resolve("pg"), "file-secret\n");
        var yaml =
                """
                postgres:
                  host: 127.0.0.1
                  port: 5433
                  database: app
                  user: orchestrator
                  password-file: %s
                  properties: {sslmode: prefer}
                kafka:
                  bootstrap-servers: 127.0.0.1:9092
                  properties: {compression.type: lz4}
                cdc:
                  topic-prefix: capture
                  slot: my_slot
                  publication: my_pub
                  tables: [public.plays, public.tracks]
                  poll-interval: 20ms
                  heartbeat-interval: 5s
                  offset-flush-interval: PT2S
                  offsets-topic: my-offsets
                  signals-topic: my-signals
                  include-schema: true
                  topic-partitions: 3
                  replication-factor: 2
                topics: {commands: refresh-commands}
                defaults: {debounce: 2s}
                jobs:
                  - view: analytics.popular_tracks
                """
                        .formatted(passwordFile);

        // when
        var settings = load(yaml, Map.of());

        // then
        var postgres = settings.postgres();
        assertThat(postgres.host()).isEqualTo("127.0.0.1");
        assertThat(postgres.port()).isEqualTo(5433);
        assertThat(postgres.database()).isEqualTo("app");
        assertThat(postgres.user()).isEqualTo("orchestrator");
        assertThat(postgres.password().reveal()).isEqualTo("file-secret");
        assertThat(postgres.properties()).containsEntry("sslmode", "prefer");
        assertThat(settings.kafka().bootstrapServers()).isEqualTo("127.0.0.1:9092");
        assertThat(settings.kafka().properties()).containsEntry("compression.type", "lz4");
        assertThat(settings.topicPrefix()).isEqualTo("capture");
        assertThat(settings.slotName()).isEqualTo("my_slot");
        assertThat(settings.publicationName()).isEqualTo("my_pub");
        assertThat(settings.tables()).containsExactly("public.plays", "public.tracks");
        assertThat(settings.pollInterval()).isEqualTo(Duration.ofMillis(20));
        assertThat(settings.heartbeatInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.offsetFlushInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(settings.offsetsTopic()).isEqualTo("my-offsets");
        assertThat(settings.signalsTopic()).isEqualTo("my-signals");
        assertThat(settings.includeSchema()).isTrue();
        assertThat(settings.topicPartitions()).isEqualTo(3);
        assertThat(settings.replicationFactor()).isEqualTo((short) 2);
        assertThat(settings.changeTopics())
                .containsExactly("capture.public.plays", "capture.public.tracks");
        assertThat(settings.heartbeatTopic()).isEqualTo("__debezium-heartbeat.capture");
    }

    @Test
    void shouldApplyTheDefaults() {
        var settings = load(MINIMAL, Map.of());

        assertThat(settings.postgres().host()).isEqualTo("localhost");
        assertThat(settings.postgres().port()).isEqualTo(5432);
        assertThat(settings.postgres().password().isEmpty()).isTrue();
        assertThat(settings.topicPrefix()).isEqualTo("cdc");
        assertThat(settings.slotName()).isEqualTo("refresh_orchestrator");
        assertThat(settings.publicationName()).isEqualTo("refresh_orchestrator");
        assertThat(settings.pollInterval()).isEqualTo(Duration.ofMillis(50));
        assertThat(settings.heartbeatInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.offsetFlushInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(settings.offsetsTopic()).isEqualTo("refresh-orchestrator-cdc-offsets");
        assertThat(settings.signalsTopic()).isEqualTo("refresh-signals");
        assertThat(settings.includeSchema()).isFalse();
        assertThat(settings.topicPartitions()).isEqualTo(1);
        assertThat(settings.replicationFactor()).isEqualTo((short) 1);
        assertThat(settings.engineName()).isEqualTo(CdcSettings.DEFAULT_ENGINE_NAME);
    }

    @Test
    void shouldListEveryProblemWithItsPath() {
        // given
        var yaml =
                """
                postgres:
                  port: 70000
                  user: ""
                  hots: typo
                kafka:
                  properties: [not, a, map]
                cdc:
                  slot: Not-A-Slot
                  tables: [plays, public.tracks]
                  poll-interval: 5 parsecs
                  heartbeat-interval: 0ms
                  include-schema: maybe
                  topic-partitions: many
                """;

        // when / then
        assertThatThrownBy(() -> load(yaml, Map.of()))
                .isInstanceOfSatisfying(
                        ConfigException.class,
                        e ->
                                assertThat(e.problems())
                                        .containsExactlyInAnyOrder(
                                                "postgres.hots: unknown key (known: [database, host, password, password-env, password-file, port, properties, user])",
                                                "postgres.port: must be between 1 and 65535",
                                                "postgres.database: required (or set REFRESH_ORCHESTRATOR_POSTGRES_DATABASE)",
                                                "postgres.user: must not be empty",
                                                "kafka.properties: must be a mapping, found a list",
                                                "kafka.bootstrap-servers: required (or set REFRESH_ORCHESTRATOR_KAFKA_BOOTSTRAP_SERVERS)",
                                                "cdc.slot: 'Not-A-Slot' must be 1-63 characters of lower-case letters, digits and underscores (PostgreSQL's rule for replication slots)",
                                                "cdc.tables[0]: not a schema-qualified table name: 'plays' (expected schema.table, e.g. public.plays)",
                                                "cdc.poll-interval: not a duration: '5 parsecs' (expected e.g. 250ms, 10s, 5m, 1h or PT10S)",
                                                "cdc.heartbeat-interval: must be at least 1ms",
                                                "cdc.include-schema: not a boolean: 'maybe'",
                                                "cdc.topic-partitions: not an integer: 'many'"))
                .hasMessageContaining("Invalid configuration (12 problems)")
                .hasMessageContaining("postgres.port: must be between 1 and 65535")
                .hasMessageContaining("cdc.poll-interval: not a duration: '5 parsecs'");
    }

    @Test
    void shouldRequireTablesForTheStandaloneListener() {
        var yaml = MINIMAL.replace("  tables: [public.plays]\n", "  slot: s\n");

        assertThatThrownBy(() -> load(yaml, Map.of()))
                .isInstanceOfSatisfying(
                        ConfigException.class,
                        e ->
                                assertThat(e.problems())
                                        .containsExactly(
                                                "cdc.tables: list at least one table to capture, e.g. [public.plays]"));
    }

    @Test
    void shouldLetTheOrchestratorDeriveTheTables() {
        var reader =
                ConfigReader.fromYaml(
                        MINIMAL.replace("  tables: [public.plays]\n", "  slot: s\n"),
                        "test",
                        Map.of());

        var settings =
                CdcSection.read(
                        reader,
                        PostgresSection.read(reader),
                        KafkaSection.readRequired(reader),
                        false);
        reader.throwIfInvalid();

        assertThat(settings.tables()).isEmpty();
        assertThat(settings.withTables(List.of("public.plays")).tables())
                .containsExactly("public.plays");
    }

    @Test
    void shouldApplyEnvironmentOverridesToScalarsAndLists() {
        var env =
                Map.of(
                        "REFRESH_ORCHESTRATOR_POSTGRES_HOST", "db.internal",
                        "REFRESH_ORCHESTRATOR_POSTGRES_PORT", "6543",
                        "REFRESH_ORCHESTRATOR_KAFKA_BOOTSTRAP_SERVERS", "k1:9092,k2:9092",
                        "REFRESH_ORCHESTRATOR_CDC_POLL_INTERVAL", "10ms",
                        "REFRESH_ORCHESTRATOR_CDC_TOPIC_PREFIX", "prod",
                        "REFRESH_ORCHESTRATOR_CDC_INCLUDE_SCHEMA", "true",
                        "REFRESH_ORCHESTRATOR_CDC_TABLES", "public.a, public.b");

        var settings = load(MINIMAL, env);

        assertThat(settings.postgres().host()).isEqualTo("db.internal");
        assertThat(settings.postgres().port()).isEqualTo(6543);
        assertThat(settings.kafka().bootstrapServers()).isEqualTo("k1:9092,k2:9092");
        assertThat(settings.pollInterval()).isEqualTo(Duration.ofMillis(10));
        assertThat(settings.topicPrefix()).isEqualTo("prod");
        assertThat(settings.includeSchema()).isTrue();
        assertThat(settings.tables()).containsExactly("public.a", "public.b");
    }

    @Test
    void shouldNameTheEnvironmentVariableOfAnInvalidOverride() {
        var env = Map.of("REFRESH_ORCHESTRATOR_POSTGRES_PORT", "0");

        assertThatThrownBy(() -> load(MINIMAL, env))
                .isInstanceOfSatisfying(
                        ConfigException.class,
                        e ->
                                assertThat(e.problems())
                                        .containsExactly(
                                                "postgres.port: must be between 1 and 65535 (from REFRESH_ORCHESTRATOR_POSTGRES_PORT)"));
    }

    @Test
    void shouldSupplyRequiredKeysFromTheEnvironment() {
        var env =
                Map.of(
                        "REFRESH_ORCHESTRATOR_POSTGRES_DATABASE", "app",
                        "REFRESH_ORCHESTRATOR_POSTGRES_USER", "me",
                        "REFRESH_ORCHESTRATOR_KAFKA_BOOTSTRAP_SERVERS", "k:9092",
                        "REFRESH_ORCHESTRATOR_CDC_TABLES", "public.plays");

        var settings = load("", env);

        assertThat(settings.postgres().database()).isEqualTo("app");
        assertThat(settings.tables()).containsExactly("public.plays");
    }

    @Test
    void shouldReadThePasswordFromPgpasswordByDefault() {
        var settings = load(MINIMAL, Map.of("PGPASSWORD", "env-secret"));

        assertThat(settings.postgres().password().reveal()).isEqualTo("env-secret");
    }

    @Test
    void shouldReadThePasswordFromTheNamedVariable() {
        var yaml =
                MINIMAL.replace(
                        "  user: orchestrator\n",
                        "  user: orchestrator\n  password-env: APP_DB_PASSWORD\n");

        var settings = load(yaml, Map.of("APP_DB_PASSWORD", "named-secret", "PGPASSWORD", "other"));

        assertThat(settings.postgres().password().reveal()).isEqualTo("named-secret");
    }

    @Test
    void shouldReportAMissingPasswordVariableOrFile() {
        var yaml =
                MINIMAL.replace(
                        "  user: orchestrator\n",
                        "  user: orchestrator\n  password-env: APP_DB_PASSWORD\n");
        var withFile =
                MINIMAL.replace(
                        "  user: orchestrator\n",
                        "  user: orchestrator\n  password-file: " + dir.resolve("missing") + "\n");

        assertThatThrownBy(() -> load(yaml, Map.of()))
                .hasMessageContaining(
                        "postgres.password-env: environment variable 'APP_DB_PASSWORD' is not set");
        assertThatThrownBy(() -> load(withFile, Map.of()))
                .hasMessageContaining(
                        "postgres.password-file: cannot read password file '"
                                + dir.resolve("missing")
                                + "'");
    }

    @Test
    void shouldRefuseAPasswordWrittenInTheFileWithoutEchoingIt() {
        var yaml =
                MINIMAL.replace(
                        "  user: orchestrator\n", "  user: orchestrator\n  password: hunter2\n");

        assertThatThrownBy(() -> load(yaml, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(
                        "postgres.password: a password is never written in the configuration file")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void shouldNeverPrintSecrets() {
        var yaml =
                MINIMAL.replace(
                                "  user: orchestrator\n",
                                "  user: orchestrator\n  properties: {sslpassword: key-secret}\n")
                        .replace(
                                "  bootstrap-servers: 127.0.0.1:9092\n",
                                "  bootstrap-servers: 127.0.0.1:9092\n  properties: {sasl.jaas.config: jaas-secret}\n");

        var settings = load(yaml, Map.of("PGPASSWORD", "env-secret"));

        assertThat(settings.toString())
                .doesNotContain("env-secret", "key-secret", "jaas-secret")
                .contains("password=****", "sslpassword=****", "sasl.jaas.config=****");
        assertThat(settings.postgres().toString()).doesNotContain("env-secret");
        assertThat(settings.kafka().toString()).doesNotContain("jaas-secret");
    }

    @Test
    void shouldReportUnreadableOrInvalidYaml() {
        assertThatThrownBy(() -> CdcConfigLoader.load(dir.resolve("absent.yaml"), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("cannot read configuration file");
        assertThatThrownBy(() -> load("postgres: [unclosed", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("not valid YAML");
        assertThatThrownBy(() -> load("- just\n- a list\n", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("(top level): must be a mapping of sections");
    }

    private CdcSettings load(String yaml, Map<String, String> env) {
        try {
            var file = Files.writeString(Files.createTempFile(dir, "config", ".yaml"), yaml);
            return CdcConfigLoader.load(file, env);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void shouldRejectAnUnknownSectionButAcceptTheOrchestratorsSections() {
        // given the shared file with the orchestrator's sections and one typo
        var yaml =
                """
                postgres:
                  database: app
                  user: cdc
                kafka:
                  bootstrap-servers: broker:9092
                cdc:
                  tables: [public.plays]
                executor:
                  max-attempts: 3
                jobs:
                  - view: analytics.popular_tracks
                cdcc:
                  slot: typo
                """;

        // when / then
        assertThatThrownBy(() -> load(yaml, Map.of()))
                .isInstanceOfSatisfying(
                        ConfigException.class,
                        e ->
                                assertThat(e.problems())
                                        .containsExactly(
                                                "cdcc: unknown section (known: [cdc, defaults,"
                                                        + " discovery, executor, history, http,"
                                                        + " instance-id,"
                                                        + " jobs, kafka, postgres,"
                                                        + " shutdown-timeout, streams, topics])"));
    }
}
