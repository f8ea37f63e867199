package io.refreshorchestrator.topology;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KafkaStreams.State;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a topology on Kafka: one {@link KafkaStreams} instance configured by {@link
 * StreamsSettings}, whose stream threads are replaced, not lost, when one dies.
 */
public final class TopologyRunner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TopologyRunner.class);
    private static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(30);
    private static final Set<State> STOPPED =
            EnumSet.of(State.PENDING_SHUTDOWN, State.NOT_RUNNING, State.PENDING_ERROR, State.ERROR);

    private final KafkaStreams streams;
    private final Object stateChanged = new Object();
    private volatile Consumer<String> onFatal = reason -> {};
    private final ZombieFence fence;
    private final StreamsSettings settings;
    private final java.util.concurrent.ExecutorService fencer =
            java.util.concurrent.Executors.newSingleThreadExecutor(
                    task -> {
                        var thread = new Thread(task, "topology-zombie-fence");
                        thread.setDaemon(true);
                        return thread;
                    });
    private org.apache.kafka.clients.admin.Admin admin;

    public TopologyRunner(Topology topology, StreamsSettings settings) {
        this.fence = new ZombieFence(settings);
        this.settings = settings;
        this.streams = new KafkaStreams(topology, settings.toProperties());
        streams.setUncaughtExceptionHandler(
                error -> {
                    if (fencedInstance(error)) {
                        // A replaced thread would fence the other process in turn, for ever.
                        var reason =
                                "another live process uses instance-id '"
                                        + settings.instanceId()
                                        + "': the broker fenced this one (group.instance.id "
                                        + settings.instanceId()
                                        + StreamsSettings.MEMBER_SUFFIX
                                        + "-<thread>). Give every instance its own instance-id.";
                        LOG.error("Topology stopped: {}", reason);
                        onFatal.accept(reason);
                        return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
                    }
                    // Every input is handled as data (dead letters), so what gets here is a bug or
                    // a broker problem; a fresh thread resumes from the last commit.
                    LOG.error("stream thread failed; replacing it", error);
                    return StreamThreadExceptionResponse.REPLACE_THREAD;
                });
        streams.setStateListener(
                (newState, oldState) -> {
                    LOG.info("topology {} -> {}", oldState, newState);
                    if (newState == State.RUNNING) {
                        fence.record(streams.metadataForLocalThreads());
                        fencer.execute(() -> fence.fenceDeparted(admin()));
                    }
                    synchronized (stateChanged) {
                        stateChanged.notifyAll();
                    }
                });
    }

    /** The admin client the fence uses, made on first use (on the fencer's thread only). */
    private org.apache.kafka.clients.admin.Admin admin() {
        if (admin == null) {
            var config = new java.util.HashMap<String, Object>(settings.kafka().properties());
            config.put("bootstrap.servers", settings.kafka().bootstrapServers());
            admin = org.apache.kafka.clients.admin.Admin.create(config);
        }
        return admin;
    }

    /** Called once when the topology stops for a reason that needs an operator. */
    public TopologyRunner onFatal(Consumer<String> listener) {
        this.onFatal = listener;
        return this;
    }

    private static boolean fencedInstance(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof FencedInstanceIdException) {
                return true;
            }
        }
        return false;
    }

    /** Starts processing in the background; see {@link #awaitRunning}. */
    public void start() {
        fence.fencePreviousRun();
        streams.start();
    }

    /**
     * Waits until the topology is RUNNING (all tasks assigned and restored).
     *
     * @return true when running, false when {@code timeout} passed first
     * @throws IllegalStateException when the instance is shutting down or failed
     */
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (stateChanged) {
            while (true) {
                State state = streams.state();
                if (state == State.RUNNING) {
                    return true;
                }
                if (STOPPED.contains(state)) {
                    throw new IllegalStateException("topology stopped while starting: " + state);
                }
                long leftNanos = deadline - System.nanoTime();
                if (leftNanos <= 0) {
                    return false;
                }
                // Bounded wait: a state change between reading the state and waiting is caught
                // by the next round.
                stateChanged.wait(
                        Math.max(1, Math.min(Duration.ofNanos(leftNanos).toMillis(), 100)));
            }
        }
    }

    public State state() {
        return streams.state();
    }

    /** The Kafka Streams instance, for metrics binders; do not start or close it through this. */
    public KafkaStreams kafkaStreams() {
        return streams;
    }

    /**
     * What this instance's stores hold about {@code job} (interactive query over the local
     * partitions; a job whose partition another instance owns reads as idle here).
     *
     * @return empty when the stores are not queryable right now (starting, rebalancing)
     */
    public Optional<JobStoreView> jobView(String job) {
        if (streams.state() != State.RUNNING) {
            return Optional.empty();
        }
        try {
            ReadOnlyKeyValueStore<String, PendingChanges> pending =
                    streams.store(
                            StoreQueryParameters.fromNameAndType(
                                    RefreshTopology.PENDING_STORE,
                                    QueryableStoreTypes.keyValueStore()));
            ReadOnlyKeyValueStore<String, JobState> states =
                    streams.store(
                            StoreQueryParameters.fromNameAndType(
                                    RefreshTopology.JOB_STATE_STORE,
                                    QueryableStoreTypes.keyValueStore()));
            return Optional.of(JobStoreView.of(pending.get(job), states.get(job)));
        } catch (InvalidStateStoreException e) {
            return Optional.empty();
        }
    }

    /**
     * Stops processing and commits what was processed.
     *
     * @return true when every thread stopped within {@code timeout}
     */
    public boolean close(Duration timeout) {
        // Leave the group, although a static member need not: a graceful stop is a deploy or a
        // scale-down more often than a restart, and the other instances should take its tasks
        // now, not after the session timeout. A restart then costs one rebalance on leaving and
        // one on joining, each over in a second or two. A kill -9 leaves nothing: the restart
        // takes its tasks back as the same static member.
        boolean closed =
                streams.close(
                        CloseOptions.groupMembershipOperation(
                                        CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                                .withTimeout(timeout));
        closeFencer();
        return closed;
    }

    @Override
    public void close() {
        close(DEFAULT_CLOSE_TIMEOUT);
    }

    private void closeFencer() {
        fencer.shutdownNow();
        try {
            fencer.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
    }
}
