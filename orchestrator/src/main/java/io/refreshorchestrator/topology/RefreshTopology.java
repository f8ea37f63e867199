package io.refreshorchestrator.topology;

import io.refreshorchestrator.discovery.JobGraph;
import io.refreshorchestrator.events.JsonSerde;
import io.refreshorchestrator.events.RefreshCommand;
import io.refreshorchestrator.events.RefreshResult;
import io.refreshorchestrator.events.Topic;
import io.refreshorchestrator.events.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.AutoOffsetReset;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka Streams topology that turns change events and capture signals into refresh commands:
 *
 * <pre>
 * change topics (pattern) ─ parse, route to jobs ─┐
 * refresh-control (pattern) ─ pause/resume ─────────┼▶ changes-by-job (repartition, key = job)
 * refresh-results (pattern) ─┬ run durations (pacing)┘
 *                            └ finished upstream → its downstream jobs ─┐
 * routed changes ─ jobs below: "await your due upstream jobs" ─────────┴▶ cascade-by-job
 * cascade-by-job ─ cascade gate (waits for every due upstream) ─▶ a change to the upstream view,
 *     committed at its firstChangeAt ─┐
 * changes-by-job ─────────────────────┴─ debounce, schedules (stores + wall-clock punctuator)
 *     ─▶ refresh-commands
 * signals topic (pattern) ─ capture reset ─▶ one STARTUP command per top job ─▶ refresh-commands
 * unreadable change events and signals ─▶ refresh-dlq
 * </pre>
 *
 * Built by one pure function: nothing here connects anywhere or reads a clock.
 */
public final class RefreshTopology {

    /** Pending changes per job: job name → {@link PendingChanges} ({@link CompactSerde}). */
    public static final String PENDING_STORE = "debounce-pending";

    /**
     * Pending jobs by deadline: see {@link DueIndex}. In memory without a changelog: the debouncer
     * rebuilds it from {@link #PENDING_STORE} at its first punctuation after every (re)start.
     */
    public static final String DUE_INDEX_STORE = "debounce-due-index";

    /** Per-job pacing, pause and schedule state: job name → {@link JobState} (compact). */
    public static final String JOB_STATE_STORE = "job-state";

    /** Scheduled jobs by next fire time, like {@link #DUE_INDEX_STORE}. */
    public static final String SCHEDULE_INDEX_STORE = "schedule-due-index";

    /**
     * Name of the repartition step; the topic is {@code
     * <application.id>-changes-by-job-repartition}.
     */
    public static final String CHANGES_BY_JOB = "changes-by-job";

    /**
     * Name of the repartition step of cascade signals; the topic is {@code
     * <application.id>-cascade-by-job-repartition}.
     */
    public static final String CASCADE_BY_JOB = "cascade-by-job";

    /** What each downstream job waits for: job name → {@link CascadeWait} (JSON). */
    public static final String CASCADE_STORE = "cascade-waits";

    /**
     * Name of the one source node of the results topic (Kafka Streams allows one source per topic):
     * pacing and cascades both branch off the stream {@link #results} returns.
     */
    public static final String RESULTS_SOURCE = "refresh-results";

    static final CompactSerde<JobInput> JOB_INPUT_SERDE = InternalSerdes.JOB_INPUT;
    static final CompactSerde<PendingChanges> PENDING_SERDE = InternalSerdes.PENDING;
    static final CompactSerde<JobState> JOB_STATE_SERDE = InternalSerdes.JOB_STATE;
    static final JsonSerde<CascadeSignal> CASCADE_SIGNAL_SERDE =
            new JsonSerde<>(CascadeSignal.class);
    static final JsonSerde<CascadeWait> CASCADE_WAIT_SERDE = new JsonSerde<>(CascadeWait.class);

    private static final Logger LOG = LoggerFactory.getLogger(RefreshTopology.class);

    private RefreshTopology() {}

    /** The topology for these jobs; build a new one when the job graph changes. */
    public static Topology build(JobGraph graph, TopologySettings settings) {
        var builder = new StreamsBuilder();
        Topic<String, RefreshCommand> commands = settings.topics().refreshCommands();
        var toCommands = Produced.with(commands.keySerde(), commands.valueSerde());

        KStream<String, Outcome<JobInput.Change>> routed =
                builder.stream(
                                settings.changeTopics(),
                                Consumed.with(Serdes.ByteArray(), Serdes.ByteArray())
                                        .withName("change-events"))
                        .process(
                                () -> new ChangeRouter(graph, settings.punctuationInterval()),
                                Named.as("route-to-jobs"));
        KStream<String, JobInput.Change> accepted =
                Outcomes.split(routed, "change-events", settings.topics().refreshDlq());
        KStream<String, JobInput> changes =
                accepted.mapValues(change -> (JobInput) change, Named.as("as-job-change"));
        KStream<String, RefreshResult> results = results(builder, settings);
        KStream<String, JobInput> changesByJob =
                changes.merge(controls(builder, settings), Named.as("with-controls"))
                        .merge(runs(results), Named.as("with-runs"))
                        .repartition(
                                Repartitioned.with(Serdes.String(), JOB_INPUT_SERDE)
                                        .withName(CHANGES_BY_JOB)
                                        .withNumberOfPartitions(settings.jobPartitions()));

        KStream<String, CascadeSignal> awaits =
                // the rest of a transaction: its first change made the jobs below wait already
                accepted.filter((job, change) -> !change.continued(), Named.as("first-of-each"))
                        .flatMap(
                                (job, change) -> awaitsBelow(graph, job),
                                Named.as("await-upstream"));
        KStream<String, CascadeSignal> finished =
                results.flatMap(
                        (job, result) -> finishedAbove(graph, result),
                        Named.as("cascade-downstream"));
        KStream<String, JobInput> cascaded =
                awaits.merge(finished, Named.as("cascade-signals"))
                        .repartition(
                                Repartitioned.with(Serdes.String(), CASCADE_SIGNAL_SERDE)
                                        .withName(CASCADE_BY_JOB)
                                        .withNumberOfPartitions(settings.jobPartitions()))
                        .process(new CascadeGateSupplier(graph, settings), Named.as("cascade-gate"))
                        .mapValues(
                                change -> (JobInput) JobInput.Change.of(change),
                                Named.as("as-cascade-change"));

        changesByJob
                .merge(cascaded, Named.as("changes-and-cascades"))
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

    /**
     * The results topic, read once through the source node {@value #RESULTS_SOURCE} (a one-topic
     * pattern, like the signals topic, so the topology can start before the topic exists), from its
     * end when the application has no committed offset yet. A record that is not a readable result
     * is skipped: the topic is the executor's output, not ours to judge.
     */
    private static KStream<String, RefreshResult> results(
            StreamsBuilder builder, TopologySettings settings) {
        Topic<String, RefreshResult> results = settings.topics().refreshResults();
        return builder.stream(
                        Pattern.compile(Pattern.quote(results.name())),
                        Consumed.with(Serdes.String(), Serdes.ByteArray())
                                .withName(RESULTS_SOURCE)
                                // A new application starts at the end: the history of results
                                // must not cascade into a refresh of every view built on another.
                                .withOffsetResetPolicy(AutoOffsetReset.latest()))
                .flatMapValues(
                        value -> {
                            try {
                                var result = Topics.RESULT_SERDE.read(value);
                                return result == null || result.job() == null
                                        ? List.<RefreshResult>of()
                                        : List.of(result);
                            } catch (SerializationException e) {
                                LOG.debug("unreadable refresh result skipped: {}", e.getMessage());
                                return List.<RefreshResult>of();
                            }
                        },
                        Named.as("parse-results"));
    }

    /** How long each finished run took, keyed by job: what the refresh budget measures. */
    private static KStream<String, JobInput> runs(KStream<String, RefreshResult> results) {
        return results.flatMap(
                (key, result) -> {
                    if (result.durationMs() == null || result.finishedAt() == null) {
                        return List.<KeyValue<String, JobInput>>of();
                    }
                    return List.of(
                            KeyValue.pair(
                                    result.job(),
                                    (JobInput)
                                            new JobInput.Run(
                                                    result.durationMs(), result.finishedAt())));
                },
                Named.as("run-durations"));
    }

    private static List<KeyValue<String, CascadeSignal>> awaitsBelow(JobGraph graph, String job) {
        if (graph.descendantsOf(job).isEmpty()) {
            return List.of(); // most jobs: nothing is built on them, and this runs per change
        }
        var awaits = new ArrayList<KeyValue<String, CascadeSignal>>();
        graph.awaitedBelow(job)
                .forEach(
                        (below, upstreams) ->
                                awaits.add(KeyValue.pair(below, CascadeSignal.await(upstreams))));
        return awaits;
    }

    private static List<KeyValue<String, CascadeSignal>> finishedAbove(
            JobGraph graph, RefreshResult result) {
        var signals = new ArrayList<KeyValue<String, CascadeSignal>>();
        for (String below : graph.downstreamOf(result.job())) {
            signals.add(KeyValue.pair(below, CascadeSignal.finished(result)));
        }
        return signals;
    }

    /** The cascade gate with its store. */
    private record CascadeGateSupplier(JobGraph graph, TopologySettings settings)
            implements ProcessorSupplier<String, CascadeSignal, String, TableChange> {

        @Override
        public Processor<String, CascadeSignal, String, TableChange> get() {
            return new CascadeGate(graph, settings.punctuationInterval());
        }

        @Override
        public Set<StoreBuilder<?>> stores() {
            return Set.of(
                    Stores.keyValueStoreBuilder(
                            Stores.inMemoryKeyValueStore(CASCADE_STORE),
                            Serdes.String(),
                            CASCADE_WAIT_SERDE));
        }
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
         * makes it survive a restart. The pending store is record-cached: a busy job's entry is
         * rewritten with every transaction, and the cache sends only its last value per commit (100
         * ms) to the changelog; under exactly-once the cache is flushed before every commit, so
         * what is committed is the same. It holds a second copy of recently written entries, at
         * most {@code statestore.cache.max.bytes} (10 MiB by default) per instance. The due index
         * has no changelog: {@link Debouncer} rebuilds it from the pending store.
         */
        @Override
        public Set<StoreBuilder<?>> stores() {
            return Set.of(
                    Stores.keyValueStoreBuilder(
                                    Stores.inMemoryKeyValueStore(PENDING_STORE),
                                    Serdes.String(),
                                    PENDING_SERDE)
                            .withCachingEnabled(),
                    // derived from the pending store and rebuilt from it: no changelog
                    Stores.keyValueStoreBuilder(
                                    Stores.inMemoryKeyValueStore(DUE_INDEX_STORE),
                                    Serdes.Bytes(),
                                    Serdes.String())
                            .withLoggingDisabled(),
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
