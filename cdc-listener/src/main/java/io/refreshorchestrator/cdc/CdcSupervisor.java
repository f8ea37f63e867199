package io.refreshorchestrator.cdc;

import java.sql.SQLException;
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
 * wal_level} not logical, no free slot, a missing Kafka ACL) is reported as such and checked again
 * only every {@link #PERMANENT_RECHECK}. The state is kept in {@link #health()} and published by a
 * {@link CaptureStatusReporter}; an outage is logged once when it starts, reminded once a minute,
 * and once when it ends.
 *
 * <p>Of several instances with one configuration only the one holding the {@link CaptureLease}
 * captures; the others are in state STANDBY, naming the capturing instance, and try the lease every
 * {@link #STANDBY_POLL}: a capturing process that dies releases it with its PostgreSQL session.
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
    private final CaptureLease lease;
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
        this.lease =
                new CaptureLease(settings.postgres(), settings.slotName(), settings.instanceId());
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

    /**
     * How often a standby tries the capture lease, and the capturing one checks it still holds it.
     */
    static final Duration STANDBY_POLL = Duration.ofSeconds(1);

    /** How long a new lease holder waits for the previous reader to let go of the slot. */
    static final Duration SLOT_RELEASE_WAIT = Duration.ofSeconds(30);

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
                if (!holdLease()) {
                    return; // closed while standing by
                }
                health.starting();
                awaitSlotReleased();
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
            } catch (SQLException e) {
                cause =
                        new CdcException(
                                "Cannot ask PostgreSQL at "
                                        + settings.postgres().jdbcUrl()
                                        + " for the capture lease: "
                                        + e.getMessage(),
                                e);
            } catch (RuntimeException e) {
                cause = e;
            } finally {
                if (listener != null) {
                    listener.close();
                }
                if (!lease.isHeld()) {
                    lease.release(); // its session is gone: take it again, or stand by
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
    private void reportFailure(Throwable failure, boolean permanent, Duration wait) {
        var cause = KafkaAccessDeniedException.explain("Change capture", failure);
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
        // once per outage or change of cause, the stack trace unless the message says it all
        Throwable trace =
                cause instanceof KafkaAccessDeniedException
                                || cause instanceof CaptureNotPossibleException
                        ? null
                        : cause instanceof CdcException ? cause.getCause() : cause;
        if (permanent) {
            LOG.error(
                    "Change capture cannot work until this is fixed (checked again every {} s):"
                            + " {}",
                    wait.toSeconds(),
                    message,
                    trace);
        } else {
            LOG.warn(
                    "Change capture is down (slot '{}'); retrying every {} s at most: {}",
                    settings.slotName(),
                    maxBackoff.toSeconds(),
                    message,
                    trace);
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

    /**
     * Until this instance holds the capture lease: STANDBY while another instance does, named in
     * the health and logged once per capturing instance.
     *
     * @return false when closed first
     * @throws SQLException when PostgreSQL cannot be asked (a failure like any other: retried)
     */
    private boolean holdLease() throws SQLException {
        String lastHolder = null;
        while (closed.getCount() > 0) {
            if (lease.tryAcquire()) {
                if (lastHolder != null) {
                    LOG.info(
                            "Instance '{}' takes over change capture (slot '{}') from '{}'",
                            settings.instanceId(),
                            settings.slotName(),
                            lastHolder);
                } else {
                    LOG.info(
                            "Instance '{}' holds the capture lease (slot '{}')",
                            settings.instanceId(),
                            settings.slotName());
                }
                return true;
            }
            var holder = lease.holder().orElse("another instance");
            if (!holder.equals(lastHolder)) {
                LOG.info(
                        "Standing by: instance '{}' captures changes (slot '{}'); this instance"
                                + " ('{}') takes over when it stops",
                        holder,
                        settings.slotName(),
                        settings.instanceId());
                lastHolder = holder;
            }
            health.standby(holder);
            try {
                if (closed.await(STANDBY_POLL.toMillis(), TimeUnit.MILLISECONDS)) {
                    return false;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    /**
     * The previous reader's walsender may outlive it by a moment (PostgreSQL notices the closed
     * connection); starting before it is gone would fail on "slot is active".
     */
    private void awaitSlotReleased() throws SQLException {
        long deadline = System.nanoTime() + SLOT_RELEASE_WAIT.toNanos();
        try (var connection = Sql.connect(settings.postgres())) {
            while (closed.getCount() > 0 && System.nanoTime() < deadline) {
                var slot = ReplicationSlot.find(connection, settings.slotName());
                if (slot.isEmpty() || !slot.get().active()) {
                    return;
                }
                try {
                    if (closed.await(100, TimeUnit.MILLISECONDS)) {
                        return;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** The failure, or null once the supervisor was closed. */
    private Throwable waitForFailureOrClose(CompletableFuture<Throwable> failed) {
        long nextLeaseCheck = System.nanoTime() + STANDBY_POLL.toNanos();
        while (closed.getCount() > 0) {
            try {
                return failed.get(200, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                if (System.nanoTime() >= nextLeaseCheck) {
                    nextLeaseCheck = System.nanoTime() + STANDBY_POLL.toNanos();
                    if (!lease.isHeld()) {
                        // Another instance may hold it now: never two readers of one slot.
                        return new CdcException(
                                "The capture lease's PostgreSQL session ended; capture stops"
                                        + " until this instance holds the lease again");
                    }
                }
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
        lease.release();
        health.stopped();
        reporter.close();
    }
}
