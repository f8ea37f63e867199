package io.refreshorchestrator.local;

import java.nio.file.Path;
import java.util.Locale;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The containers backend of {@link KafkaBroker}: {@value #IMAGE} in KRaft mode through
 * Testcontainers, with single-node replication settings and the options' broker properties as
 * {@code KAFKA_*} variables. Its output goes to {@link #logFile()}. Killing, stopping or restarting
 * the broker is not supported: a restarted container gets new ports and a new advertised listener.
 */
final class KafkaContainerRuntime implements KafkaRuntime {

    static final String IMAGE = "apache/kafka:4.3.1";

    private final KafkaContainer container;
    private final Path directory;
    private final ContainerLog log;
    private final ShutdownHook shutdownHook;

    KafkaContainerRuntime(KafkaContainer container, Path directory) {
        this.container = container;
        this.directory = directory;
        this.log = new ContainerLog(directory.resolve("kafka.log"));
        this.shutdownHook = ShutdownHook.register("kafka-container-" + directory, this::close);
    }

    /** Starts the container; returns once Testcontainers saw the broker ready. */
    static KafkaContainerRuntime start(KafkaBrokerOptions options) {
        if (options.saslSslListener() != null) {
            throw UnsupportedByContainers.of("A SASL_SSL listener");
        }
        var runtime =
                new KafkaContainerRuntime(
                        configure(new KafkaContainer(IMAGE), options),
                        Directories.createTemp("refresh-kafka-container-"));
        try {
            runtime.container.withLogConsumer(runtime.log).start();
        } catch (RuntimeException e) {
            runtime.close();
            throw new IllegalStateException(
                    "The Kafka container (" + IMAGE + ") did not start: " + e.getMessage(), e);
        }
        return runtime;
    }

    /** The single-node settings the local broker has, plus the options' broker properties. */
    static KafkaContainer configure(KafkaContainer container, KafkaBrokerOptions options) {
        container
                .withEnv("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "1")
                .withEnv("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1")
                .withEnv("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1")
                .withStartupTimeout(options.startTimeout());
        options.brokerProperties()
                .forEach((name, value) -> container.withEnv(envName(name), value));
        return container;
    }

    /** The apache/kafka image's variable for a broker property: {@code KAFKA_} + upper snake. */
    static String envName(String property) {
        return "KAFKA_" + property.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    @Override
    public String bootstrapServers() {
        return container.getBootstrapServers();
    }

    @Override
    public String saslSslBootstrapServers() {
        throw new IllegalStateException("this broker has no SASL_SSL listener");
    }

    @Override
    public void kill() {
        throw UnsupportedByContainers.of("kill -9 of the Kafka broker");
    }

    @Override
    public void stop() {
        throw UnsupportedByContainers.of("Stopping the Kafka broker");
    }

    @Override
    public void restart() {
        throw UnsupportedByContainers.of("Restarting the Kafka broker");
    }

    @Override
    public boolean isRunning() {
        return container.isRunning();
    }

    @Override
    public Path directory() {
        return directory;
    }

    @Override
    public Path logFile() {
        return log.file();
    }

    @Override
    public long pid() {
        throw UnsupportedByContainers.of("The Kafka broker's process id");
    }

    @Override
    public void handOverShutdown() {
        shutdownHook.cancel();
    }

    @Override
    public void close() {
        shutdownHook.cancel();
        try {
            container.stop();
        } finally {
            Directories.deleteRecursively(directory);
        }
    }
}
