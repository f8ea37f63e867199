package io.refreshorchestrator.demo;

import io.refreshorchestrator.demo.LearnerWorkload.TableCommit;
import io.refreshorchestrator.discovery.JobGraph;
import io.refreshorchestrator.discovery.JobSpec;
import io.refreshorchestrator.events.JobKind;
import io.refreshorchestrator.events.RefreshResult;
import io.refreshorchestrator.events.Status;
import io.refreshorchestrator.freshness.LagCalculator;
import io.refreshorchestrator.freshness.RefreshRun;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo's closing table, one row per job: runs, changes folded, freshness lag p50/p99 (from the
 * results), refresh time p50, the staleness of every recorded commit (mean, max) and what a cron
 * every N minutes would have given on the same commits ({@link CronComparison}).
 */
final class DemoSummary {

    /** One job's figures; durations in µs, {@code -1} where there is nothing to show. */
    record Row(
            String job,
            JobKind kind,
            long succeeded,
            long failed,
            long changes,
            long lagP50,
            long lagP99,
            long refreshP50,
            long staleMean,
            long staleMax,
            long uncovered,
            long cronMean,
            long cronMax) {}

    private DemoSummary() {}

    static List<Row> rows(
            JobGraph graph,
            List<RefreshResult> results,
            Map<String, Long> changesByJob,
            List<TableCommit> commits,
            Duration cron) {
        var commitsByTable = new HashMap<String, long[]>();
        for (var table : commits.stream().map(TableCommit::table).distinct().toList()) {
            commitsByTable.put(
                    table,
                    commits.stream()
                            .filter(c -> c.table().equals(table))
                            .mapToLong(c -> micros(c.at()))
                            .toArray());
        }
        var runs = new HashMap<String, List<RefreshRun>>();
        var meanRefresh = new HashMap<String, Long>();
        for (JobSpec job : graph.topologicalOrder()) {
            var own =
                    succeeded(results, job.name()).stream()
                            .filter(r -> r.startedAt() != null && r.finishedAt() != null)
                            .map(
                                    r ->
                                            new RefreshRun(
                                                    job.name(),
                                                    micros(r.startedAt()),
                                                    micros(r.finishedAt())))
                            .toList();
            runs.put(job.name(), own);
            own.stream()
                    .mapToLong(RefreshRun::durationMicros)
                    .average()
                    .ifPresent(mean -> meanRefresh.put(job.name(), Math.round(mean)));
        }
        var coverage = new CommitCoverage(graph, commitsByTable, runs);
        var cronStaleness = CronComparison.staleness(graph, commitsByTable, meanRefresh, cron);
        var rows = new ArrayList<Row>();
        for (JobSpec job : graph.topologicalOrder()) {
            var own = succeeded(results, job.name());
            long[] lags = sortedMicros(own.stream().map(RefreshResult::freshnessLagMs).toList());
            long[] durations = sortedMicros(own.stream().map(RefreshResult::durationMs).toList());
            long[] stale =
                    job.kind() == JobKind.REFRESH ? coverage.staleness(job.name()) : new long[0];
            long[] covered =
                    Arrays.stream(stale).filter(s -> s != LagCalculator.UNCOVERED).toArray();
            long[] cronLags = cronStaleness.getOrDefault(job.name(), new long[0]);
            rows.add(
                    new Row(
                            job.name(),
                            job.kind(),
                            own.size(),
                            results.stream()
                                    .filter(r -> r.job().equals(job.name()))
                                    .filter(
                                            r ->
                                                    r.status() == Status.FAILED
                                                            || r.status() == Status.TIMED_OUT)
                                    .count(),
                            changesByJob.getOrDefault(job.name(), 0L),
                            percentile(lags, 50),
                            percentile(lags, 99),
                            percentile(durations, 50),
                            mean(covered),
                            max(covered),
                            stale.length - covered.length,
                            mean(cronLags),
                            max(cronLags)));
        }
        return rows;
    }

    private static List<RefreshResult> succeeded(List<RefreshResult> results, String job) {
        return results.stream()
                .filter(r -> r.job().equals(job) && r.status() == Status.SUCCEEDED)
                .toList();
    }

    /** Millisecond values, non-null ones only, as sorted µs. */
    private static long[] sortedMicros(List<Long> millis) {
        return millis.stream().filter(m -> m != null).mapToLong(m -> m * 1_000).sorted().toArray();
    }

    /** Nearest-rank percentile of sorted values, {@code -1} when there are none. */
    static long percentile(long[] sorted, double percent) {
        if (sorted.length == 0) {
            return -1;
        }
        int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    private static long mean(long[] values) {
        return values.length == 0 ? -1 : Math.round(Arrays.stream(values).average().orElse(0));
    }

    private static long max(long[] values) {
        return values.length == 0 ? -1 : Arrays.stream(values).max().orElse(0);
    }

    static long micros(Instant instant) {
        return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000;
    }
}
