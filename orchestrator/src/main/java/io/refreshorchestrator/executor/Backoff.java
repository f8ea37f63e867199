package io.refreshorchestrator.executor;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with jitter: the delay before retry {@code n} is drawn between half and all
 * of {@code min(max, initial * 2^(n-1))}, so retries spread out without ever collapsing to zero.
 */
final class Backoff {

    private final Duration initial;
    private final Duration max;
    private final RandomGenerator random;

    Backoff(Duration initial, Duration max, RandomGenerator random) {
        this.initial = initial;
        this.max = max;
        this.random = random;
    }

    /** The delay before retry number {@code retry} (1 for the first retry). */
    Duration delayBefore(int retry) {
        long ceiling = ceilingMillis(retry);
        long half = ceiling / 2;
        return Duration.ofMillis(half + random.nextLong(ceiling - half + 1));
    }

    long ceilingMillis(int retry) {
        long initialMillis = initial.toMillis();
        long maxMillis = max.toMillis();
        // Doubling stops at the cap well before the shift could overflow.
        int doublings = Math.min(Math.max(retry - 1, 0), 62);
        long ceiling = initialMillis;
        for (int i = 0; i < doublings && ceiling < maxMillis; i++) {
            ceiling *= 2;
        }
        return Math.min(ceiling, maxMillis);
    }
}
