package io.refreshorchestrator.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The shared stack, exactly as the integration tests of the other modules use it. */
@ExtendWith(LocalStackExtension.class)
class LocalStackIT {

    private static LocalStack stackBeforeAll;

    private final LocalStack stack;

    LocalStackIT(LocalStack stack) {
        this.stack = stack;
    }

    @BeforeAll
    static void rememberTheStack(LocalStack stack) {
        stackBeforeAll = stack;
    }

    @Test
    void shouldInjectOneSharedStackAndItsServices(
            LocalStack stack, KafkaBroker kafka, PostgresServer postgres) {
        assertThat(stack).isSameAs(this.stack).isSameAs(stackBeforeAll);
        assertThat(kafka).isSameAs(stack.kafka());
        assertThat(postgres).isSameAs(stack.postgres());
        assertThat(kafka.isRunning()).isTrue();
        assertThat(postgres.isRunning()).isTrue();
    }

    @Test
    void shouldLogTheBrokerAtInfoThroughOneSlf4jProvider() throws Exception {
        // when
        String log = Files.readString(stack.kafka().logFile());

        // then
        assertThat(log)
                .contains("INFO  [main] kafka.server.KafkaRaftServer")
                .contains("Kafka Server started");
        assertThat(log).doesNotContain("SLF4J(W)").doesNotContain("StatusLogger");
    }

    @Test
    void shouldDeliverAProducedRecordToAConsumerGroup() {
        // given
        var kafka = stack.kafka();
        String topic = "plain-" + UUID.randomUUID();
        kafka.createTopic(topic, 3);

        // when
        try (var producer = producer(kafka, Map.of(ProducerConfig.ACKS_CONFIG, "all"))) {
            producer.send(new ProducerRecord<>(topic, "analytics.popular_tracks", "refresh"));
        }

        // then
        var consumed =
                consume(
                        kafka,
                        topic,
                        Map.of(ConsumerConfig.GROUP_ID_CONFIG, "group-" + UUID.randomUUID()));
        assertThat(consumed).containsExactly("analytics.popular_tracks=refresh");
    }

    @Test
    void shouldCommitTransactionsOnTheSingleNode() {
        // given
        var kafka = stack.kafka();
        String topic = "transactional-" + UUID.randomUUID();
        kafka.createTopic(topic, 1);

        // when
        try (var producer =
                producer(
                        kafka,
                        Map.of(
                                ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                                "tx-" + UUID.randomUUID()))) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "job", "committed"));
            producer.commitTransaction();
        }

        // then
        var consumed =
                consume(
                        kafka,
                        topic,
                        Map.of(
                                ConsumerConfig.GROUP_ID_CONFIG,
                                "group-" + UUID.randomUUID(),
                                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                                "read_committed"));
        assertThat(consumed).containsExactly("job=committed");
    }

    @Test
    void shouldRunPostgresqlWithLogicalDecodingThroughPgoutput() throws Exception {
        // given
        var postgres = stack.postgres();
        String database = postgres.createDatabase("logical");
        String slot = "slot_" + UUID.randomUUID().toString().replace("-", "");

        try (Connection connection = postgres.connect(database);
                var statement = connection.createStatement()) {
            // when
            String walLevel = queryString(statement, "SHOW wal_level");
            String created =
                    queryString(
                            statement,
                            "SELECT slot_name FROM pg_create_logical_replication_slot('"
                                    + slot
                                    + "', 'pgoutput')");

            // then
            assertThat(walLevel).isEqualTo("logical");
            assertThat(created).isEqualTo(slot);
            statement.execute("SELECT pg_drop_replication_slot('" + slot + "')");
        }
    }

    @Test
    void shouldGiveEachTestItsOwnDatabase() throws Exception {
        // given
        var postgres = stack.postgres();

        // when
        String first = postgres.createDatabase("isolated");
        String second = postgres.createDatabase("isolated");

        // then
        assertThat(first).isNotEqualTo(second).startsWith("isolated_");
        try (Connection connection = postgres.connect(second)) {
            assertThat(connection.getCatalog()).isEqualTo(second);
        }
    }

    private static String queryString(Statement statement, String sql) throws SQLException {
        try (ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }

    private static KafkaProducer<String, String> producer(
            KafkaBroker kafka, Map<String, Object> settings) {
        var config = new java.util.HashMap<String, Object>(settings);
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    private static List<String> consume(
            KafkaBroker kafka, String topic, Map<String, Object> settings) {
        var config = new java.util.HashMap<String, Object>(settings);
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        var values = new ArrayList<String>();
        try (var consumer =
                new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            await("a record on " + topic)
                    .atMost(Duration.ofSeconds(30))
                    .pollInSameThread()
                    .until(
                            () -> {
                                consumer.poll(Duration.ofMillis(200))
                                        .forEach(
                                                record ->
                                                        values.add(
                                                                record.key()
                                                                        + "="
                                                                        + record.value()));
                                return !values.isEmpty();
                            });
            consumer.commitSync();
        }
        return values;
    }
}
