package io.refreshorchestrator.topology;

import io.refreshorchestrator.discovery.JobGraph;
import io.refreshorchestrator.discovery.RelationName;
import io.refreshorchestrator.events.DeadLetter;
import io.refreshorchestrator.events.JobControl;
import io.refreshorchestrator.events.JobKind;
import io.refreshorchestrator.events.Reason;
import io.refreshorchestrator.events.RefreshCommand;
import io.refreshorchestrator.events.RefreshResult;
import io.refreshorchestrator.events.Status;
import io.refreshorchestrator.events.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;

/**
 * The refresh topology in a {@link TopologyTestDriver}, with the wall clock under the test's
 * control: changes are piped at the current wall-clock time, which only {@link #advance} moves.
 */
final class TopologyHarness implements AutoCloseable {

    static final Instant START = Instant.parse("2026-03-02T10:00:00Z");
    static final String PREFIX = "pg";
    static final String SIGNALS = "capture-signals";
    static final Topics TOPICS = Topics.defaults();

    /** The application id of the topology under test: the deployment it belongs to. */
    static final String APPLICATION_ID = "topology-test";

    private final TopologyTestDriver driver;
    private final Map<String, TestInputTopic<byte[], byte[]>> inputs = new HashMap<>();
    private final TestOutputTopic<String, RefreshCommand> commands;
    private final TestOutputTopic<String, DeadLetter> deadLetters;
    private TestInputTopic<String, JobInput> routedInput;
    private Instant now;

    TopologyHarness(JobGraph graph) {
        this(graph, settings());
    }

    TopologyHarness(JobGraph graph, TopologySettings settings) {
        this(graph, settings, START);
    }

    /** The topology with the wall clock starting at {@code start}. */
    TopologyHarness(JobGraph graph, Instant start) {
        this(graph, settings(), start);
    }

    TopologyHarness(JobGraph graph, TopologySettings settings, Instant start) {
        now = start;
        driver = new TopologyTestDriver(RefreshTopology.build(graph, settings), props(), start);
        var commandTopic = settings.topics().refreshCommands();
        commands =
                driver.createOutputTopic(
                        commandTopic.name(),
                        new StringDeserializer(),
                        commandTopic.valueSerde().deserializer());
        var dlq = settings.topics().refreshDlq();
        deadLetters =
                driver.createOutputTopic(
                        dlq.name(), new StringDeserializer(), dlq.valueSerde().deserializer());
    }

    /**
     * The default settings with one job partition: the driver runs every partition as task 0, so a
     * deployment of one partition is what it models (schedules fire in the task of their job's
     * partition).
     */
    static TopologySettings settings() {
        return TopologySettings.of(PREFIX, SIGNALS, TOPICS).withJobPartitions(1);
    }

    private static Properties props() {
        var props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, APPLICATION_ID);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        try {
            Path stateDir = Files.createTempDirectory("topology-test");
            props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return props;
    }

    /** The change topic Debezium writes {@code table} to, matched by the topology's pattern. */
    static String topicOf(RelationName table) {
        return PREFIX + "." + table.schema() + "." + table.name();
    }

    /** Pipes a change event for {@code table} now. */
    void change(RelationName table, String value) {
        pipe(topicOf(table), value);
    }

    /** Pipes a bare insert into {@code table}, committed now. */
    void insert(RelationName table) {
        change(table, DebeziumEvent.insertInto(table).committedAt(now).bare());
    }

    /** Publishes a pause or resume of {@code job}, as the CLI does. */
    void control(String job, JobControl.Action action) {
        control(job, action, APPLICATION_ID);
    }

    /** Publishes a pause or resume of {@code job} for the deployment {@code deployment}. */
    void control(String job, JobControl.Action action, String deployment) {
        var value = JobControl.of(job, action, now, "test", deployment);
        pipe(
                JobControl.DEFAULT_TOPIC,
                new String(JobControl.SERDE.write(value), StandardCharsets.UTF_8));
    }

    /**
     * Publishes the result of a run of {@code job} that took {@code duration}, as the executor
     * does.
     */
    void result(String job, Duration duration) {
        var result =
                new RefreshResult(
                        RefreshResult.CURRENT_VERSION,
                        java.util.UUID.randomUUID(),
                        job,
                        JobKind.REFRESH,
                        Status.SUCCEEDED,
                        Reason.DATA_CHANGE,
                        null,
                        1,
                        now.minus(duration),
                        now.minus(duration),
                        now,
                        duration.toMillis(),
                        null,
                        null,
                        null,
                        null,
                        null);
        result(result);
    }

    /** Pipes a result to the results topic now, keyed by its job as the executor does. */
    void result(RefreshResult result) {
        pipe(
                TOPICS.refreshResults().name(),
                new String(Topics.RESULT_SERDE.write(result), StandardCharsets.UTF_8));
    }

    void signal(String value) {
        pipe(SIGNALS, value);
    }

    void pipe(String topic, String value) {
        inputs.computeIfAbsent(
                        topic,
                        name ->
                                driver.createInputTopic(
                                        name, new ByteArraySerializer(), new ByteArraySerializer()))
                .pipeInput(
                        "{\"id\":42}".getBytes(StandardCharsets.UTF_8),
                        value == null ? null : value.getBytes(StandardCharsets.UTF_8),
                        now);
    }

    /** The internal topic between routing and the debouncer. */
    static final String CHANGES_BY_JOB_TOPIC =
            "topology-test-" + RefreshTopology.CHANGES_BY_JOB + "-repartition";

    /**
     * Pipes a routed input for {@code job} straight into the debouncer's topic now, as the router
     * of another task (or an earlier incarnation of this one) would have written it.
     */
    void routed(String job, JobInput input) {
        if (routedInput == null) {
            routedInput =
                    driver.createInputTopic(
                            CHANGES_BY_JOB_TOPIC,
                            new StringSerializer(),
                            RefreshTopology.JOB_INPUT_SERDE.serializer());
        }
        routedInput.pipeInput(job, input, now);
    }

    /** The records written to the debouncer's topic since the last call, keyed by job. */
    List<KeyValue<String, JobInput>> routedRecords() {
        return driver.createOutputTopic(
                        CHANGES_BY_JOB_TOPIC,
                        new StringDeserializer(),
                        RefreshTopology.JOB_INPUT_SERDE.deserializer())
                .readKeyValuesToList();
    }

    /** The topics the topology has written to so far. */
    Set<String> producedTopicNames() {
        return driver.producedTopicNames();
    }

    /** The changelog topic of {@code store}. */
    static String changelogOf(String store) {
        return APPLICATION_ID + "-" + store + "-changelog";
    }

    /** Moves the wall clock; punctuations that are due run. */
    void advance(Duration duration) {
        now = now.plus(duration);
        driver.advanceWallClockTime(duration);
    }

    /** Moves the wall clock in steps of {@code step}, as a running instance would punctuate. */
    void advanceInSteps(Duration duration, Duration step) {
        Instant until = now.plus(duration);
        while (now.isBefore(until)) {
            Duration next = Duration.between(now, until);
            advance(next.compareTo(step) < 0 ? next : step);
        }
    }

    Instant now() {
        return now;
    }

    /** The commands emitted since the last call (each keyed by its job). */
    List<RefreshCommand> commands() {
        return commandRecords().stream().map(TestRecord::value).toList();
    }

    /** The command records emitted since the last call, with keys and timestamps. */
    List<TestRecord<String, RefreshCommand>> commandRecords() {
        return commands.readRecordsToList();
    }

    /** The dead letters emitted since the last call. */
    List<KeyValue<String, DeadLetter>> deadLetters() {
        return deadLetters.readKeyValuesToList();
    }

    KeyValueStore<String, PendingChanges> pending() {
        return driver.getKeyValueStore(RefreshTopology.PENDING_STORE);
    }

    KeyValueStore<String, CascadeWait> cascadeWaits() {
        return driver.getKeyValueStore(RefreshTopology.CASCADE_STORE);
    }

    KeyValueStore<String, JobState> jobStates() {
        return driver.getKeyValueStore(RefreshTopology.JOB_STATE_STORE);
    }

    KeyValueStore<Bytes, String> schedules() {
        return driver.getKeyValueStore(RefreshTopology.SCHEDULE_INDEX_STORE);
    }

    KeyValueStore<Bytes, String> dueIndex() {
        return driver.getKeyValueStore(RefreshTopology.DUE_INDEX_STORE);
    }

    @Override
    public void close() {
        driver.close();
    }
}
