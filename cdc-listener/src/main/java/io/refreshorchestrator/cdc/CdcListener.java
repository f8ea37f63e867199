package io.refreshorchestrator.cdc;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams committed changes of the configured PostgreSQL tables to Kafka as standard Debezium JSON
 * change events on {@code <prefix>.<schema>.<table>}, through the Debezium embedded engine
 * (pgoutput, no initial snapshot, offsets stored in Kafka), and signals a {@link CaptureSignal}
 * whenever capture restarts from a point where changes may have been missed.
 *
 * <p>Lifecycle: {@link #start()} returns at once; {@link #awaitStreaming(Duration)} blocks until
 * changes flow (or throws why not); {@link #close()} stops gracefully, storing the position of
 * every event Kafka acknowledged. Knows nothing about materialized views.
 */
public final class CdcListener implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CdcListener.class);
    private static final ChangePublisher.Backoff BACKOFF =
            new ChangePublisher.Backoff(Duration.ofMillis(200), Duration.ofSeconds(10));

    private final CdcSettings settings;
    private final Clock clock;
    private final Object lock = new Object();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final CompletableFuture<Void> streaming = new CompletableFuture<>();
    private final CompletableFuture<Void> markGate = new CompletableFuture<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile Consumer<? super Throwable> failureListener = cause -> {};
    private volatile boolean reportsFailures;
    private volatile Runnable streamingListener = () -> {};
    private volatile Consumer<java.time.Instant> eventCommittedListener = commitTime -> {};
    private volatile boolean closing;
    private boolean started;
    private Thread startupThread;
    private volatile KafkaProducer<String, String> producer;
    private EngineRunner engine;

    public CdcListener(CdcSettings settings) {
        this(settings, Clock.systemUTC());
    }

    CdcListener(CdcSettings settings, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = clock;
        if (settings.tables().isEmpty()) {
            throw new IllegalArgumentException(
                    "no tables to capture: list at least one in cdc.tables");
        }
    }

    /**
     * Called once, from a listener thread, when capture fails (never for a requested close). The
     * listener then reports the failure: it is logged here at DEBUG only (ERROR without one).
     */
    public CdcListener onFailure(Consumer<? super Throwable> listener) {
        this.failureListener = Objects.requireNonNull(listener, "listener");
        this.reportsFailures = true;
        return this;
    }

    /** Called once, from the startup thread, when changes stream. */
    public CdcListener onStreaming(Runnable listener) {
        this.streamingListener = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /**
     * Called with the commit time of the last change of every batch Kafka acknowledged, from the
     * engine's thread.
     */
    public CdcListener onEventCommitted(Consumer<java.time.Instant> listener) {
        this.eventCommittedListener = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /** Starts capture in the background; returns at once. */
    public void start() {
        synchronized (lock) {
            if (started) {
                throw new IllegalStateException("already started");
            }
            started = true;
            startupThread = new Thread(this::startUp, "cdc-startup-" + settings.slotName());
            startupThread.start();
        }
    }

    /**
     * Blocks until the connector streams changes (and a pending capture reset signal is
     * acknowledged).
     *
     * @throws CdcException with the cause when capture failed, or when it is not streaming within
     *     {@code timeout}
     */
    public void awaitStreaming(Duration timeout) throws InterruptedException {
        try {
            streaming.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof CdcException cdc
                    ? new CdcException(cdc.getMessage(), cdc)
                    : new CdcException("Change capture failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new CdcException(
                    "Change capture is not streaming after "
                            + timeout
                            + " (slot '"
                            + settings.slotName()
                            + "')");
        }
    }

    /** Whether capture is running: started, neither failed nor closed. */
    public boolean isRunning() {
        synchronized (lock) {
            return started
                    && !closing
                    && failure.get() == null
                    && (engine == null || !engine.stopped().isDone());
        }
    }

    /** Whether changes streamed at some point (even if capture failed since). */
    public boolean wasStreaming() {
        return streaming.isDone() && !streaming.isCompletedExceptionally();
    }

    /** Whether changes are streaming right now. */
    public boolean isStreaming() {
        return streaming.isDone() && !streaming.isCompletedExceptionally() && isRunning();
    }

    /** Why capture failed, if it did. */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure.get());
    }

    public CdcSettings settings() {
        return settings;
    }

    /**
     * Stops gracefully: the engine stops and stores the position of every acknowledged event, then
     * the producer flushes and closes. Idempotent.
     */
    @Override
    public void close() {
        Thread startup;
        synchronized (lock) {
            if (closing) {
                return;
            }
            closing = true;
            startup = startupThread;
        }
        closed.countDown();
        LOG.info("Stopping change capture (slot '{}')", settings.slotName());
        if (startup != null) {
            if (!streaming.isDone()) {
                startup.interrupt(); // cut short a wait for PostgreSQL, Kafka or the slot
            }
            joinQuietly(startup, Duration.ofSeconds(30));
        }
        stopEngine();
        if (producer != null) {
            producer.close(Duration.ofSeconds(10));
        }
        streaming.completeExceptionally(new CdcException("Change capture was closed"));
        markGate.completeExceptionally(new CdcException("Change capture was closed"));
        LOG.info("Change capture stopped (slot '{}')", settings.slotName());
    }

    private void startUp() {
        long startedAt = System.nanoTime();
        try (Connection connection = Sql.connect(settings.postgres())) {
            producer =
                    KafkaClients.eventProducer(
                            settings.kafka(), settings.engineName() + "-changes");
            var signals =
                    new SignalPublisher(
                            producer, settings.signalsTopic(), () -> closing, closed, BACKOFF);
            var reset = prepare(connection);
            if (reset.isPresent() && reset.get().publishableBeforeStreaming()) {
                publish(signals, reset.get());
            } else if (reset.isEmpty()) {
                markGate.complete(null);
            }
            if (!startEngine()) {
                return;
            }
            awaitSlotActive(connection);
            if (reset.isPresent() && !reset.get().publishableBeforeStreaming()) {
                // No gap for a crash before this signal is acknowledged: the engine stores no
                // position until then (markGate), so the next run finds the slot without a stored
                // position and signals OFFSETS_MISSING. Gap left: a crash between the ALTER
                // PUBLICATION of TABLES_ADDED and its signal (published right after it).
                publish(signals, reset.get());
            }
            streaming.complete(null);
            streamingListener.run();
            LOG.info(
                    "Streaming changes of {} to topics {} (slot '{}', publication '{}'); ready {} ms after start",
                    settings.tables(),
                    settings.changeTopics(),
                    settings.slotName(),
                    settings.publicationName(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail(new CdcException("Interrupted while starting change capture", e));
        } catch (Throwable e) {
            fail(
                    e instanceof CdcException
                            ? e
                            : new CdcException("Change capture failed to start: " + e, e));
        }
    }

    /** The clients only preparation needs are closed before the engine starts. */
    private Optional<CapturePreparation.PendingReset> prepare(Connection connection)
            throws SQLException, InterruptedException {
        try (var admin = KafkaClients.admin(settings.kafka(), settings.engineName() + "-admin");
                var offsetsProducer =
                        KafkaClients.bytesProducer(
                                settings.kafka(), settings.engineName() + "-offsets-reset")) {
            var offsets = new StoredOffsets(KafkaClients.common(settings.kafka()), settings);
            return new CapturePreparation(settings, offsets)
                    .prepare(connection, admin, offsetsProducer);
        }
    }

    private void publish(SignalPublisher signals, CapturePreparation.PendingReset reset)
            throws InterruptedException {
        var signal =
                CaptureSignal.captureReset(
                        reset.reason(),
                        settings.slotName(),
                        settings.publicationName(),
                        reset.tables(),
                        clock.instant());
        if (signals.publish(signal)) {
            markGate.complete(null);
        }
    }

    private boolean startEngine() {
        synchronized (lock) {
            if (closing) {
                return false;
            }
            var publisher =
                    new ChangePublisher(producer, () -> closing, closed, BACKOFF, markGate)
                            .onEventCommitted(eventCommittedListener, settings.heartbeatTopic());
            engine = new EngineRunner(settings, publisher, () -> closing, this::fail);
            engine.start();
            return true;
        }
    }

    /** The slot turns active once the engine's walsender streams from it. */
    private void awaitSlotActive(Connection connection)
            throws SQLException, InterruptedException, ExecutionException {
        while (!closing) {
            var slot = ReplicationSlot.find(connection, settings.slotName());
            if (slot.isPresent() && slot.get().active()) {
                return;
            }
            try {
                engine.stopped().get(100, TimeUnit.MILLISECONDS);
                throw new CdcException("The Debezium engine stopped before streaming");
            } catch (TimeoutException stillRunning) {
                // keep waiting
            }
        }
        throw new InterruptedException("closed before streaming");
    }

    private void stopEngine() {
        EngineRunner running;
        synchronized (lock) {
            running = engine;
        }
        if (running != null) {
            running.stop();
        }
    }

    private void fail(Throwable failed) {
        // Wrapped by the engine, its offset store or the startup: name what Kafka refused.
        var cause = KafkaAccessDeniedException.explain("Change capture", failed);
        if (closing) {
            streaming.completeExceptionally(cause);
            return;
        }
        if (!failure.compareAndSet(null, cause)) {
            return;
        }
        var message = Secrets.scrub(cause.getMessage(), settings.postgres().password());
        if (reportsFailures) {
            // Its failure listener (the supervisor) logs an outage once, not every attempt.
            LOG.debug(
                    "Change capture failed (slot '{}'): {}",
                    settings.slotName(),
                    message,
                    cause.getCause());
        } else {
            LOG.error(
                    "Change capture failed (slot '{}'): {}",
                    settings.slotName(),
                    message,
                    cause.getCause());
        }
        streaming.completeExceptionally(cause);
        markGate.completeExceptionally(cause);
        new Thread(this::stopEngine, "cdc-stop-" + settings.slotName()).start();
        try {
            failureListener.accept(cause);
        } catch (RuntimeException e) {
            LOG.warn("Failure listener threw {}", e.toString());
        }
    }

    private static void joinQuietly(Thread thread, Duration timeout) {
        try {
            thread.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
