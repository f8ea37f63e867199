package io.refreshorchestrator.benchmark.compare;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Drives an {@link OpenLoopSchedule} with a fixed number of writer threads, each with its own
 * session. Each thread takes the next arrival, waits for its due time (never for the previous
 * write), writes, and records the latency <em>from the due time</em>: when every thread is stuck,
 * the arrivals behind them are late and their latency says so (no coordinated omission).
 */
public final class OpenLoopWriter {

    /** One writer's connection; {@link #write} makes and commits arrival {@code index}. */
    public interface Session extends AutoCloseable {
        Commit write(int index) throws Exception;
    }

    /** Opens one session per writer thread. */
    public interface SessionFactory {
        Session open() throws Exception;
    }

    /** What the schedule achieved: latencies in microseconds, commits sorted by commit time. */
    public record Outcome(
            Histogram latencyMicros, List<Commit> commits, int failures, long elapsedNanos) {

        /** Commits per second over the span from the first due time to the last commit. */
        /** The same outcome with other commit records (e.g. with server commit times). */
        public Outcome withCommits(List<Commit> corrected) {
            return new Outcome(latencyMicros, corrected, failures, elapsedNanos);
        }

        public double achievedPerSecond() {
            return elapsedNanos == 0 ? 0 : commits.size() * 1e9 / elapsedNanos;
        }
    }

    private final int threads;

    public OpenLoopWriter(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1: " + threads);
        }
        this.threads = threads;
    }

    public Outcome run(OpenLoopSchedule schedule, SessionFactory sessions)
            throws InterruptedException {
        var latency = new ConcurrentHistogram(3_600_000_000L, 3);
        var commits = Collections.synchronizedList(new ArrayList<Commit>());
        var next = new AtomicInteger();
        var failures = new AtomicInteger();
        var lastCommitNanos = new java.util.concurrent.atomic.AtomicLong();
        var setupFailure = new AtomicReference<Exception>();
        var ready = new CountDownLatch(threads);
        var go = new CountDownLatch(1);
        long[] start = new long[1];
        var workers = new ArrayList<Thread>();
        for (int t = 0; t < threads; t++) {
            var worker =
                    new Thread(
                            () -> {
                                try (Session session = sessions.open()) {
                                    ready.countDown();
                                    go.await();
                                    for (int i = next.getAndIncrement();
                                            i < schedule.arrivals();
                                            i = next.getAndIncrement()) {
                                        long due = start[0] + schedule.dueOffsetNanos(i);
                                        parkUntil(due);
                                        try {
                                            commits.add(session.write(i));
                                            long done = System.nanoTime();
                                            latency.recordValue(Math.max(0, (done - due) / 1_000));
                                            lastCommitNanos.accumulateAndGet(done, Math::max);
                                        } catch (Exception e) {
                                            failures.incrementAndGet();
                                        }
                                    }
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                } catch (Exception e) {
                                    setupFailure.compareAndSet(null, e);
                                    ready.countDown();
                                }
                            },
                            "open-loop-writer-" + t);
            worker.setDaemon(true);
            workers.add(worker);
            worker.start();
        }
        ready.await();
        if (setupFailure.get() != null) {
            next.set(Integer.MAX_VALUE / 2);
            go.countDown();
            throw new IllegalStateException(
                    "A writer could not open its session", setupFailure.get());
        }
        start[0] = System.nanoTime();
        go.countDown();
        for (Thread worker : workers) {
            worker.join();
        }
        var sorted = new ArrayList<>(commits);
        sorted.sort(Comparator.comparingLong(Commit::committedMicros));
        long elapsed = Math.max(0, lastCommitNanos.get() - start[0]);
        return new Outcome(latency, List.copyOf(sorted), failures.get(), elapsed);
    }

    private static void parkUntil(long dueNanos) {
        for (long wait = dueNanos - System.nanoTime();
                wait > 0;
                wait = dueNanos - System.nanoTime()) {
            LockSupport.parkNanos(wait);
        }
    }
}
