package io.refreshorchestrator.local;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Apache Kafka broker (KRaft, broker and controller in one process) running in a
 * child JVM from this JVM's classpath, on free loopback ports, with its data in a temporary
 * directory that {@link #close()} deletes, or in a kept directory ({@link #startIn}) where a later
 * start finds its topics, offsets and KRaft metadata again.
 *
 * <p>The child halts by itself when this JVM dies, even by kill -9; a shutdown hook closes the
 * broker on normal JVM exit. Kafka's default {@code auto.create.topics.enable=true} is kept; tests
 * should still create their topics with {@link #createTopic}.
 */
public final class KafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaBroker.class);
    private static final String HOST = "127.0.0.1";
    private static final int PORT_ATTEMPTS = 3;
    private static final Duration GRACEFUL_STOP = Duration.ofSeconds(10);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);
    private static final int DESCRIBE_CLUSTER_TIMEOUT_MS = 2_000;

    private final KafkaBrokerOptions options;
    private final Path directory;
    private final Path dataDirectory;
    private final KafkaBrokerProcess process;
    private final boolean kept;
    private final ShutdownHook shutdownHook;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile int port;
    private volatile int saslSslPort;
    private Admin admin;

    private KafkaBroker(KafkaBrokerOptions options, Path directory, boolean kept) {
        this.options = options;
        this.directory = directory;
        this.kept = kept;
        this.dataDirectory = directory.resolve("data");
        this.process = new KafkaBrokerProcess(directory, options.jvmOptions(), !kept);
        this.shutdownHook = ShutdownHook.register("kafka-cleanup-" + directory, this::closeNow);
    }

    /** Formats and starts a broker with {@link KafkaBrokerOptions#defaults()}. */
    public static KafkaBroker start() {
        return start(KafkaBrokerOptions.defaults());
    }

    /** Formats and starts a broker; returns once it answers admin calls. */
    public static KafkaBroker start(KafkaBrokerOptions options) {
        return launch(new KafkaBroker(options, Directories.createTemp("refresh-kafka-"), false));
    }

    /**
     * Starts a broker whose data lives in {@code directory} (created when missing) and stays there:
     * the first start formats it, a later one finds its topics, committed offsets and KRaft
     * metadata again, on the ports it used before when they are still free. {@link #close()} stops
     * the broker and keeps the directory; so does the end of this JVM, even by kill -9 (Kafka then
     * recovers its logs at the next start). One broker at a time may use a directory.
     */
    public static KafkaBroker startIn(Path directory, KafkaBrokerOptions options) {
        Directories.create(directory);
        return launch(new KafkaBroker(options, directory, true));
    }

    private static KafkaBroker launch(KafkaBroker broker) {
        long startedAt = System.nanoTime();
        try {
            broker.startOnFreePorts();
        } catch (RuntimeException e) {
            broker.closeAdmin();
            broker.closeNow();
            throw e;
        }
        LOG.info(
                "Kafka broker ready at {} in {} ms (data in {})",
                broker.bootstrapServers(),
                (System.nanoTime() - startedAt) / 1_000_000,
                broker.directory);
        return broker;
    }

    /** {@code 127.0.0.1:PORT}, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return HOST + ":" + port;
    }

    /**
     * {@code 127.0.0.1:PORT} of the SASL_SSL listener.
     *
     * @throws IllegalStateException when the broker was started without one
     */
    public String saslSslBootstrapServers() {
        if (options.saslSslListener() == null) {
            throw new IllegalStateException("this broker has no SASL_SSL listener");
        }
        return HOST + ":" + saslSslPort;
    }

    /**
     * The broker's own admin client, created on first use and closed with the broker: use it, do
     * not close it.
     */
    public synchronized Admin admin() {
        if (admin == null) {
            admin =
                    Admin.create(
                            Map.of(
                                    AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                                    bootstrapServers(),
                                    AdminClientConfig.CLIENT_ID_CONFIG,
                                    "local-stack-admin-" + port));
        }
        return admin;
    }

    /** Creates a topic with one replica and waits until every partition has a leader. */
    public void createTopic(String name, int partitions) {
        createTopic(name, partitions, Map.of());
    }

    /**
     * Like {@link #createTopic(String, int)}, with topic configs such as {@code cleanup.policy}.
     */
    public void createTopic(String name, int partitions, Map<String, String> configs) {
        var topic = new NewTopic(name, partitions, (short) 1).configs(configs);
        TopicCreation.create(admin(), topic, ADMIN_TIMEOUT, () -> LogTail.of(logFile(), 20));
    }

    /** Kills the broker process at once (SIGKILL), like a crash; data is kept for a restart. */
    public void kill() {
        process.kill();
    }

    /** Stops the broker gracefully (SIGTERM), killing it if it takes longer than 10 s. */
    public synchronized void stop() {
        if (!process.stop(GRACEFUL_STOP)) {
            LOG.warn("Kafka broker did not stop within {}, killed it", GRACEFUL_STOP);
        }
    }

    /** Starts the broker again on the same ports and data, stopping it first if it runs. */
    public synchronized void restart() {
        if (closed.get()) {
            throw new IllegalStateException("Kafka broker in " + directory + " is closed");
        }
        stop();
        long startedAt = System.nanoTime();
        process.launch();
        awaitReady();
        if (kept) {
            writePidFile();
        }
        LOG.info(
                "Kafka broker restarted at {} in {} ms",
                bootstrapServers(),
                (System.nanoTime() - startedAt) / 1_000_000);
    }

    public boolean isRunning() {
        return process.isRunning();
    }

    /** The directory holding the broker's data, configuration and {@link #logFile()}. */
    public Path directory() {
        return directory;
    }

    /** The broker JVM's output: its log at INFO. */
    public Path logFile() {
        return process.logFile();
    }

    /** The broker JVM's process id; fails before the first start. */
    long pid() {
        return process.pid();
    }

    /**
     * Leaves stopping the broker at JVM exit to the caller, who closes it from its own shutdown
     * path once the clients using it have stopped (otherwise both run at once and those clients
     * lose their broker mid-shutdown). If this JVM dies without closing it, the broker still halts
     * by itself.
     */
    public void handOverShutdown() {
        shutdownHook.cancel();
    }

    /**
     * Closes the admin client, stops the broker gracefully and deletes its directory, unless it was
     * started {@link #startIn} a kept one.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        shutdownHook.cancel();
        try {
            closeAdmin();
            stop();
        } finally {
            if (!kept) {
                Directories.deleteRecursively(directory);
            }
        }
        LOG.info(
                "Kafka broker at {} stopped, {} {}",
                bootstrapServers(),
                directory,
                kept ? "kept" : "deleted");
    }

    /** The shutdown-hook path: no waiting for a graceful stop of a temporary broker. */
    private void closeNow() {
        if (closed.compareAndSet(false, true)) {
            if (kept) {
                stop();
                return;
            }
            process.kill();
            Directories.deleteRecursively(directory);
        }
    }

    private void startOnFreePorts() {
        if (kept) {
            awaitPreviousBrokerGone();
        }
        var recorded = kept ? KafkaBrokerProperties.recordedPorts(process.propertiesFile()) : null;
        boolean formatted = kept && Files.exists(dataDirectory.resolve("meta.properties"));
        for (int attempt = 1; ; attempt++) {
            boolean reuse = attempt == 1 && formatted && recorded != null;
            port = reuse ? recorded[0] : FreePorts.pick();
            int controllerPort = reuse ? recorded[1] : FreePorts.pick();
            long logOffset = LogTail.size(process.logFile());
            try {
                KafkaBrokerProperties.write(process.propertiesFile(), properties(controllerPort));
                if (!formatted) {
                    Directories.deleteRecursively(dataDirectory);
                    process.format();
                }
                process.launch();
                awaitReady();
                if (kept) {
                    writePidFile();
                }
                return;
            } catch (IllegalStateException e) {
                process.kill();
                closeAdmin();
                String log = LogTail.since(process.logFile(), logOffset);
                if (!log.contains("Address already in use") || attempt == PORT_ATTEMPTS) {
                    throw e;
                }
                LOG.info(
                        "Port {}, {} or {} was taken before Kafka bound it, retrying",
                        port,
                        controllerPort,
                        saslSslPort);
            }
        }
    }

    /**
     * After a kill -9 of the JVM that started it, the broker of a kept directory halts by itself a
     * moment later; until it has, it holds the directory's log lock.
     */
    private void awaitPreviousBrokerGone() {
        Path pidFile = directory.resolve("broker.pid");
        final long pid;
        try {
            pid = Long.parseLong(Files.readString(pidFile).trim());
        } catch (IOException | NumberFormatException e) {
            return; // none recorded (first start) or unreadable: nothing to wait for
        }
        boolean brokerOfThisDirectory =
                ProcessHandle.of(pid)
                        .filter(ProcessHandle::isAlive)
                        .flatMap(handle -> handle.info().commandLine())
                        .map(
                                line ->
                                        line.contains(KafkaBrokerMain.class.getName())
                                                && line.contains(directory.toString()))
                        .orElse(false);
        if (brokerOfThisDirectory) {
            LOG.info("The broker of an earlier run (pid {}) is still halting: waiting", pid);
            Poll.until(
                    "the earlier broker (pid " + pid + ") in " + directory + " to exit",
                    GRACEFUL_STOP.multipliedBy(3),
                    () -> !ProcessLiveness.isRunning(pid),
                    () -> LogTail.of(process.logFile(), 20));
        }
    }

    private void writePidFile() {
        try {
            Files.writeString(directory.resolve("broker.pid"), Long.toString(process.pid()));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("Cannot write the broker's pid file", e);
        }
    }

    private Map<String, String> properties(int controllerPort) {
        var properties =
                KafkaBrokerProperties.render(
                        port, controllerPort, dataDirectory, options.brokerProperties());
        if (options.saslSslListener() == null) {
            return properties;
        }
        saslSslPort = FreePorts.pick();
        return KafkaBrokerProperties.withSaslSsl(
                properties, saslSslPort, options.saslSslListener());
    }

    private void awaitReady() {
        Poll.until(
                "the Kafka broker at " + bootstrapServers() + " to answer admin calls",
                options.startTimeout(),
                () -> {
                    if (!process.isRunning()) {
                        throw new Poll.GiveUp("the broker exited with code " + process.exitCode());
                    }
                    // Probe the port first: the admin client logs every refused connection.
                    return acceptsConnections() && hasController();
                },
                () -> LogTail.of(process.logFile(), 40));
    }

    private boolean acceptsConnections() {
        try (var socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private boolean hasController() throws Exception {
        var describe = new DescribeClusterOptions().timeoutMs(DESCRIBE_CLUSTER_TIMEOUT_MS);
        var cluster = admin().describeCluster(describe);
        return cluster.controller().get() != null && !cluster.nodes().get().isEmpty();
    }

    private synchronized void closeAdmin() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
            admin = null;
        }
    }
}
