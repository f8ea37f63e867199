package io.refreshorchestrator.app;

import static io.refreshorchestrator.app.OrchestratorFixture.scaled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.refreshorchestrator.cdc.CaptureHealth;
import io.refreshorchestrator.cdc.CdcSettings;
import io.refreshorchestrator.cdc.CdcSupervisor;
import io.refreshorchestrator.config.KafkaSettings;
import io.refreshorchestrator.config.PostgresSettings;
import io.refreshorchestrator.config.Secret;
import io.refreshorchestrator.local.KafkaBroker;
import io.refreshorchestrator.local.KafkaBrokerOptions;
import io.refreshorchestrator.local.LocalStack;
import io.refreshorchestrator.local.LocalStackExtension;
import io.refreshorchestrator.local.SaslSslListener;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Capture whose Kafka principal loses an ACL (broker with KRaft's {@code StandardAuthorizer} and
 * the README's grants; WRITE on the change topics revoked while streaming): it is FAILED, not
 * retried as transient, says what Kafka refuses, checks again once a minute, and resumes by itself
 * once the ACL is granted, with the change made meanwhile delivered. Production backoffs and
 * recheck interval throughout.
 */
@ExtendWith(LocalStackExtension.class)
class KafkaAclCaptureIT {

    private static final Duration WAIT = scaled(Duration.ofSeconds(60));
    private static final String USER = "refresh-orchestrator";
    private static final String CHANGE_TOPIC = "cdc.public.plays";

    @Test
    void shouldReportAMissingWriteAclAsFailedAndResumeOnceGranted(
            LocalStack stack, @TempDir Path dir) throws Exception {
        // given a broker with ACLs in force, where the user holds the README's grants
        String kafkaPassword = "scram-" + UUID.randomUUID();
        try (var secured = SecuredBroker.start(dir, kafkaPassword)) {
            var broker = secured.broker();
            var granted = new ArrayList<AclBinding>();
            var changeTopicWrite = new ArrayList<AclBinding>();
            for (var binding : ReadmeKafkaAcls.read()) {
                (isChangeTopicWrite(binding) ? changeTopicWrite : granted).add(binding);
            }
            assertThat(changeTopicWrite)
                    .as("the README grants WRITE on the change topics")
                    .hasSize(1);
            broker.admin().createAcls(granted).all().get(30, TimeUnit.SECONDS);
            var kafkaProperties = secured.clientProperties(kafkaPassword);
            awaitScramLogin(broker, kafkaProperties);
            String database = playsDatabase(stack);
            String slot = "acl_" + UUID.randomUUID().toString().substring(0, 8);
            var settings = settings(stack, database, slot, broker, kafkaProperties);

            var logs = new ListAppender<ILoggingEvent>();
            logs.start();
            var root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
            root.addAppender(logs);
            try (var supervisor =
                    new CdcSupervisor(
                            settings,
                            CdcSupervisor.DEFAULT_BACKOFF,
                            CdcSupervisor.DEFAULT_MAX_BACKOFF)) {
                // and capture streaming with every grant (its slot holds what it did not publish)
                broker.admin().createAcls(changeTopicWrite).all().get(30, TimeUnit.SECONDS);
                supervisor.start();
                assertThat(supervisor.awaitStreaming(WAIT)).as("streaming at first").isTrue();
                execute(stack, database, "INSERT INTO public.plays (track_id) VALUES (1)");
                awaitChange(broker, 1);

                // when WRITE on the change topics is revoked and a change is made
                broker.admin()
                        .deleteAcls(changeTopicWrite.stream().map(AclBinding::toFilter).toList())
                        .all()
                        .get(30, TimeUnit.SECONDS);
                execute(stack, database, "INSERT INTO public.plays (track_id) VALUES (4242)");

                // then capture is FAILED with what Kafka refused, as Kafka reports it
                await("capture FAILED for the refused WRITE on " + CHANGE_TOPIC)
                        .atMost(WAIT)
                        .until(
                                () -> supervisor.health().snapshot(),
                                h ->
                                        h.state() == CaptureHealth.State.FAILED
                                                && h.reason()
                                                        .contains(
                                                                "Not authorized to access topics: ["
                                                                        + CHANGE_TOPIC
                                                                        + "]"));
                assertThat(supervisor.health().snapshot().reason())
                        .contains("WRITE")
                        .contains("README's Kafka ACL block")
                        .doesNotContain(kafkaPassword);
                int restartsWhenFailed = supervisor.restarts();
                int errorsWhenFailed = errors(logs).size();
                // and it is not retried as a transient failure (that would be every 3 s at most)
                await("no restart for 10 s while FAILED")
                        .during(Duration.ofSeconds(10))
                        .atMost(Duration.ofSeconds(15))
                        .until(
                                () ->
                                        supervisor.restarts() == restartsWhenFailed
                                                && supervisor.health().snapshot().state()
                                                        == CaptureHealth.State.FAILED);
                assertThat(errors(logs).subList(errorsWhenFailed, errors(logs).size()))
                        .as("no ERROR line while FAILED between checks")
                        .isEmpty();
                // and its check once a minute finds the ACL still missing before streaming
                await("the check a minute later, still FAILED, naming topic and operation")
                        .atMost(WAIT.plus(Duration.ofSeconds(60)))
                        .until(
                                () -> supervisor.health().snapshot(),
                                h ->
                                        supervisor.restarts() == restartsWhenFailed + 1
                                                && h.state() == CaptureHealth.State.FAILED
                                                && h.reason()
                                                        .contains(
                                                                "topic '"
                                                                        + CHANGE_TOPIC
                                                                        + "': WRITE not allowed"));
                assertThat(supervisor.isStreaming()).isFalse();

                // when the ACL is granted again
                broker.admin().createAcls(changeTopicWrite).all().get(30, TimeUnit.SECONDS);

                // then capture resumes by itself at its next check (once a minute)
                await("capture STREAMING again after the grant")
                        .atMost(WAIT.plus(Duration.ofSeconds(60)))
                        .until(supervisor::isStreaming);
                // and the change made during the outage arrives
                awaitChange(broker, 4242);
                assertThat(supervisor.health().snapshot().state())
                        .isEqualTo(CaptureHealth.State.STREAMING);
                // and the FAILED state with its reason was reported on the signals topic
                assertThat(values(broker, CdcSettings.DEFAULT_SIGNALS_TOPIC))
                        .anyMatch(
                                v ->
                                        v.contains("\"state\":\"FAILED\"")
                                                && v.contains(CHANGE_TOPIC));
            } finally {
                root.detachAppender(logs);
                execute(
                        stack,
                        database,
                        "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots"
                                + " WHERE slot_name = '"
                                + slot
                                + "' AND NOT active");
            }
        }
    }

    @Test
    void shouldReportRejectedCredentialsAsFailedNotAsAnOutage(LocalStack stack, @TempDir Path dir)
            throws Exception {
        // given a broker where the user holds the README's grants
        String kafkaPassword = "scram-" + UUID.randomUUID();
        try (var secured = SecuredBroker.start(dir, kafkaPassword)) {
            var broker = secured.broker();
            broker.admin().createAcls(ReadmeKafkaAcls.read()).all().get(30, TimeUnit.SECONDS);
            awaitScramLogin(broker, secured.clientProperties(kafkaPassword));
            String database = playsDatabase(stack);
            String slot = "acl_" + UUID.randomUUID().toString().substring(0, 8);
            String wrongPassword = "wrong-" + UUID.randomUUID();
            var settings =
                    settings(
                            stack, database, slot, broker, secured.clientProperties(wrongPassword));

            // when capture starts with a wrong password
            try (var supervisor =
                    new CdcSupervisor(
                            settings,
                            CdcSupervisor.DEFAULT_BACKOFF,
                            CdcSupervisor.DEFAULT_MAX_BACKOFF)) {
                supervisor.start();

                // then it is FAILED, saying the broker rejected the credentials
                await("capture FAILED for rejected credentials")
                        .atMost(WAIT)
                        .until(
                                () -> supervisor.health().snapshot(),
                                h ->
                                        h.state() == CaptureHealth.State.FAILED
                                                && h.reason().contains("rejected the credentials")
                                                && h.reason()
                                                        .contains("SaslAuthenticationException"));
                assertThat(supervisor.health().snapshot().reason())
                        .contains("kafka.properties")
                        .doesNotContain(wrongPassword)
                        .doesNotContain(kafkaPassword);
                // and it is not retried as a transient failure
                int restartsWhenFailed = supervisor.restarts();
                await("no restart for 10 s while FAILED")
                        .during(Duration.ofSeconds(10))
                        .atMost(Duration.ofSeconds(15))
                        .until(
                                () ->
                                        supervisor.restarts() == restartsWhenFailed
                                                && supervisor.health().snapshot().state()
                                                        == CaptureHealth.State.FAILED);
            }
        }
    }

    /** A broker with a SASL_SSL listener for {@link #USER}, ACLs in force, no grant yet. */
    private record SecuredBroker(KafkaBroker broker, Keystores tls, String truststorePassword)
            implements AutoCloseable {

        static SecuredBroker start(Path dir, String kafkaPassword) throws Exception {
            String keystorePassword = "ks-" + UUID.randomUUID();
            String truststorePassword = "ts-" + UUID.randomUUID();
            var tls = Keystores.create(dir.resolve("tls"), keystorePassword, truststorePassword);
            var options =
                    KafkaBrokerOptions.defaults()
                            .withSaslSslListener(
                                    new SaslSslListener(tls.keystore(), keystorePassword))
                            // the broker's own PLAINTEXT listeners (and the test's reads there)
                            // are super users
                            .withBrokerProperty(
                                    "authorizer.class.name",
                                    "org.apache.kafka.metadata.authorizer.StandardAuthorizer")
                            .withBrokerProperty("super.users", "User:ANONYMOUS");
            var broker = KafkaBroker.start(options);
            try {
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
                return new SecuredBroker(broker, tls, truststorePassword);
            } catch (Exception | Error e) {
                broker.close();
                throw e;
            }
        }

        Map<String, String> clientProperties(String password) {
            return Map.of(
                    "security.protocol",
                    "SASL_SSL",
                    "sasl.mechanism",
                    "SCRAM-SHA-512",
                    "sasl.jaas.config",
                    "org.apache.kafka.common.security.scram.ScramLoginModule required"
                            + " username=\""
                            + USER
                            + "\" password=\""
                            + password
                            + "\";",
                    "ssl.truststore.type",
                    "PKCS12",
                    "ssl.truststore.location",
                    tls.truststore().toString(),
                    "ssl.truststore.password",
                    truststorePassword);
        }

        @Override
        public void close() {
            broker.close();
        }
    }

    private static String playsDatabase(LocalStack stack) throws SQLException {
        String database = stack.postgres().createDatabase("kafka_acl");
        execute(
                stack,
                database,
                "CREATE TABLE public.plays (id bigserial PRIMARY KEY, track_id int NOT NULL)");
        return database;
    }

    /** Capture with the default names (those of the README's ACL block), production timings. */
    private static CdcSettings settings(
            LocalStack stack,
            String database,
            String slot,
            KafkaBroker broker,
            Map<String, String> kafkaProperties) {
        return CdcSettings.builder(
                        new PostgresSettings(
                                stack.postgres().host(),
                                stack.postgres().port(),
                                database,
                                stack.postgres().user(),
                                Secret.of("unused-with-trust"),
                                Map.of()),
                        new KafkaSettings(broker.saslSslBootstrapServers(), kafkaProperties))
                .tables("public.plays")
                .slotName(slot)
                .publicationName(slot)
                .build();
    }

    /** The ERROR lines of this project's classes so far. */
    private static List<String> errors(ListAppender<ILoggingEvent> logs) {
        List<ILoggingEvent> events;
        synchronized (logs) { // AppenderBase appends under this lock
            events = new ArrayList<>(logs.list);
        }
        return events.stream()
                .filter(e -> e.getLevel() == Level.ERROR)
                .filter(e -> e.getLoggerName().startsWith("io.refreshorchestrator"))
                .map(ILoggingEvent::getFormattedMessage)
                .toList();
    }

    private static void awaitChange(KafkaBroker broker, int trackId) {
        await("the change of track " + trackId + " on " + CHANGE_TOPIC)
                .atMost(WAIT)
                .until(
                        () ->
                                values(broker, CHANGE_TOPIC).stream()
                                        .anyMatch(
                                                v -> v.contains("\"track_id\":" + trackId + "}")));
    }

    private static boolean isChangeTopicWrite(AclBinding binding) {
        return binding.pattern().resourceType() == ResourceType.TOPIC
                && binding.pattern().patternType() == PatternType.PREFIXED
                && binding.pattern().name().equals("cdc.")
                && binding.entry().operation() == AclOperation.WRITE;
    }

    /** SCRAM credentials reach the listener through the metadata log: waits until one logs in. */
    private static void awaitScramLogin(KafkaBroker broker, Map<String, String> properties) {
        var props = new HashMap<String, Object>(properties);
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
    }

    /** Every value of {@code topic} so far, read over the broker's (super user) plaintext port. */
    private static List<String> values(KafkaBroker broker, String topic) {
        var props =
                Map.<String, Object>of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        broker.bootstrapServers(),
                        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                        StringDeserializer.class,
                        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                        StringDeserializer.class,
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false);
        try (var consumer = new KafkaConsumer<String, String>(props)) {
            var partitions =
                    consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                            .map(info -> new TopicPartition(topic, info.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            var end = consumer.endOffsets(partitions);
            var values = new ArrayList<String>();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
            }
            return values;
        }
    }

    private static void execute(LocalStack stack, String database, String sql) throws SQLException {
        try (var connection = stack.postgres().connect(database);
                var statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
