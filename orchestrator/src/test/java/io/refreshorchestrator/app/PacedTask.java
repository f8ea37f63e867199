package io.refreshorchestrator.app;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A test's background activity at a steady pace (a writer, a sampler): {@code tick} runs every
 * {@code period} on a thread of its own, paced by a scheduler rather than by sleeping, until {@link
 * #close}. A tick that fails ends the activity and is kept for the test to report.
 */
final class PacedTask implements AutoCloseable {

    /** One step of the activity. */
    interface Tick {
        void run() throws Exception;
    }

    private final ScheduledExecutorService scheduler;
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    private PacedTask(String name) {
        scheduler =
                Executors.newSingleThreadScheduledExecutor(
                        task -> {
                            var thread = new Thread(task, name);
                            thread.setDaemon(true);
                            return thread;
                        });
    }

    static PacedTask every(Duration period, String name, Tick tick) {
        var task = new PacedTask(name);
        task.scheduler.scheduleWithFixedDelay(
                () -> {
                    try {
                        tick.run();
                    } catch (Exception e) {
                        task.failure.compareAndSet(null, e);
                        throw new IllegalStateException(name + " failed", e);
                    }
                },
                0,
                period.toMillis(),
                TimeUnit.MILLISECONDS);
        return task;
    }

    /** The exception that ended the activity, if one did. */
    Optional<Exception> failure() {
        return Optional.ofNullable(failure.get());
    }

    /** Stops the activity and waits for a tick under way to finish. */
    @Override
    public void close() throws InterruptedException {
        scheduler.shutdownNow();
        if (!scheduler.awaitTermination(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("a tick did not finish within 10 s");
        }
    }
}
