package io.refreshorchestrator.benchmark.compare;

import java.time.Instant;

/** Epoch microseconds, the one time unit of the compare benchmark's records. */
final class Micros {

    private Micros() {}

    static long now() {
        return of(Instant.now());
    }

    static long of(Instant instant) {
        return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000;
    }
}
