package io.refreshorchestrator.local;

import java.util.function.BooleanSupplier;

/**
 * Starts the services of a {@link LocalStack} in Docker ({@link StackBackend#CONTAINERS}), after
 * making sure that can work: Testcontainers on the class path and a Docker engine it reaches.
 * Without either it fails at once with what to do, instead of a timeout or a stack trace from
 * inside Testcontainers.
 */
final class ContainerStack {

    private static final String TESTCONTAINERS_CLASS = "org.testcontainers.DockerClientFactory";

    private ContainerStack() {}

    static LocalStack start(KafkaBrokerOptions kafka, PostgresOptions postgres) {
        requireTestcontainers();
        return start(kafka, postgres, ContainerStack::dockerReachable);
    }

    /** As {@link #start(KafkaBrokerOptions, PostgresOptions)} with the engine check given. */
    static LocalStack start(
            KafkaBrokerOptions kafka, PostgresOptions postgres, BooleanSupplier dockerReachable) {
        if (!dockerReachable.getAsBoolean()) {
            throw new IllegalStateException(
                    "-D"
                            + StackBackend.PROPERTY
                            + "="
                            + StackBackend.CONTAINERS.propertyValue()
                            + " runs PostgreSQL ("
                            + PostgresContainerRuntime.IMAGE
                            + ") and Kafka ("
                            + KafkaContainerRuntime.IMAGE
                            + ") in Docker, but Testcontainers reaches no Docker engine"
                            + " (DOCKER_HOST, the socket /var/run/docker.sock,"
                            + " ~/.testcontainers.properties). Start one, or run without -D"
                            + StackBackend.PROPERTY
                            + " to use the local backend (PostgreSQL binaries, Kafka from Maven"
                            + " artifacts).");
        }
        return LocalStack.startBoth(
                () -> KafkaBroker.of(KafkaContainerRuntime.start(kafka)),
                () -> PostgresServer.of(PostgresContainerRuntime.start(postgres)));
    }

    private static void requireTestcontainers() {
        try {
            Class.forName(TESTCONTAINERS_CLASS, false, ContainerStack.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(
                    "-D"
                            + StackBackend.PROPERTY
                            + "="
                            + StackBackend.CONTAINERS.propertyValue()
                            + " needs Testcontainers on the class path (a dependency of"
                            + " local-stack; packaged jars leave it out)",
                    e);
        }
    }

    private static boolean dockerReachable() {
        return org.testcontainers.DockerClientFactory.instance().isDockerAvailable();
    }
}
