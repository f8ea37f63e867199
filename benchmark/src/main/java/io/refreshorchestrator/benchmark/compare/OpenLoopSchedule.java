package io.refreshorchestrator.benchmark.compare;

import java.time.Duration;

/**
 * When each write of a workload is due: arrival {@code i} at {@code i / ratePerSecond} after the
 * start, whatever happened to the writes before it. A stalled database therefore shows up as
 * latency (measured from the due time) and lag, never as a quietly lower load.
 *
 * @param ratePerSecond arrivals per second
 * @param arrivals how many writes the workload makes
 */
public record OpenLoopSchedule(double ratePerSecond, int arrivals) {

    public OpenLoopSchedule {
        if (!(ratePerSecond > 0) || Double.isInfinite(ratePerSecond)) {
            throw new IllegalArgumentException("rate must be positive: " + ratePerSecond);
        }
        if (arrivals < 0) {
            throw new IllegalArgumentException("arrivals must not be negative: " + arrivals);
        }
    }

    /** Nanoseconds from the start of the workload at which arrival {@code index} is due. */
    public long dueOffsetNanos(int index) {
        if (index < 0 || index >= arrivals) {
            throw new IndexOutOfBoundsException(index + " of " + arrivals + " arrivals");
        }
        return Math.round(index * 1e9 / ratePerSecond);
    }

    /** The span of the schedule: one interval per arrival. */
    public Duration duration() {
        return Duration.ofNanos(Math.round(arrivals * 1e9 / ratePerSecond));
    }
}
