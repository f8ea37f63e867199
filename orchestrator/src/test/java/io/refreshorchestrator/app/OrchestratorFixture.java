package io.refreshorchestrator.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.refreshorchestrator.config.ConfigReader;
import io.refreshorchestrator.config.OrchestratorConfig;
import io.refreshorchestrator.config.OrchestratorConfigLoader;
import io.refreshorchestrator.local.LocalStack;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * An orchestrator's configuration pointed at the shared {@link LocalStack}: the connection
 * settings, plus topic, slot, publication, application and group names made unique by a random
 * suffix so that ITs sharing the stack never read each other's records. Each IT appends only its
 * own sections ({@code defaults}, {@code jobs}, {@code discovery}).
 */
public final class OrchestratorFixture {

    private static final double TIMEOUT_FACTOR =
            Double.parseDouble(System.getProperty("it.timeout.factor", "1"));

    private final LocalStack stack;
    private final String database;
    private final String prefix;
    private final String suffix = UUID.randomUUID().toString().substring(0, 8);
    private boolean capture = true;
    private boolean defaultKafkaNames;
    private Map<String, String> kafkaProperties = Map.of();
    private String bootstrapOverride;
    private String captureSettings = "";
    private String bootstrap;
    private String httpSettings = "";
    private boolean localMode;

    /**
     * @param prefix starts every name this orchestrator uses, e.g. {@code e2e} gives the slot
     *     {@code e2e_<suffix>} and the application {@code e2e-<suffix>}
     */
    public OrchestratorFixture(LocalStack stack, String database, String prefix) {
        this.stack = stack;
        this.database = database;
        this.prefix = prefix;
    }

    /** No Debezium capture: the test publishes change events to the change topics itself. */
    public OrchestratorFixture withoutCapture() {
        capture = false;
        return this;
    }

    /** Extra lines of the {@code cdc} section, e.g. {@code "heartbeat-interval: 1s"}. */
    public OrchestratorFixture withCaptureSettings(String... lines) {
        var yaml = new StringBuilder();
        for (var line : lines) {
            yaml.append("  ").append(line).append('\n');
        }
        captureSettings = yaml.toString();
        return this;
    }

    /**
     * Kafka names (topics, change topic prefix, consumer groups, application id) left at their
     * defaults, as an operator who writes no {@code topics} section has them; only for a broker of
     * the test's own, where no other test's names can clash.
     */
    public OrchestratorFixture withDefaultKafkaNames() {
        defaultKafkaNames = true;
        return this;
    }

    /** Another broker than the stack's, e.g. one with Kafka's default group settings. */
    public OrchestratorFixture withBootstrap(String bootstrapServers) {
        bootstrap = bootstrapServers;
        return this;
    }

    /**
     * Local mode: no {@code kafka} section, so the orchestrator starts its embedded broker; the
     * test's own clients must then use the broker address the process reports.
     */
    public OrchestratorFixture withoutKafka() {
        localMode = true;
        return this;
    }

    /** Extra lines of the {@code http} section, e.g. {@code "token-env: MY_TOKEN"}. */
    public OrchestratorFixture withHttpSettings(String... lines) {
        var yaml = new StringBuilder();
        for (var line : lines) {
            yaml.append("  ").append(line).append('\n');
        }
        httpSettings = yaml.toString();
        return this;
    }

    /** Extra Kafka client properties for every client of the orchestrator. */
    public OrchestratorFixture withKafkaProperties(Map<String, String> properties) {
        kafkaProperties = Map.copyOf(properties);
        return this;
    }

    /**
     * The orchestrator reaches Kafka at {@code bootstrapServers} (e.g. a secured listener) rather
     * than at the stack's broker; the test's own clients still use {@link #bootstrap()}.
     */
    public OrchestratorFixture withOrchestratorBootstrap(String bootstrapServers) {
        bootstrapOverride = bootstrapServers;
        return this;
    }

    /** The common sections followed by {@code specific}, the sections only this IT needs. */
    public String yaml(Path stateDir, String specific) {
        return """
                postgres:
                  host: %s
                  port: %d
                  database: %s
                  user: %s
                %scdc:
                %s%sstreams:
                %s  state-dir: %s
                %shttp:
                  port: 0
                %s"""
                        .formatted(
                                stack.postgres().host(),
                                stack.postgres().port(),
                                database,
                                stack.postgres().user(),
                                kafkaYaml(),
                                cdcYaml(),
                                defaultKafkaNames
                                        ? ""
                                        : """
                                        topics:
                                          commands: %s
                                          results: %s
                                          dlq: %s
                                        """
                                                .formatted(
                                                        commandsTopic(),
                                                        resultsTopic(),
                                                        name() + "-refresh-dlq"),
                                defaultKafkaNames ? "" : "  application-id: " + name() + "\n",
                                stateDir,
                                defaultKafkaNames
                                        ? ""
                                        : "executor:\n  group-id: " + name() + "-executor\n",
                                httpSettings)
                + specific;
    }

    /** {@link #yaml} read as the orchestrator reads its file; {@code source} names it in errors. */
    public OrchestratorConfig config(Path stateDir, String specific, String source) {
        return OrchestratorConfigLoader.read(
                ConfigReader.fromYaml(yaml(stateDir, specific), source, Map.of()));
    }

    private String kafkaYaml() {
        if (localMode) {
            return "";
        }
        return "kafka:\n  bootstrap-servers: "
                + (bootstrapOverride == null ? bootstrap() : bootstrapOverride)
                + "\n"
                + kafkaPropertiesYaml();
    }

    private String kafkaPropertiesYaml() {
        if (kafkaProperties.isEmpty()) {
            return "";
        }
        var yaml = new StringBuilder("  properties:\n");
        kafkaProperties.forEach(
                (key, value) ->
                        yaml.append("    ")
                                .append(key)
                                .append(": \"")
                                .append(value.replace("\\", "\\\\").replace("\"", "\\\""))
                                .append("\"\n"));
        return yaml.toString();
    }

    private String cdcYaml() {
        if (!capture) {
            return """
                      enabled: false
                      topic-prefix: %s
                      signals-topic: %s-signals
                    """
                    .formatted(topicPrefix(), name());
        }
        var names =
                defaultKafkaNames
                        ? ""
                        : """
                          topic-prefix: %s
                          offsets-topic: %s-offsets
                          signals-topic: %s-signals
                        """
                                .formatted(topicPrefix(), name(), name());
        return names
                + """
                  slot: %s
                  publication: %s
                  poll-interval: 10ms
                """
                        .formatted(slot(), slot())
                + captureSettings;
    }

    /** The random part of every name, e.g. for keys the test must tell apart. */
    public String suffix() {
        return suffix;
    }

    /** {@code <prefix>-<suffix>}: the Kafka Streams application id, which starts its topics. */
    public String name() {
        return prefix + "-" + suffix;
    }

    /** Starts the change topics: {@code <topicPrefix>.<schema>.<table>}. */
    public String topicPrefix() {
        return defaultKafkaNames ? "cdc" : prefix + suffix;
    }

    /** The replication slot, also the publication's name. */
    public String slot() {
        return prefix + "_" + suffix;
    }

    public String commandsTopic() {
        return defaultKafkaNames ? "refresh-commands" : name() + "-refresh-commands";
    }

    public String resultsTopic() {
        return defaultKafkaNames ? "refresh-results" : name() + "-refresh-results";
    }

    public String bootstrap() {
        return bootstrap != null ? bootstrap : stack.kafka().bootstrapServers();
    }

    public Connection connect() throws SQLException {
        return stack.postgres().connect(database);
    }

    /** Runs SQL statements in the test's database. */
    public void execute(String sql) throws SQLException {
        try (var connection = connect()) {
            connection.createStatement().execute(sql);
        }
    }

    /** The first column of the first row of {@code sql}, which must return a row. */
    public long count(String sql) throws SQLException {
        try (var connection = connect();
                var rows = connection.createStatement().executeQuery(sql)) {
            assertThat(rows.next()).as("a row from %s", sql).isTrue();
            return rows.getLong(1);
        }
    }

    /** {@code pg_current_wal_lsn()} as a number. */
    public long currentWalLsn() throws SQLException {
        return count("SELECT pg_current_wal_lsn() - '0/0'::pg_lsn");
    }

    /** Whether the slot's restart LSN reached {@code lsn}: the WAL before it may be recycled. */
    public boolean slotRestartReached(long lsn) throws SQLException {
        try (var connection = connect();
                var statement =
                        connection.prepareStatement(
                                "SELECT restart_lsn - '0/0'::pg_lsn >= ? FROM pg_replication_slots"
                                        + " WHERE slot_name = ?")) {
            statement.setLong(1, lsn);
            statement.setString(2, slot());
            try (var result = statement.executeQuery()) {
                return result.next() && result.getBoolean(1);
            }
        }
    }

    /** Drops the replication slot, which would otherwise hold WAL on the shared server. */
    public void dropSlot() throws SQLException {
        // a no-op when capture never created it, so a test's own failure is the one reported
        execute(
                "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots"
                        + " WHERE slot_name = '"
                        + slot()
                        + "'");
    }

    /** Sends one record and waits until Kafka acknowledged it. */
    public void send(String topic, String key, String value) throws Exception {
        try (var producer =
                new KafkaProducer<>(
                        Map.<String, Object>of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap()),
                        new StringSerializer(),
                        new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
        }
    }

    /** {@code duration} times the {@code it.timeout.factor} system property (for slow machines). */
    public static Duration scaled(Duration duration) {
        return Duration.ofMillis((long) (duration.toMillis() * TIMEOUT_FACTOR));
    }
}
