package io.refreshorchestrator.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * A real single-node Apache Kafka broker (KRaft) for tests and local use. {@link #start()} runs it
 * in a child JVM from this JVM's classpath, on free loopback ports, with its data in a temporary
 * directory that {@link #close()} deletes; under {@code -Dstack=containers} a {@link LocalStack}
 * runs it in a container instead, where {@link #kill()}, {@link #stop()} and {@link #restart()} are
 * not supported and say so.
 *
 * <p>The child halts by itself when this JVM dies, even by kill -9; a shutdown hook closes the
 * broker on normal JVM exit. Kafka's default {@code auto.create.topics.enable=true} is kept; tests
 * should still create their topics with {@link #createTopic}.
 */
public final class KafkaBroker implements AutoCloseable {

    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaRuntime runtime;
    private Admin admin;

    private KafkaBroker(KafkaRuntime runtime) {
        this.runtime = runtime;
    }

    /** Formats and starts a broker with {@link KafkaBrokerOptions#defaults()}. */
    public static KafkaBroker start() {
        return start(KafkaBrokerOptions.defaults());
    }

    /** Formats and starts a broker JVM on this machine; returns once it answers admin calls. */
    public static KafkaBroker start(KafkaBrokerOptions options) {
        return new KafkaBroker(KafkaProcessRuntime.start(options));
    }

    /**
     * Starts a broker JVM whose data lives in {@code directory} (created when missing) and stays
     * there: a later start finds its topics, committed offsets and KRaft metadata again, on the
     * ports it used before when they are still free; {@link #close()} keeps the directory.
     */
    public static KafkaBroker startIn(Path directory, KafkaBrokerOptions options) {
        return new KafkaBroker(KafkaProcessRuntime.startIn(directory, options));
    }

    /** A broker run by {@code runtime}, e.g. a container. */
    static KafkaBroker of(KafkaRuntime runtime) {
        return new KafkaBroker(runtime);
    }

    /** {@code HOST:PORT}, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return runtime.bootstrapServers();
    }

    /**
     * {@code 127.0.0.1:PORT} of the SASL_SSL listener.
     *
     * @throws IllegalStateException when the broker was started without one
     */
    public String saslSslBootstrapServers() {
        return runtime.saslSslBootstrapServers();
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
                                    "local-stack-admin-" + bootstrapServers()));
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
        runtime.kill();
    }

    /** Stops the broker gracefully (SIGTERM), killing it if it takes longer than 10 s. */
    public void stop() {
        runtime.stop();
    }

    /** Starts the broker again on the same ports and data, stopping it first if it runs. */
    public void restart() {
        runtime.restart();
    }

    public boolean isRunning() {
        return runtime.isRunning();
    }

    /** The temporary directory holding the broker's data, configuration and {@link #logFile()}. */
    public Path directory() {
        return runtime.directory();
    }

    /** The broker's output: its log at INFO. */
    public Path logFile() {
        return runtime.logFile();
    }

    /** The broker JVM's process id; fails before the first start. */
    long pid() {
        return runtime.pid();
    }

    /**
     * Leaves stopping the broker at JVM exit to the caller, who closes it from its own shutdown
     * path once the clients using it have stopped (otherwise both run at once and those clients
     * lose their broker mid-shutdown). If this JVM dies without closing it, the broker still halts
     * by itself.
     */
    public void handOverShutdown() {
        runtime.handOverShutdown();
    }

    /** Closes the admin client, stops the broker gracefully and deletes its directory. */
    @Override
    public void close() {
        try {
            closeAdmin();
        } finally {
            runtime.close();
        }
    }

    private synchronized void closeAdmin() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
            admin = null;
        }
    }
}
