package io.refreshorchestrator.topology;

import io.refreshorchestrator.discovery.JobGraph;
import io.refreshorchestrator.events.JsonSerde;
import io.refreshorchestrator.events.RefreshCommand;
import io.refreshorchestrator.events.Topic;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.kafka.common.serialization.Serdes;
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
 * change topics (pattern) ─ parse, route to jobs ─▶ changes-by-job (repartition, key = job)
 *     ─ debounce (stores + wall-clock punctuator) ─▶ refresh-commands
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

    /**
     * Name of the repartition step; the topic is {@code
     * <application.id>-changes-by-job-repartition}.
     */
    public static final String CHANGES_BY_JOB = "changes-by-job";

    static final JsonSerde<TableChange> TABLE_CHANGE_SERDE = new JsonSerde<>(TableChange.class);
    static final JsonSerde<PendingChanges> PENDING_SERDE = new JsonSerde<>(PendingChanges.class);

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
        Outcomes.split(routed, "change-events", settings.topics().refreshDlq())
                .repartition(
                        Repartitioned.with(Serdes.String(), TABLE_CHANGE_SERDE)
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

    /** The debouncer with its two stores, which it declares itself so they cannot drift apart. */
    private record DebouncerSupplier(JobGraph graph, TopologySettings settings)
            implements ProcessorSupplier<String, TableChange, String, RefreshCommand> {

        @Override
        public Processor<String, TableChange, String, RefreshCommand> get() {
            return new Debouncer(graph, settings.punctuationInterval());
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
                            Serdes.String()));
        }
    }
}
