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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local backend of {@link KafkaBroker}: a real single-node broker (KRaft, broker and controller
 * in one process) in a child JVM from this JVM's classpath, on free loopback ports, with its data
 * in a temporary directory that {@link #close()} deletes.
 *
 * <p>The child halts by itself when this JVM dies, even by kill -9; a shutdown hook closes the
 * broker on normal JVM exit.
 */
final class KafkaProcessRuntime implements KafkaRuntime {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaBroker.class);
    private static final String HOST = "127.0.0.1";
    private static final int PORT_ATTEMPTS = 3;
    private static final Duration GRACEFUL_STOP = Duration.ofSeconds(10);
    private static final int DESCRIBE_CLUSTER_TIMEOUT_MS = 2_000;

    private final KafkaBrokerOptions options;
    private final Path directory;
    private final Path dataDirectory;
    private final KafkaBrokerProcess process;
    private final ShutdownHook shutdownHook;
    private final boolean kept;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile int port;
    private volatile int saslSslPort;
    private Admin probe;

    private KafkaProcessRuntime(KafkaBrokerOptions options, Path directory, boolean kept) {
        this.options = options;
        this.directory = directory;
        this.kept = kept;
        this.dataDirectory = directory.resolve("data");
        this.process = new KafkaBrokerProcess(directory, options.jvmOptions(), !kept);
        this.shutdownHook = ShutdownHook.register("kafka-cleanup-" + directory, this::closeNow);
    }

    /** Formats and starts a broker; returns once it answers admin calls. */
    static KafkaProcessRuntime start(KafkaBrokerOptions options) {
        return launch(
                new KafkaProcessRuntime(options, Directories.createTemp("refresh-kafka-"), false));
    }

    /**
     * Starts a broker whose data lives in {@code directory} (created when missing) and stays there:
     * the first start formats it, a later one finds its topics, committed offsets and KRaft
     * metadata again, on the ports it used before when they are still free. {@link #close()} stops
     * the broker and keeps the directory; so does the end of this JVM, even by kill -9 (Kafka then
     * recovers its logs at the next start). One broker at a time may use a directory.
     */
    static KafkaProcessRuntime startIn(Path directory, KafkaBrokerOptions options) {
        Directories.create(directory);
        return launch(new KafkaProcessRuntime(options, directory, true));
    }

    private static KafkaProcessRuntime launch(KafkaProcessRuntime broker) {
        long startedAt = System.nanoTime();
        try {
            broker.startOnFreePorts();
        } catch (RuntimeException e) {
            broker.closeProbe();
            broker.closeNow();
            throw e;
        }
        broker.closeProbe();
        LOG.info(
                "Kafka broker ready at {} in {} ms (data in {})",
                broker.bootstrapServers(),
                (System.nanoTime() - startedAt) / 1_000_000,
                broker.directory);
        return broker;
    }

    /** {@code 127.0.0.1:PORT}, for {@code bootstrap.servers}. */
    @Override
    public String bootstrapServers() {
        return HOST + ":" + port;
    }

    @Override
    public String saslSslBootstrapServers() {
        if (options.saslSslListener() == null) {
            throw new IllegalStateException("this broker has no SASL_SSL listener");
        }
        return HOST + ":" + saslSslPort;
    }

    /** Kills the broker process at once (SIGKILL), like a crash; data is kept for a restart. */
    @Override
    public void kill() {
        process.kill();
    }

    /** Stops the broker gracefully (SIGTERM), killing it if it takes longer than 10 s. */
    @Override
    public synchronized void stop() {
        if (!process.stop(GRACEFUL_STOP)) {
            LOG.warn("Kafka broker did not stop within {}, killed it", GRACEFUL_STOP);
        }
    }

    /** Starts the broker again on the same ports and data, stopping it first if it runs. */
    @Override
    public synchronized void restart() {
        if (closed.get()) {
            throw new IllegalStateException("Kafka broker in " + directory + " is closed");
        }
        stop();
        long startedAt = System.nanoTime();
        process.launch();
        try {
            awaitReady();
        } finally {
            closeProbe();
        }
        if (kept) {
            writePidFile();
        }
        LOG.info(
                "Kafka broker restarted at {} in {} ms",
                bootstrapServers(),
                (System.nanoTime() - startedAt) / 1_000_000);
    }

    @Override
    public boolean isRunning() {
        return process.isRunning();
    }

    /** The temporary directory holding the broker's data, configuration and {@link #logFile()}. */
    @Override
    public Path directory() {
        return directory;
    }

    /** The broker JVM's output: its log at INFO. */
    @Override
    public Path logFile() {
        return process.logFile();
    }

    @Override
    public long pid() {
        return process.pid();
    }

    /**
     * Leaves stopping the broker at JVM exit to the caller, who closes it from its own shutdown
     * path once the clients using it have stopped (otherwise both run at once and those clients
     * lose their broker mid-shutdown). If this JVM dies without closing it, the broker still halts
     * by itself.
     */
    @Override
    public void handOverShutdown() {
        shutdownHook.cancel();
    }

    /** Stops the broker gracefully and deletes its directory, unless it was a kept one. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        shutdownHook.cancel();
        try {
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
                closeProbe();
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
        var cluster = probe().describeCluster(describe);
        return cluster.controller().get() != null && !cluster.nodes().get().isEmpty();
    }

    /** An admin client to see the broker come up, closed once it has. */
    private synchronized Admin probe() {
        if (probe == null) {
            probe =
                    Admin.create(
                            Map.of(
                                    AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                                    bootstrapServers(),
                                    AdminClientConfig.CLIENT_ID_CONFIG,
                                    "local-stack-probe-" + port));
        }
        return probe;
    }

    private synchronized void closeProbe() {
        if (probe != null) {
            probe.close(Duration.ofSeconds(5));
            probe = null;
        }
    }
}
