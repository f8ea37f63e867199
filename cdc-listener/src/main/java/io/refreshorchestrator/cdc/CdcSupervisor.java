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
 * offsets in Kafka say where to resume. A failure retrying cannot fix (a missing privilege, {@code
 * wal_level} not logical, no free slot) is reported as such and checked again only every {@link
 * #PERMANENT_RECHECK}. The state is kept in {@link #health()} and published by a {@link
 * CaptureStatusReporter}; an outage is logged once when it starts, reminded once a minute, and once
 * when it ends.
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
    private final CaptureHealth health = new CaptureHealth();
    private final CaptureStatusReporter reporter;
    private volatile CdcListener current;
    private String lastLoggedFailure;
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
        this.reporter =
                new CaptureStatusReporter(
                        settings, health, settings.statusInterval(), java.time.Clock.systemUTC());
    }

    /**
     * The first retry's delay. Retries are cheap (a connection attempt, a slot lookup) and every
     * second of delay is a second of staleness once the database or broker is back.
     */
    public static final Duration DEFAULT_BACKOFF = Duration.ofMillis(250);

    /** Retries of a lasting outage are at most this far apart. */
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(3);

    /** Failures retrying cannot fix are checked again this often. */
    static final Duration PERMANENT_RECHECK = Duration.ofMinutes(1);

    /** Starts capture in the background; returns at once. */
    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("already started");
        }
        thread = new Thread(this::superviseUntilClosed, "cdc-supervisor-" + settings.slotName());
        thread.setDaemon(true);
        reporter.start();
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

    /** What capture is doing now. */
    public CaptureHealth health() {
        return health;
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
            Throwable cause;
            try {
                health.starting();
                listener =
                        listenerFactory
                                .apply(settings)
                                .onFailure(failed::complete)
                                .onStreaming(this::streaming)
                                .onEventCommitted(health::eventCommitted);
                current = listener;
                listener.start();
                watchFirstStreaming(listener);
                cause = waitForFailureOrClose(failed);
                if (cause == null) {
                    return;
                }
            } catch (RuntimeException e) {
                cause = e;
            } finally {
                if (listener != null) {
                    listener.close();
                }
            }
            boolean permanent = CdcException.isPermanent(cause);
            if (current != null && listener != null && listener.wasStreaming()) {
                backoff = initialBackoff; // it streamed: this is a new outage
            }
            var wait = permanent ? PERMANENT_RECHECK : backoff;
            reportFailure(cause, permanent, wait);
            try {
                if (closed.await(wait.toMillis(), TimeUnit.MILLISECONDS)) {
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

    private void streaming() {
        var before = health.snapshot();
        health.streaming();
        if (before.down()) {
            LOG.info(
                    "Change capture is streaming again (slot '{}'), after {} s down",
                    settings.slotName(),
                    java.time.Duration.between(before.since(), java.time.Instant.now())
                            .toSeconds());
        }
        lastLoggedFailure = null;
    }

    /** Once when an outage starts or its cause changes; the reporter reminds once a minute. */
    private void reportFailure(Throwable cause, boolean permanent, Duration wait) {
        var message =
                Secrets.scrub(
                        cause instanceof CdcException ? cause.getMessage() : cause.toString(),
                        settings.postgres().password());
        health.down(message, permanent);
        if (message.equals(lastLoggedFailure)) {
            LOG.debug(
                    "Change capture still failing; retrying in {} ms: {}",
                    wait.toMillis(),
                    message);
            return;
        }
        lastLoggedFailure = message;
        if (permanent) {
            LOG.error(
                    "Change capture cannot work until this is fixed (checked again every {} s):"
                            + " {}",
                    wait.toSeconds(),
                    message);
        } else {
            LOG.warn(
                    "Change capture is down (slot '{}'); retrying every {} s at most: {}",
                    settings.slotName(),
                    maxBackoff.toSeconds(),
                    message);
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
        if (closed.getCount() == 0) {
            return;
        }
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
        health.stopped();
        reporter.close();
    }
}
