package io.refreshorchestrator.cdc;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * What change capture is doing right now, for operators: streaming, retrying since when and why, or
 * failed for a reason retrying cannot fix; plus the commit time of the last change it published and
 * the WAL its slot retains. Written by the supervisor, the publisher and the status reporter; read
 * by anyone through {@link #snapshot()}. Thread-safe.
 */
public final class CaptureHealth {

    /** The states capture moves through. */
    public enum State {
        /** Capture is starting (first start, or after a failure). */
        STARTING,
        /** Changes stream. */
        STREAMING,
        /** Capture failed and is retried; {@code since} is when it went down. */
        RETRYING,
        /**
         * Capture failed for a reason retrying cannot fix (a missing privilege, {@code wal_level}
         * not logical, no free replication slot); it is checked again now and then.
         */
        FAILED,
        /**
         * Another instance captures (it holds the capture lease); this one takes over when it
         * stops. {@code reason} names the capturing instance.
         */
        STANDBY,
        /** Capture was stopped on request. */
        STOPPED
    }

    /**
     * One reading.
     *
     * @param since when the current state began; for {@link State#RETRYING} and {@link
     *     State#FAILED}: when capture went down
     * @param reason why capture is not streaming (null while streaming)
     * @param lastEventCommittedAt commit time of the last change published (null: none yet)
     * @param retainedWalBytes WAL the slot holds back ({@code pg_current_wal_lsn() - restart_lsn}),
     *     null when not measured yet
     * @param restarts how often capture was restarted after a failure
     */
    public record Snapshot(
            State state,
            Instant since,
            String reason,
            Instant lastEventCommittedAt,
            Long retainedWalBytes,
            Instant walMeasuredAt,
            int restarts) {

        /** Whether capture is down: retrying or failed. */
        public boolean down() {
            return state == State.RETRYING || state == State.FAILED;
        }
    }

    private final Clock clock;
    private final CopyOnWriteArrayList<Consumer<Snapshot>> listeners = new CopyOnWriteArrayList<>();
    private Snapshot current;
    private long eventsPublished;
    private Duration lastEventLag;

    public CaptureHealth() {
        this(Clock.systemUTC());
    }

    CaptureHealth(Clock clock) {
        this.clock = clock;
        this.current = new Snapshot(State.STARTING, clock.instant(), null, null, null, null, 0);
    }

    /** Called with every new state (not with event or WAL readings). */
    public void onStateChange(Consumer<Snapshot> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public synchronized Snapshot snapshot() {
        return current;
    }

    /** Change events published since start. */
    public synchronized long eventsPublished() {
        return eventsPublished;
    }

    /** Commit-to-publish time of the latest event published, null before the first. */
    public synchronized Duration lastEventLag() {
        return lastEventLag;
    }

    void starting() {
        var s = snapshot();
        if (s.down()) {
            return; // still down until it streams: keep when it went down, and why
        }
        transition(State.STARTING, clock.instant(), null, s.restarts());
    }

    /** Another instance captures; {@code capturing} names it. */
    void standby(String capturing) {
        transition(
                State.STANDBY,
                clock.instant(),
                "instance '" + capturing + "' captures",
                snapshot().restarts());
    }

    void streaming() {
        transition(State.STREAMING, clock.instant(), null, snapshot().restarts());
    }

    /** Capture failed; {@code permanent} when retrying cannot fix it. */
    void down(String reason, boolean permanent) {
        var s = snapshot();
        var since = s.down() ? s.since() : clock.instant();
        transition(permanent ? State.FAILED : State.RETRYING, since, reason, s.restarts() + 1);
    }

    void stopped() {
        transition(State.STOPPED, clock.instant(), null, snapshot().restarts());
    }

    synchronized void eventCommitted(Instant commitTime) {
        eventsPublished++;
        lastEventLag = Duration.between(commitTime, clock.instant());
        var s = current;
        if (s.lastEventCommittedAt() == null || commitTime.isAfter(s.lastEventCommittedAt())) {
            current =
                    new Snapshot(
                            s.state(),
                            s.since(),
                            s.reason(),
                            commitTime,
                            s.retainedWalBytes(),
                            s.walMeasuredAt(),
                            s.restarts());
        }
    }

    synchronized void retainedWal(long bytes) {
        var s = current;
        current =
                new Snapshot(
                        s.state(),
                        s.since(),
                        s.reason(),
                        s.lastEventCommittedAt(),
                        bytes,
                        clock.instant(),
                        s.restarts());
    }

    private void transition(State state, Instant since, String reason, int restarts) {
        Snapshot next;
        boolean changed;
        synchronized (this) {
            var s = current;
            changed = s.state() != state || !Objects.equals(s.reason(), reason);
            next =
                    new Snapshot(
                            state,
                            changed ? since : s.since(),
                            reason,
                            s.lastEventCommittedAt(),
                            s.retainedWalBytes(),
                            s.walMeasuredAt(),
                            restarts);
            current = next;
        }
        if (changed) {
            listeners.forEach(listener -> listener.accept(next));
        }
    }
}
