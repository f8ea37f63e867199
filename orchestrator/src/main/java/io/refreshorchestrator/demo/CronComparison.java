package io.refreshorchestrator.demo;

import io.refreshorchestrator.discovery.JobGraph;
import io.refreshorchestrator.discovery.JobSpec;
import io.refreshorchestrator.events.JobKind;
import io.refreshorchestrator.freshness.LagCalculator;
import io.refreshorchestrator.freshness.RefreshRun;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a cron job every {@code interval} would have given on the same commits: at each tick it
 * refreshes every view one after the other in dependency order (as the {@code refresh_all_views()}
 * of a pg_cron setup does), each taking its mean measured refresh time. The staleness of a commit
 * is the time until the first such refresh that started after it finished; pooled over {@value
 * #PHASES} evenly spaced tick phases, since where the ticks fall relative to a short run is chance.
 */
final class CronComparison {

    static final int PHASES = 20;

    private CronComparison() {}

    /**
     * Per view, the staleness (µs) of each commit it reads, over all phases.
     *
     * @param meanRefreshMicros mean measured refresh time per job (absent: 0)
     */
    static Map<String, long[]> staleness(
            JobGraph graph,
            Map<String, long[]> commitsByTable,
            Map<String, Long> meanRefreshMicros,
            Duration interval) {
        long every = interval.toNanos() / 1_000;
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (long[] commits : commitsByTable.values()) {
            for (long commit : commits) {
                first = Math.min(first, commit);
                last = Math.max(last, commit);
            }
        }
        var pooled = new HashMap<String, List<long[]>>();
        if (first > last) {
            return Map.of();
        }
        for (int phase = 0; phase < PHASES; phase++) {
            long shift = every * phase / PHASES;
            var runs = new HashMap<String, List<RefreshRun>>();
            long offset = 0; // where each view starts within a tick's sequence
            for (JobSpec job : graph.topologicalOrder()) {
                if (job.kind() != JobKind.REFRESH) {
                    continue;
                }
                long duration = meanRefreshMicros.getOrDefault(job.name(), 0L);
                var own = new ArrayList<RefreshRun>();
                for (long tick = Math.floorDiv(first - shift, every) * every + shift;
                        tick <= last + every;
                        tick += every) {
                    own.add(new RefreshRun(job.name(), tick + offset, tick + offset + duration));
                }
                runs.put(job.name(), own);
                offset += duration + 1; // the next view starts after this one ended
            }
            var coverage = new CommitCoverage(graph, commitsByTable, Map.copyOf(runs));
            for (String job : runs.keySet()) {
                pooled.computeIfAbsent(job, j -> new ArrayList<>()).add(coverage.staleness(job));
            }
        }
        var result = new HashMap<String, long[]>();
        pooled.forEach(
                (job, lists) ->
                        result.put(
                                job,
                                lists.stream()
                                        .flatMapToLong(Arrays::stream)
                                        .filter(lag -> lag != LagCalculator.UNCOVERED)
                                        .toArray()));
        return result;
    }
}
