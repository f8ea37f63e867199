package io.refreshorchestrator.local;

import java.nio.file.Path;

/**
 * What runs a {@link KafkaBroker}: a broker JVM on this machine ({@link KafkaProcessRuntime}) or a
 * container ({@link KafkaContainerRuntime}). An operation a runtime cannot do fails with {@link
 * UnsupportedOperationException} naming the backend, never silently.
 */
interface KafkaRuntime extends AutoCloseable {

    String bootstrapServers();

    String saslSslBootstrapServers();

    void kill();

    void stop();

    void restart();

    boolean isRunning();

    Path directory();

    Path logFile();

    long pid();

    void handOverShutdown();

    @Override
    void close();
}
