package io.refreshorchestrator.cdc;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps change capture running: when the listener fails (the database or the broker went away, the
 * slot was dropped), it is closed and started again after an exponential backoff, for as long as
 * the supervisor is open. Nothing is lost meanwhile: the replication slot keeps the WAL and the
 * offsets in Kafka say where to resume.
 */
public final class CdcSupervisor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CdcSupervisor.class);

    private final CdcSettings settings;
    private final Function<CdcSettings, CdcListener> listenerFactory;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final CompletableFuture<Void> firstStreaming = new CompletableFuture<>();
    private final AtomicInteger restarts = new AtomicInteger();
    private volatile CdcListener current;
    private Thread thread;

    public CdcSupervisor(CdcSettings settings, Duration initialBackoff, Duration maxBackoff) {
        this(settings, CdcListener::new, initialBackoff, maxBackoff);
    }

    CdcSupervisor(
            CdcSettings settings,
            Function<CdcSettings, CdcListener> listenerFactory,
            Duration initialBackoff,
            Duration maxBackoff) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.listenerFactory = listenerFactory;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
    }

    /** Starts capture in the background; returns at once. */
    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("already started");
        }
        thread = new Thread(this::superviseUntilClosed, "cdc-supervisor-" + settings.slotName());
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Blocks until capture streamed for the first time.
     *
     * @return false when it did not within {@code timeout} (capture keeps being retried)
     */
    public boolean awaitStreaming(Duration timeout) throws InterruptedException {
        try {
            firstStreaming.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.ExecutionException
                | java.util.concurrent.TimeoutException e) {
            return false;
        }
    }

    /** Whether changes are streaming right now. */
    public boolean isStreaming() {
        var listener = current;
        return listener != null && listener.isStreaming();
    }

    /** How often capture was restarted after a failure. */
    public int restarts() {
        return restarts.get();
    }

    private void superviseUntilClosed() {
        Duration backoff = initialBackoff;
        while (closed.getCount() > 0) {
            var failed = new CompletableFuture<Throwable>();
            CdcListener listener = null;
            try {
                listener = listenerFactory.apply(settings).onFailure(failed::complete);
                current = listener;
                listener.start();
                watchFirstStreaming(listener);
                var cause = waitForFailureOrClose(failed);
                if (cause == null) {
                    return;
                }
                LOG.error(
                        "Change capture failed; restarting in {} ms: {}",
                        backoff.toMillis(),
                        cause.toString());
            } catch (RuntimeException e) {
                LOG.error(
                        "Change capture could not start; retrying in {} ms: {}",
                        backoff.toMillis(),
                        e.toString());
            } finally {
                if (listener != null) {
                    listener.close();
                }
            }
            try {
                if (closed.await(backoff.toMillis(), TimeUnit.MILLISECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            restarts.incrementAndGet();
            backoff =
                    backoff.multipliedBy(2).compareTo(maxBackoff) > 0
                            ? maxBackoff
                            : backoff.multipliedBy(2);
        }
    }

    private void watchFirstStreaming(CdcListener listener) {
        if (firstStreaming.isDone()) {
            return;
        }
        var watcher =
                new Thread(
                        () -> {
                            try {
                                listener.awaitStreaming(Duration.ofDays(1));
                                firstStreaming.complete(null);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            } catch (RuntimeException e) {
                                // the failure callback reports it; the next listener tries again
                            }
                        },
                        "cdc-streaming-watch");
        watcher.setDaemon(true);
        watcher.start();
    }

    /** The failure, or null once the supervisor was closed. */
    private Throwable waitForFailureOrClose(CompletableFuture<Throwable> failed) {
        while (closed.getCount() > 0) {
            try {
                return failed.get(200, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                // still running; look at closed again
            } catch (java.util.concurrent.ExecutionException e) {
                return e.getCause();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return null;
    }

    /** Stops capture gracefully; idempotent. */
    @Override
    public void close() {
        closed.countDown();
        Thread supervisor;
        synchronized (this) {
            supervisor = thread;
        }
        if (supervisor != null) {
            try {
                supervisor.join(TimeUnit.SECONDS.toMillis(90));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        var listener = current;
        if (listener != null) {
            listener.close();
        }
    }
}
