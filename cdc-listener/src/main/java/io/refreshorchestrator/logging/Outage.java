package io.refreshorchestrator.logging;

import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * How an outage of something the process depends on (the Kafka broker, the database) reaches the
 * log: one WARN when it starts, a reminder at most every {@link #REMINDER} while it lasts, one INFO
 * with its length when it ends. Callers report every failed and every successful attempt; this
 * class decides what an operator reads. Thread-safe.
 */
public final class Outage {

    /** At most one reminder this often while an outage lasts. */
    public static final Duration REMINDER = Duration.ofSeconds(30);

    private final Logger log;
    private final String what;
    private final LongSupplier nanoTime;
    private boolean active;
    private long startedAt;
    private long remindedAt;

    /**
     * @param what the subject of every line, e.g. {@code "Kafka broker at 127.0.0.1:9092"}
     */
    public Outage(Logger log, String what) {
        this(log, what, System::nanoTime);
    }

    Outage(Logger log, String what, LongSupplier nanoTime) {
        this.log = log;
        this.what = what;
        this.nanoTime = nanoTime;
    }

    /** An attempt failed for {@code cause}: the start of an outage, or its continuation. */
    public void failed(String cause) {
        failed(cause, nanoTime.getAsLong());
    }

    /**
     * As {@link #failed(String)}, for an attempt that began at {@code attemptStartedAt} ({@link
     * System#nanoTime()}): an outage starts when its first failed attempt began, not when that
     * attempt gave up (after a timeout, say), so its length is what it was.
     */
    public synchronized void failed(String cause, long attemptStartedAt) {
        long now = nanoTime.getAsLong();
        if (!active) {
            active = true;
            startedAt = Math.min(attemptStartedAt, now);
            remindedAt = now;
            log.warn(
                    "{} is unreachable: {}; retrying (a reminder every {} s while it lasts)",
                    what,
                    cause,
                    REMINDER.toSeconds());
        } else if (now - remindedAt >= REMINDER.toNanos()) {
            remindedAt = now;
            log.warn("{} still unreachable after {}: {}", what, length(now - startedAt), cause);
        }
    }

    /** An attempt succeeded: ends the outage under way, if any. */
    public synchronized void recovered() {
        if (active) {
            active = false;
            log.info(
                    "{} is reachable again after {}",
                    what,
                    length(nanoTime.getAsLong() - startedAt));
        }
    }

    /** Whether an outage is under way (its start logged, its end not yet). */
    public synchronized boolean active() {
        return active;
    }

    /** {@code 12.3 s}: an outage's length as the log lines give it. */
    static String length(long nanos) {
        return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }
}
