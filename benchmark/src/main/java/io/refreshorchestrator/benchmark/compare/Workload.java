package io.refreshorchestrator.benchmark.compare;

import java.time.Duration;
import java.util.List;

/**
 * One write pattern: a schedule of single-row commits, and how long the comparison then waits for
 * the strategy to cover them ({@code drainTimeout}) and watches it with the source idle ({@code
 * quiet}).
 */
record Workload(
        String name,
        String description,
        OpenLoopSchedule schedule,
        Duration drainTimeout,
        Duration quiet) {

    /** sporadic, steady, burst: short for {@code --quick}, longer by default. */
    static List<Workload> all(boolean quick) {
        Duration drain = quick ? Duration.ofSeconds(8) : Duration.ofSeconds(30);
        // Five times the debounce: long enough to see a refresh of an idle source, short enough
        // that the default run stays under 20 minutes.
        Duration quiet = quick ? Duration.ofSeconds(2) : Duration.ofSeconds(5);
        return List.of(
                new Workload(
                        "sporadic",
                        quick ? "1 commit every 2 s" : "1 commit every 3 s",
                        quick ? new OpenLoopSchedule(0.5, 5) : new OpenLoopSchedule(1.0 / 3, 15),
                        drain,
                        quiet),
                new Workload(
                        "steady",
                        "100 commits/s",
                        new OpenLoopSchedule(100, quick ? 1_000 : 6_000),
                        drain,
                        quiet),
                new Workload(
                        "burst",
                        "1,000 rows in 1 s (1,000 commits), then quiet",
                        new OpenLoopSchedule(1_000, 1_000),
                        drain,
                        quiet));
    }
}
