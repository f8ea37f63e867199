package io.refreshorchestrator.topology;

import io.refreshorchestrator.discovery.JobGraph;
import io.refreshorchestrator.events.JsonSerde;
import io.refreshorchestrator.events.RefreshCommand;
import io.refreshorchestrator.events.RefreshResult;
import io.refreshorchestrator.events.Topic;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The Kafka Streams topology that turns change events and capture signals into refresh commands:
 *
 * <pre>
 * change topics (pattern) ─ parse, route to jobs ─┐
 * refresh-control (pattern) ─ pause/resume ─────────┼▶ changes-by-job (repartition, key = job)
 * refresh-results ─ run durations (pacing) ─────────┘
 *     ─ debounce, schedules (stores + wall-clock punctuator) ─▶ refresh-commands
 * signals topic (pattern) ─ capture reset ─▶ one STARTUP command per job ─▶ refresh-commands
 * unreadable change events and signals ─▶ refresh-dlq
 * </pre>
 *
 * Built by one pure function: nothing here connects anywhere or reads a clock.
 */
public final class RefreshTopology {

    /** Pending changes per job: job name → {@link PendingChanges} (JSON). */
    public static final String PENDING_STORE = "debounce-pending";

    /** Pending jobs by deadline: see {@link DueIndex}. */
    public static final String DUE_INDEX_STORE = "debounce-due-index";

    /** Per-job pacing, pause and schedule state: job name → {@link JobState} (JSON). */
    public static final String JOB_STATE_STORE = "job-state";

    /** Scheduled jobs by next fire time, like {@link #DUE_INDEX_STORE}. */
    public static final String SCHEDULE_INDEX_STORE = "schedule-due-index";

    /**
     * Name of the repartition step; the topic is {@code
     * <application.id>-changes-by-job-repartition}.
     */
    public static final String CHANGES_BY_JOB = "changes-by-job";

    static final JsonSerde<JobInput> JOB_INPUT_SERDE = new JsonSerde<>(JobInput.class);
    static final JsonSerde<PendingChanges> PENDING_SERDE = new JsonSerde<>(PendingChanges.class);
    static final JsonSerde<JobState> JOB_STATE_SERDE = new JsonSerde<>(JobState.class);

    private RefreshTopology() {}

    /** The topology for these jobs; build a new one when the job graph changes. */
    public static Topology build(JobGraph graph, TopologySettings settings) {
        var builder = new StreamsBuilder();
        Topic<String, RefreshCommand> commands = settings.topics().refreshCommands();
        var toCommands = Produced.with(commands.keySerde(), commands.valueSerde());

        KStream<String, Outcome<TableChange>> routed =
                builder.stream(
                                settings.changeTopics(),
                                Consumed.with(Serdes.ByteArray(), Serdes.ByteArray())
                                        .withName("change-events"))
                        .process(() -> new ChangeRouter(graph), Named.as("route-to-jobs"));
        KStream<String, JobInput> changes =
                Outcomes.split(routed, "change-events", settings.topics().refreshDlq())
                        .mapValues(
                                change -> (JobInput) JobInput.Change.of(change),
                                Named.as("as-job-change"));
        changes.merge(controls(builder, settings), Named.as("with-controls"))
                .merge(runs(builder, settings), Named.as("with-runs"))
                .repartition(
                        Repartitioned.with(Serdes.String(), JOB_INPUT_SERDE)
                                .withName(CHANGES_BY_JOB)
                                .withNumberOfPartitions(settings.jobPartitions()))
                .process(new DebouncerSupplier(graph, settings), Named.as("debounce"))
                .to(commands.name(), toCommands.withName("debounced-commands"));

        KStream<String, Outcome<RefreshCommand>> resets =
                builder.stream(
                                // A one-topic pattern, because a missing named source topic
                                // stops the whole application, and the cdc-listener may create
                                // this topic after we start.
                                Pattern.compile(Pattern.quote(settings.signalsTopic())),
                                Consumed.with(Serdes.ByteArray(), Serdes.ByteArray())
                                        .withName("capture-signals"))
                        .process(() -> new CaptureResetProcessor(graph), Named.as("capture-reset"));
        Outcomes.split(resets, "capture-signals", settings.topics().refreshDlq())
                .to(commands.name(), toCommands.withName("startup-commands"));

        return builder.build();
    }

    /** Pause/resume requests, keyed by job. */
    private static KStream<String, JobInput> controls(
            StreamsBuilder builder, TopologySettings settings) {
        KStream<String, Outcome<JobInput>> read =
                builder.stream(
                                // A pattern: the topic may appear only when pause is first used.
                                Pattern.compile(Pattern.quote(settings.controlTopic())),
                                Consumed.with(Serdes.ByteArray(), Serdes.ByteArray())
                                        .withName("job-controls"))
                        .process(ControlReader::new, Named.as("read-controls"));
        return Outcomes.split(read, "job-controls", settings.topics().refreshDlq());
    }

    /** How long each finished run took, keyed by job: what the refresh budget measures. */
    private static KStream<String, JobInput> runs(
            StreamsBuilder builder, TopologySettings settings) {
        var results = settings.topics().refreshResults();
        return builder.stream(
                        results.name(),
                        Consumed.with(Serdes.String(), Serdes.ByteArray())
                                .withName("refresh-results"))
                .flatMap(
                        (key, value) -> {
                            RefreshResult result;
                            try {
                                result =
                                        results.valueSerde()
                                                .deserializer()
                                                .deserialize(null, value);
                            } catch (RuntimeException e) {
                                return List.<KeyValue<String, JobInput>>of(); // not ours to judge
                            }
                            if (result == null
                                    || result.job() == null
                                    || result.durationMs() == null
                                    || result.finishedAt() == null) {
                                return List.<KeyValue<String, JobInput>>of();
                            }
                            return List.of(
                                    KeyValue.pair(
                                            result.job(),
                                            (JobInput)
                                                    new JobInput.Run(
                                                            result.durationMs(),
                                                            result.finishedAt())));
                        },
                        Named.as("run-durations"));
    }

    /** The debouncer with its stores, which it declares itself so they cannot drift apart. */
    private record DebouncerSupplier(JobGraph graph, TopologySettings settings)
            implements ProcessorSupplier<String, JobInput, String, RefreshCommand> {

        @Override
        public Processor<String, JobInput, String, RefreshCommand> get() {
            return new Debouncer(graph, settings.punctuationInterval(), settings.jobPartitions());
        }

        /**
         * In-memory stores backed by changelog topics: the state is one small entry per job with
         * changes pending, so RocksDB would cost memory and files for nothing, and the changelog
         * makes it survive a restart.
         */
        @Override
        public Set<StoreBuilder<?>> stores() {
            return Set.of(
                    Stores.keyValueStoreBuilder(
                            Stores.inMemoryKeyValueStore(PENDING_STORE),
                            Serdes.String(),
                            PENDING_SERDE),
                    Stores.keyValueStoreBuilder(
                            Stores.inMemoryKeyValueStore(DUE_INDEX_STORE),
                            Serdes.Bytes(),
                            Serdes.String()),
                    Stores.keyValueStoreBuilder(
                            Stores.inMemoryKeyValueStore(JOB_STATE_STORE),
                            Serdes.String(),
                            JOB_STATE_SERDE),
                    Stores.keyValueStoreBuilder(
                            Stores.inMemoryKeyValueStore(SCHEDULE_INDEX_STORE),
                            Serdes.Bytes(),
                            Serdes.String()));
        }
    }
}
