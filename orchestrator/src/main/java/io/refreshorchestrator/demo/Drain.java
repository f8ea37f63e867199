package io.refreshorchestrator.demo;

import io.refreshorchestrator.discovery.JobGraph;
import java.time.Duration;
import java.util.Collections;

/** Waits after the last write until every view's refresh covers it, or a time limit passes. */
final class Drain {

    private static final long POLL_MILLIS = 200;

    private Drain() {}

    /** True once every view reading a table of the last commits ran after them. */
    static boolean await(
            ResultFeed feed, LearnerWorkload workload, JobGraph graph, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            var rows =
                    DemoSummary.rows(
                            graph,
                            feed.results(),
                            Collections.emptyMap(),
                            workload.commits(),
                            Duration.ofMinutes(1));
            if (rows.stream().allMatch(row -> row.uncovered() == 0)) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }
}
