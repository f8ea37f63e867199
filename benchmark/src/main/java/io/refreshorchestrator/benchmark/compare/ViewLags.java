package io.refreshorchestrator.benchmark.compare;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Per view, the lag of each commit under a set of refresh runs, following the view graph. */
final class ViewLags {

    private ViewLags() {}

    /**
     * View → the times at which each commit became readable for the view's refresh, sorted: the
     * commit time for a view on tables, the finish of the upstream run covering it for a view built
     * on a view (its refresh cannot see the change before that). Uncovered ones are left out.
     */
    static Map<String, long[]> readyAt(List<Commit> commits, List<RefreshRun> runs) {
        long[] committed = commits.stream().mapToLong(Commit::committedMicros).toArray();
        var coveredAt = new LinkedHashMap<String, long[]>();
        var ready = new LinkedHashMap<String, long[]>();
        for (String view : WorkloadSchema.VIEWS) { // dependency order: upstream first
            String upstream = WorkloadSchema.UPSTREAM.get(view);
            long[] own = upstream == null ? committed : coveredAt.get(upstream);
            ready.put(
                    view,
                    java.util.Arrays.stream(own)
                            .filter(t -> t != LagCalculator.UNCOVERED)
                            .sorted()
                            .toArray());
            coveredAt.put(
                    view,
                    LagCalculator.coveredAt(
                            own, runs.stream().filter(r -> r.view().equals(view)).toList()));
        }
        return ready;
    }

    /** View → lag per commit (in the order of {@code commits}), µs or UNCOVERED. */
    static Map<String, long[]> of(List<Commit> commits, List<RefreshRun> runs) {
        long[] committed = commits.stream().mapToLong(Commit::committedMicros).toArray();
        var coveredAt = new LinkedHashMap<String, long[]>();
        for (String view : WorkloadSchema.VIEWS) { // dependency order: upstream first
            String upstream = WorkloadSchema.UPSTREAM.get(view);
            long[] ready = upstream == null ? committed : coveredAt.get(upstream);
            List<RefreshRun> own = runs.stream().filter(r -> r.view().equals(view)).toList();
            coveredAt.put(view, LagCalculator.coveredAt(ready, own));
        }
        var lags = new LinkedHashMap<String, long[]>();
        coveredAt.forEach(
                (view, covered) -> lags.put(view, LagCalculator.lags(committed, covered)));
        return lags;
    }
}
