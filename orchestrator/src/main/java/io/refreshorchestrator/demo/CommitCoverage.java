package io.refreshorchestrator.demo;

import io.refreshorchestrator.discovery.JobGraph;
import io.refreshorchestrator.discovery.JobSpec;
import io.refreshorchestrator.discovery.RelationName;
import io.refreshorchestrator.freshness.LagCalculator;
import io.refreshorchestrator.freshness.RefreshRun;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The staleness of each recorded commit for each view under a set of refresh runs, by the project's
 * guarantee ({@link LagCalculator}): a commit to a table the view reads directly is covered by the
 * first run of the view that started after it; a commit that reaches the view through upstream
 * views is covered by the first run that started after every upstream run covering it finished.
 */
final class CommitCoverage {

    private final JobGraph graph;
    private final Map<String, long[]> commitsByTable;
    private final Map<String, List<RefreshRun>> runsByJob;
    private final Map<String, long[]> memo = new HashMap<>();

    /**
     * @param commitsByTable commit times (epoch µs) per {@code schema.table}
     * @param runsByJob the runs of each job
     */
    CommitCoverage(
            JobGraph graph,
            Map<String, long[]> commitsByTable,
            Map<String, List<RefreshRun>> runsByJob) {
        this.graph = graph;
        this.commitsByTable = commitsByTable;
        this.runsByJob = runsByJob;
    }

    /**
     * The staleness (µs) of every commit {@code job} reads, {@link LagCalculator#UNCOVERED} when
     * none.
     */
    long[] staleness(String job) {
        var all = new ArrayList<long[]>();
        for (var table : commitsByTable.keySet()) {
            if (reads(job, table)) {
                all.add(LagCalculator.lags(commitsByTable.get(table), coveredAt(job, table)));
            }
        }
        return all.stream().flatMapToLong(Arrays::stream).toArray();
    }

    /** Whether {@code job} reads {@code table}, directly or through upstream jobs. */
    boolean reads(String job, String table) {
        JobSpec spec = spec(job);
        return spec.sources().contains(RelationName.parse(table))
                || spec.upstream().stream().anyMatch(up -> reads(up, table));
    }

    private long[] coveredAt(String job, String table) {
        String key = job + "\u0000" + table;
        long[] known = memo.get(key);
        if (known != null) {
            return known;
        }
        JobSpec spec = spec(job);
        long[] ready;
        if (spec.sources().contains(RelationName.parse(table))) {
            ready = commitsByTable.get(table);
        } else {
            // every upstream path must hold the change before this view can
            ready = new long[commitsByTable.get(table).length];
            for (String up : spec.upstream()) {
                if (reads(up, table)) {
                    long[] upstream = coveredAt(up, table);
                    for (int i = 0; i < ready.length; i++) {
                        ready[i] =
                                ready[i] == LagCalculator.UNCOVERED
                                                || upstream[i] == LagCalculator.UNCOVERED
                                        ? LagCalculator.UNCOVERED
                                        : Math.max(ready[i], upstream[i]);
                    }
                }
            }
        }
        long[] covered = LagCalculator.coveredAt(ready, runsByJob.getOrDefault(job, List.of()));
        memo.put(key, covered);
        return covered;
    }

    private JobSpec spec(String job) {
        return graph.job(job)
                .orElseThrow(() -> new IllegalArgumentException("no job named " + job));
    }
}
