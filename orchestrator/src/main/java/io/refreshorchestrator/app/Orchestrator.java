package io.refreshorchestrator.app;

import io.refreshorchestrator.api.HttpApi;
import io.refreshorchestrator.cdc.CdcSupervisor;
import io.refreshorchestrator.cdc.TopicProvisioner;
import io.refreshorchestrator.config.KafkaSettings;
import io.refreshorchestrator.config.OrchestratorConfig;
import io.refreshorchestrator.config.Secret;
import io.refreshorchestrator.discovery.JobGraph;
import io.refreshorchestrator.discovery.JobSpec;
import io.refreshorchestrator.executor.Executor;
import io.refreshorchestrator.history.HistoryWriter;
import io.refreshorchestrator.local.KafkaBroker;
import io.refreshorchestrator.localmode.DataDirectory;
import io.refreshorchestrator.localmode.DataDirectoryClaim;
import io.refreshorchestrator.topology.RefreshTopology;
import io.refreshorchestrator.topology.StreamsSettings;
import io.refreshorchestrator.topology.TopologyRunner;
import io.refreshorchestrator.topology.TopologySettings;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The all-in-one process: change capture, the topology and the executor, started in that order
 * against one Kafka (an embedded single-node broker when none is configured) and one PostgreSQL,
 * and stopped in the reverse order.
 *
 * <p>The embedded broker is temporary ({@link #start(OrchestratorConfig)}: its data goes with the
 * process) or keeps its data in a {@link DataDirectory} ({@link #start(OrchestratorConfig,
 * DataDirectory)}), where this process also writes its instance file while it runs.
 */
public final class Orchestrator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Orchestrator.class);
    private static final Duration TOPIC_TIMEOUT = Duration.ofSeconds(30);

    private final OrchestratorConfig config;
    private final DataDirectory dataDirectory;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private KafkaSettings kafka;
    private JobGraph jobs;
    private CdcSupervisor capture;
    private TopologyRunner topology;
    private volatile String fatal;
    private Executor executor;
    private HttpApi http;
    private DataDirectoryClaim claim;

    private Orchestrator(OrchestratorConfig config, DataDirectory dataDirectory) {
        this.config = config;
        this.dataDirectory = dataDirectory;
    }

    /**
     * Starts every stage; on failure, what was started is stopped again before the throw. Without
     * {@code kafka.bootstrap-servers}, the embedded broker is temporary: its data is deleted when
     * it stops (tests, the demo).
     */
    public static Orchestrator start(OrchestratorConfig config) {
        return start(config, null);
    }

    /**
     * Like {@link #start(OrchestratorConfig)}, but without {@code kafka.bootstrap-servers} the
     * embedded broker keeps its data in {@code dataDirectory} (so a restart resumes pending work),
     * which this process locks, and where it writes its instance file while it runs. With a
     * configured Kafka, {@code dataDirectory} is not used.
     *
     * @throws DataDirectory.DataDirectoryInUseException when another process uses the directory
     * @throws io.refreshorchestrator.config.ConfigException when the HTTP API is enabled and its
     *     configured token cannot be read (before anything starts)
     */
    public static Orchestrator start(OrchestratorConfig config, DataDirectory dataDirectory) {
        var orchestrator = new Orchestrator(config, dataDirectory);
        try {
            orchestrator.startAll();
            return orchestrator;
        } catch (RuntimeException e) {
            orchestrator.close();
            throw e;
        }
    }

    private void startAll() {
        // The API's token before anything else: run needs it, so a missing one fails at once.
        var apiToken = config.http().enabled() ? config.http().token().read() : Secret.empty();
        // Then the graph: a configured view missing from the catalog fails before anything runs.
        jobs = JobGraphLoader.load(config.postgres(), config.jobs()).graph();
        // Then whether capture can work at all: a missing privilege is not worth a broker start,
        // nor a capture retried forever while "started" is reported.
        if (config.cdcEnabled()) {
            Preflight.requireCapture(config, jobs);
        }
        kafka = config.kafka().orElseGet(this::startEmbeddedBroker);
        if (config.kafka().isPresent()) {
            awaitBroker();
        }
        provisionTopics();
        started.push(BrokerWatch.start(kafka));
        if (config.cdcEnabled()) {
            capture =
                    new CdcSupervisor(
                            Preflight.captureSettings(config, jobs).withKafka(kafka).toBuilder()
                                    .instanceId(config.instanceId())
                                    .build(),
                            CdcSupervisor.DEFAULT_BACKOFF,
                            CdcSupervisor.DEFAULT_MAX_BACKOFF);
            started.push(capture);
            capture.start();
        }
        startTopology();
        startExecutor();
        if (config.history().enabled()) {
            startHistory();
        }
        if (config.http().enabled()) {
            http =
                    HttpApi.start(
                            config.http(),
                            apiToken,
                            new HttpApi.Parts(
                                    jobs,
                                    kafka,
                                    config.topics().topics(),
                                    config.topics().control(),
                                    config.streams().applicationId(),
                                    config.postgres(),
                                    topology,
                                    executor,
                                    capture == null ? null : capture.health()));
            started.push(http);
        }
        if (claim != null) {
            claim.announce(
                    kafka.bootstrapServers(),
                    http == null ? null : config.http().bind(),
                    http == null ? 0 : http.port(),
                    config.streams().applicationId(),
                    config.topics().commands(),
                    config.topics().results(),
                    config.topics().control(),
                    jobs.jobs().stream().map(JobSpec::name).sorted().toList());
        }
        LOG.info(
                "Refresh orchestrator started: {} job(s), {} source table(s), Kafka {}",
                jobs.jobs().size(),
                jobs.sourceTables().size(),
                kafka.bootstrapServers());
    }

    private boolean keepsData() {
        return dataDirectory != null && config.kafka().isEmpty();
    }

    private KafkaSettings startEmbeddedBroker() {
        final KafkaBroker broker;
        if (keepsData()) {
            claim = DataDirectoryClaim.claim(dataDirectory);
            started.push(claim);
            broker = claim.startBroker();
        } else {
            LOG.info(
                    "No kafka.bootstrap-servers configured: starting an embedded single-node"
                            + " broker (temporary data)");
            broker = KafkaBroker.start();
        }
        // stopped last by close(), after every client of it
        broker.handOverShutdown();
        started.push(broker);
        LOG.info("Embedded Kafka broker listening on {}", broker.bootstrapServers());
        return KafkaSettings.of(broker.bootstrapServers());
    }

    private void awaitBroker() {
        try {
            BrokerReachability.await(kafka, kafka.startTimeout(), "kafka.start-timeout", LOG::warn);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Kafka", e);
        }
    }

    private void provisionTopics() {
        Map<String, Object> adminConfig = new java.util.HashMap<>(kafka.properties());
        adminConfig.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        var names = config.topics();
        try (var admin = Admin.create(adminConfig)) {
            TopicProvisioner.ensure(
                    admin,
                    List.of(
                            names.commands(),
                            names.results(),
                            names.dlq(),
                            config.cdc().signalsTopic(),
                            names.control()),
                    names.partitions(),
                    names.replicationFactor(),
                    TOPIC_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating the topics", e);
        }
    }

    private void startTopology() {
        var streams = config.streams();
        var settings =
                TopologySettings.of(
                                config.cdc().topicPrefix(),
                                config.cdc().signalsTopic(),
                                config.topics().topics())
                        .withPunctuationInterval(streams.punctuationInterval())
                        .withControlTopic(config.topics().control());
        var streamsSettings =
                new StreamsSettings(
                        streams.applicationId(),
                        kafka,
                        streams.stateDir(),
                        config.topics().replicationFactor(),
                        streams.threads(),
                        config.instanceId());
        topology =
                new TopologyRunner(RefreshTopology.build(jobs, settings), streamsSettings)
                        .onFatal(this::stopOnFatal);
        started.push(topology);
        topology.start();
    }

    private void startExecutor() {
        executor =
                Executor.create(
                        kafka,
                        config.postgres(),
                        config.topics().topics(),
                        jobs,
                        config.executor());
        executor.onFatal(this::stopOnFatal);
        started.push(executor);
        var thread = new Thread(executor, "refresh-executor");
        thread.start();
    }

    private void startHistory() {
        var history =
                new HistoryWriter(
                        config.history(),
                        config.postgres(),
                        config.executor().stateSchema(),
                        kafka,
                        config.topics().topics().refreshResults(),
                        config.executor().groupId() + "-history");
        started.push(history);
        history.start();
    }

    /** Stops the whole process: one stage gone for good leaves the others useless. */
    private void stopOnFatal(String reason) {
        if (fatal == null) {
            fatal = reason;
            var stopper = new Thread(this::close, "refresh-orchestrator-fatal-stop");
            stopper.start();
        }
    }

    /** Why the orchestrator stopped by itself (a stage that cannot go on), if it did. */
    public java.util.Optional<String> fatal() {
        return java.util.Optional.ofNullable(fatal);
    }

    /** The job graph discovered at start. */
    public JobGraph jobs() {
        return jobs;
    }

    /** The port of the HTTP API, empty when it is off. */
    public java.util.OptionalInt httpPort() {
        return http == null ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(http.port());
    }

    /** The Kafka this orchestrator uses: the configured one or the embedded broker. */
    public KafkaSettings kafka() {
        return kafka;
    }

    /**
     * Blocks until change capture streams and the topology runs.
     *
     * @return false when either is not ready within {@code timeout}
     */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        if (capture != null && !capture.awaitStreaming(timeout)) {
            return false;
        }
        long left = Math.max(0, deadline - System.nanoTime());
        return topology.awaitRunning(Duration.ofNanos(left));
    }

    /** Blocks until {@link #close} was called. */
    public void awaitTermination() throws InterruptedException {
        stopped.await();
    }

    /** Blocks until {@link #close} was called or {@code timeout} passed. */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops every stage in the reverse order of their start; idempotent. */
    @Override
    public synchronized void close() {
        // first: a command must not find a process that is going away
        if (claim != null) {
            claim.withdraw();
        }
        while (!started.isEmpty()) {
            var stage = started.pop();
            try {
                stage.close();
            } catch (Exception e) {
                LOG.warn(
                        "Error while stopping {}: {}",
                        stage.getClass().getSimpleName(),
                        e.toString());
            }
        }
        stopped.countDown();
    }
}
