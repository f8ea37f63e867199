package io.refreshorchestrator.local;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The services the pipeline needs on one machine, a {@link KafkaBroker} and a {@link
 * PostgresServer}, started in parallel and closed together: the one way integration tests, the
 * benchmark and the local demo get them. {@link #start()} runs them on this machine, or in Docker
 * under {@code -Dstack=containers} ({@link StackBackend}); the API is the same either way, and an
 * operation the containers cannot do (kill -9 of the broker, a PostgreSQL restart) fails clearly.
 */
public final class LocalStack implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalStack.class);

    private final KafkaBroker kafka;
    private final PostgresServer postgres;

    private LocalStack(KafkaBroker kafka, PostgresServer postgres) {
        this.kafka = kafka;
        this.postgres = postgres;
    }

    /**
     * Starts both services with their default options, on the backend the system property {@code
     * stack} selects ({@link StackBackend#selected()}): on this machine by default, in Docker with
     * {@code -Dstack=containers}.
     */
    public static LocalStack start() {
        return start(StackBackend.selected());
    }

    /** Starts both services with their default options on {@code backend}. */
    public static LocalStack start(StackBackend backend) {
        return switch (backend) {
            case LOCAL -> start(KafkaBrokerOptions.defaults(), PostgresOptions.defaults());
            case CONTAINERS ->
                    ContainerStack.start(KafkaBrokerOptions.defaults(), PostgresOptions.defaults());
        };
    }

    /**
     * Starts both services on this machine (the local backend) in parallel; if either fails, the
     * other is closed and the failure is thrown (with the other failure suppressed, if both
     * failed).
     */
    public static LocalStack start(
            KafkaBrokerOptions kafkaOptions, PostgresOptions postgresOptions) {
        return startBoth(
                () -> KafkaBroker.start(kafkaOptions), () -> PostgresServer.start(postgresOptions));
    }

    /** Starts both services in parallel, closing the one that started when the other failed. */
    static LocalStack startBoth(
            Supplier<KafkaBroker> kafkaStarter, Supplier<PostgresServer> postgresStarter) {
        long startedAt = System.nanoTime();
        var kafka = startAsync("kafka", kafkaStarter);
        var postgres = startAsync("postgres", postgresStarter);
        RuntimeException failure = null;
        KafkaBroker broker = null;
        PostgresServer server = null;
        try {
            broker = kafka.join();
        } catch (CompletionException e) {
            failure = unwrap(e);
        }
        try {
            server = postgres.join();
        } catch (CompletionException e) {
            failure = addFailure(failure, unwrap(e));
        }
        if (failure != null) {
            closeQuietly(broker, failure);
            closeQuietly(server, failure);
            throw failure;
        }
        LOG.info(
                "Local stack ready in {} ms: Kafka at {}, PostgreSQL at {}",
                (System.nanoTime() - startedAt) / 1_000_000,
                broker.bootstrapServers(),
                server.jdbcUrl());
        return new LocalStack(broker, server);
    }

    public KafkaBroker kafka() {
        return kafka;
    }

    public PostgresServer postgres() {
        return postgres;
    }

    /** Closes both services, deleting their data; the first failure is thrown after both. */
    @Override
    public void close() {
        RuntimeException failure = null;
        try {
            kafka.close();
        } catch (RuntimeException e) {
            failure = e;
        }
        try {
            postgres.close();
        } catch (RuntimeException e) {
            failure = addFailure(failure, e);
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static <T> CompletableFuture<T> startAsync(String name, Supplier<T> starter) {
        var future = new CompletableFuture<T>();
        var thread =
                new Thread(
                        () -> {
                            try {
                                future.complete(starter.get());
                            } catch (Throwable e) {
                                future.completeExceptionally(e);
                            }
                        },
                        "local-stack-start-" + name);
        thread.setDaemon(true);
        thread.start();
        return future;
    }

    private static RuntimeException unwrap(CompletionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof RuntimeException runtime) {
            return runtime;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        return new IllegalStateException(cause);
    }

    private static RuntimeException addFailure(RuntimeException first, RuntimeException next) {
        if (first == null) {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }

    private static void closeQuietly(AutoCloseable service, RuntimeException failure) {
        if (service == null) {
            return;
        }
        try {
            service.close();
        } catch (Exception e) {
            failure.addSuppressed(e);
        }
    }
}
