package io.refreshorchestrator.app;

import static io.refreshorchestrator.app.OrchestratorFixture.scaled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.refreshorchestrator.cdc.CdcSettings;
import io.refreshorchestrator.events.RefreshResult;
import io.refreshorchestrator.events.Status;
import io.refreshorchestrator.events.Topics;
import io.refreshorchestrator.local.KafkaBroker;
import io.refreshorchestrator.local.KafkaBrokerOptions;
import io.refreshorchestrator.local.LocalStack;
import io.refreshorchestrator.local.LocalStackExtension;
import io.refreshorchestrator.local.SaslSslListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole {@code run} process against a broker that it can reach only over TLS with SASL/SCRAM:
 * every client (topic provisioning, capture's producer and Debezium's offset store, the topology,
 * the executor) connects through {@code kafka.properties}, with the passwords taken from the
 * environment ({@code ${env:NAME}}), and no password reaches the log even with every library
 * logging at INFO.
 */
@ExtendWith(LocalStackExtension.class)
class SecuredKafkaIT {

    private static final Duration READY = scaled(Duration.ofSeconds(120));
    private static final Duration WAIT = scaled(Duration.ofSeconds(60));
    private static final String USER = "refresh-orchestrator";
    private static final String JOB = "secured.popular_tracks";

    @Test
    void shouldRefreshEndToEndThroughTlsAndScram(LocalStack stack, @TempDir Path dir)
            throws Exception {
        // given a broker whose only listener for the orchestrator is SASL_SSL
        String keystorePassword = "ks-" + UUID.randomUUID();
        String truststorePassword = "ts-" + UUID.randomUUID();
        String kafkaPassword = "scram-" + UUID.randomUUID();
        var tls = Keystores.create(dir.resolve("tls"), keystorePassword, truststorePassword);
        var options =
                KafkaBrokerOptions.defaults()
                        .withSaslSslListener(new SaslSslListener(tls.keystore(), keystorePassword))
                        // ACLs in force: the user holds only the README's grants; the broker's
                        // own PLAINTEXT listeners (and the test's clients there) are super users
                        .withBrokerProperty(
                                "authorizer.class.name",
                                "org.apache.kafka.metadata.authorizer.StandardAuthorizer")
                        .withBrokerProperty("super.users", "User:ANONYMOUS");
        try (var broker = KafkaBroker.start(options)) {
            // and a SCRAM user created through the admin API
            broker.admin()
                    .alterUserScramCredentials(
                            List.of(
                                    new UserScramCredentialUpsertion(
                                            USER,
                                            new ScramCredentialInfo(
                                                    ScramMechanism.SCRAM_SHA_512, 8192),
                                            kafkaPassword)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
            // and exactly the ACLs the README lists, read from its kafka-acls block
            broker.admin().createAcls(ReadmeKafkaAcls.read()).all().get(30, TimeUnit.SECONDS);
            var clientProperties =
                    Map.of(
                            "security.protocol", "SASL_SSL",
                            "sasl.mechanism", "SCRAM-SHA-512",
                            "sasl.jaas.config",
                                    "org.apache.kafka.common.security.scram.ScramLoginModule"
                                            + " required username=\""
                                            + USER
                                            + "\" password=\"${env:KAFKA_PASSWORD}\";",
                            "ssl.truststore.type", "PKCS12",
                            "ssl.truststore.location", tls.truststore().toString(),
                            "ssl.truststore.password", "${env:KAFKA_TRUSTSTORE_PASSWORD}");
            var env =
                    Map.of(
                            "KAFKA_PASSWORD",
                            kafkaPassword,
                            "KAFKA_TRUSTSTORE_PASSWORD",
                            truststorePassword);
            var asUser = awaitScramLogin(broker, clientProperties, env);
            // and the ACLs hold: a topic outside them is not even visible to the user
            broker.admin()
                    .createTopics(List.of(new NewTopic("payroll", 1, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
            try (var admin = Admin.create(asUser)) {
                assertThatThrownBy(
                                () ->
                                        admin.describeTopics(List.of("payroll"))
                                                .allTopicNames()
                                                .get(30, TimeUnit.SECONDS))
                        .hasCauseInstanceOf(TopicAuthorizationException.class);
            }

            String database = stack.postgres().createDatabase("secured");
            var fixture =
                    new OrchestratorFixture(stack, database, "secured")
                            .withDefaultKafkaNames()
                            .withOrchestratorBootstrap(broker.saslSslBootstrapServers())
                            .withKafkaProperties(clientProperties);
            fixture.execute(
                    """
                    CREATE TABLE public.plays (id bigserial PRIMARY KEY, track_id int NOT NULL);
                    CREATE SCHEMA secured;
                    CREATE MATERIALIZED VIEW secured.popular_tracks AS
                      SELECT track_id, count(*) AS plays FROM public.plays GROUP BY track_id;
                    CREATE UNIQUE INDEX ON secured.popular_tracks (track_id);
                    """);
            Path config = dir.resolve("orchestrator.yml");
            Files.writeString(
                    config,
                    fixture.yaml(
                            dir.resolve("state"),
                            """
                            defaults:
                              debounce: 200ms
                              max-delay: 2s
                            discovery:
                              schemas: [secured]
                            """));
            assertThat(Files.readString(config))
                    .as("the file names the variables, not the passwords")
                    .doesNotContain(kafkaPassword)
                    .doesNotContain(truststorePassword);
            Path logConfig = dir.resolve("logback-info.xml");
            Files.writeString(logConfig, EVERYTHING_AT_INFO);

            // the test reads results over the broker's plaintext listener
            try (var results =
                            new TopicTail<>(
                                    broker.bootstrapServers(),
                                    fixture.resultsTopic(),
                                    Topics.RESULT_SERDE);
                    var orchestrator =
                            ChildOrchestrator.start(
                                    config,
                                    Files.createDirectories(
                                                    Path.of("target", "it-logs", "SecuredKafkaIT"))
                                            .resolve("run.log"),
                                    env,
                                    List.of("-Dlogback.configurationFile=" + logConfig))) {
                orchestrator.awaitReady(READY);

                // when a row is inserted
                fixture.execute("INSERT INTO public.plays (track_id) VALUES (7)");
                Instant committedAt = Instant.now();

                // then the view is refreshed through the secured broker
                results.awaitFirst(
                        "a SUCCEEDED refresh of " + JOB + " started after the insert",
                        WAIT,
                        (RefreshResult r) ->
                                r.job().equals(JOB)
                                        && r.status() == Status.SUCCEEDED
                                        && r.startedAt().isAfter(committedAt));
                assertThat(
                                fixture.count(
                                        "SELECT plays FROM secured.popular_tracks"
                                                + " WHERE track_id = 7"))
                        .isEqualTo(1);
                // and Debezium's offset store wrote its positions through the secured listener
                String offsets = CdcSettings.DEFAULT_OFFSETS_TOPIC;
                await("stored capture offsets in " + offsets)
                        .atMost(WAIT)
                        .until(() -> endOffset(broker.admin(), offsets) > 0);
                orchestrator.stop(WAIT);

                // and no password reached the log, though the clients logged their settings
                String log = orchestrator.log();
                assertThat(log)
                        .as("clients logged their configuration at INFO")
                        .contains("sasl.jaas.config = [hidden]")
                        .contains("security.protocol = SASL_SSL")
                        .doesNotContain(kafkaPassword)
                        .doesNotContain(truststorePassword)
                        .doesNotContain(keystorePassword);
            } finally {
                fixture.dropSlot();
            }
        }
    }

    /**
     * SCRAM credentials reach the listener through the metadata log: waits until one logs in, and
     * returns the user's client properties with the secrets filled in.
     */
    private static Map<String, Object> awaitScramLogin(
            KafkaBroker broker, Map<String, String> clientProperties, Map<String, String> env) {
        var props = new HashMap<String, Object>();
        clientProperties.forEach(
                (key, value) ->
                        props.put(
                                key,
                                value.replace("${env:KAFKA_PASSWORD}", env.get("KAFKA_PASSWORD"))
                                        .replace(
                                                "${env:KAFKA_TRUSTSTORE_PASSWORD}",
                                                env.get("KAFKA_TRUSTSTORE_PASSWORD"))));
        props.put("bootstrap.servers", broker.saslSslBootstrapServers());
        await("a SCRAM login of " + USER + " over SASL_SSL")
                .atMost(WAIT)
                .ignoreExceptions()
                .until(
                        () -> {
                            try (var admin = Admin.create(props)) {
                                return !admin.describeCluster()
                                        .nodes()
                                        .get(5, TimeUnit.SECONDS)
                                        .isEmpty();
                            }
                        });
        return props;
    }

    private static long endOffset(Admin admin, String topic) throws Exception {
        var partition = new TopicPartition(topic, 0);
        return admin.listOffsets(Map.of(partition, OffsetSpec.latest()))
                .partitionResult(partition)
                .get(10, TimeUnit.SECONDS)
                .offset();
    }

    /** Every library at INFO: the Kafka clients print their whole configuration at start. */
    private static final String EVERYTHING_AT_INFO =
            """
            <configuration>
              <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n</pattern></encoder>
              </appender>
              <root level="INFO"><appender-ref ref="OUT"/></root>
            </configuration>
            """;
}
