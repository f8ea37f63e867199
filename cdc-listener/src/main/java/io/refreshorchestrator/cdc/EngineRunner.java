package io.refreshorchestrator.cdc;

import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.format.Json;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one Debezium embedded engine (JSON change events) on its own thread, reports a stop that
 * nobody requested as a failure, and stops it reliably.
 */
final class EngineRunner {

    private static final Logger LOG = LoggerFactory.getLogger(EngineRunner.class);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    private final CdcSettings settings;
    private final BooleanSupplier closing;
    private final Consumer<CdcException> onFailure;
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private final DebeziumEngine<ChangeEvent<String, String>> engine;
    private final Thread thread;

    /**
     * @param closing whether a stop is expected (then it is no failure)
     * @param onFailure called when the engine stops by itself
     */
    EngineRunner(
            CdcSettings settings,
            DebeziumEngine.ChangeConsumer<ChangeEvent<String, String>> consumer,
            BooleanSupplier closing,
            Consumer<CdcException> onFailure) {
        this.settings = settings;
        this.closing = closing;
        this.onFailure = onFailure;
        this.engine =
                DebeziumEngine.create(Json.class)
                        .using(DebeziumProperties.of(settings))
                        .using((DebeziumEngine.CompletionCallback) this::completed)
                        .notifying(consumer)
                        .build();
        this.thread = new Thread(engine, "cdc-engine-" + settings.slotName());
    }

    void start() {
        thread.start();
    }

    /** Completed once the engine stopped, for whatever reason. */
    CompletableFuture<Void> stopped() {
        return stopped;
    }

    /** Stops the engine (it stores the position of every processed event) and waits for it. */
    void stop() {
        long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
        while (true) {
            try {
                engine.close();
                break;
            } catch (IllegalStateException e) {
                // The engine refuses to stop while its tasks start (it would leak connections).
                if (!String.valueOf(e.getMessage()).contains("starting")
                        || System.nanoTime() > deadline) {
                    break; // already stopping or stopped
                }
                if (!awaitStop(Duration.ofMillis(100))) {
                    continue;
                }
                break;
            } catch (IOException e) {
                LOG.warn("Debezium engine did not stop cleanly: {}", e.toString());
                break;
            }
        }
        if (!awaitStop(STOP_TIMEOUT)) {
            LOG.warn("Debezium engine did not report its stop within {}", STOP_TIMEOUT);
        }
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean awaitStop(Duration timeout) {
        try {
            stopped.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }

    private void completed(boolean success, String message, Throwable error) {
        stopped.complete(null);
        if (closing.getAsBoolean()) {
            return;
        }
        var password = settings.postgres().password();
        var text = Secrets.scrub(message, password);
        onFailure.accept(
                error != null
                        ? new CdcException(
                                "The Debezium engine failed: "
                                        + text
                                        + ": "
                                        + Secrets.scrub(
                                                String.valueOf(error.getMessage()), password),
                                error)
                        : new CdcException("The Debezium engine stopped unexpectedly: " + text));
    }
}
