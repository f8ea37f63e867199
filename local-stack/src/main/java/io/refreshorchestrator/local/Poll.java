package io.refreshorchestrator.local;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Waits for a condition by polling it until a deadline, and fails with a message naming what was
 * awaited, the last error seen and whatever diagnostics (a log tail) the caller supplies.
 */
final class Poll {

    /** A condition to poll; an exception means "not yet", a {@link GiveUp} stops the wait. */
    @FunctionalInterface
    interface Probe {
        boolean ready() throws Exception;
    }

    /** Thrown by a probe when waiting longer is pointless, e.g. the process already exited. */
    static final class GiveUp extends RuntimeException {
        private static final long serialVersionUID = 1L;

        GiveUp(String message) {
            super(message);
        }
    }

    private static final Duration INTERVAL = Duration.ofMillis(50);

    private Poll() {}

    /**
     * Polls {@code probe} until it returns true.
     *
     * @param what what is awaited, for the failure message ("the Kafka broker to accept admin
     *     calls")
     * @param timeout the deadline, multiplied by the system property {@code it.timeout.factor}
     * @param diagnostics appended to the failure message, e.g. the tail of a server log
     * @throws IllegalStateException on timeout or when the probe gives up
     */
    static void until(String what, Duration timeout, Probe probe, Supplier<String> diagnostics) {
        Duration scaled = scaled(timeout);
        long deadline = System.nanoTime() + scaled.toNanos();
        Exception lastError = null;
        while (true) {
            try {
                if (probe.ready()) {
                    return;
                }
            } catch (GiveUp e) {
                throw new IllegalStateException(
                        "Gave up waiting for "
                                + what
                                + ": "
                                + e.getMessage()
                                + details(diagnostics),
                        lastError);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for " + what, e);
            } catch (Exception e) {
                lastError = e;
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new IllegalStateException(
                        "Timed out after "
                                + scaled.toMillis()
                                + " ms waiting for "
                                + what
                                + (lastError == null ? "" : " (last error: " + lastError + ")")
                                + details(diagnostics),
                        lastError);
            }
            sleep(what);
        }
    }

    /** Multiplies a timeout by {@code it.timeout.factor} (default 1), for slow machines. */
    static Duration scaled(Duration timeout) {
        String factor = System.getProperty("it.timeout.factor", "1");
        try {
            double value = Double.parseDouble(factor.trim());
            return value > 0 ? Duration.ofMillis((long) (timeout.toMillis() * value)) : timeout;
        } catch (NumberFormatException e) {
            return timeout;
        }
    }

    private static String details(Supplier<String> diagnostics) {
        String text = diagnostics.get();
        return text == null || text.isBlank() ? "" : "\n" + text;
    }

    private static void sleep(String what) {
        try {
            Thread.sleep(INTERVAL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for " + what, e);
        }
    }
}
