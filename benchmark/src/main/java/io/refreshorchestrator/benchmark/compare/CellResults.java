package io.refreshorchestrator.benchmark.compare;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Turns a strategy's recorded windows and runs into one {@link CellResult} per workload. */
final class CellResults {

    private static final int PHASES = 20;

    private CellResults() {}

    private static long meanDuration(List<RefreshRun> runs, String view) {
        return Math.round(
                runs.stream()
                        .filter(r -> r.view().equals(view))
                        .mapToLong(RefreshRun::durationMicros)
                        .average()
                        .orElse(0));
    }

    private static long[] concat(long[] first, long[] second) {
        long[] all = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }

    static List<CellResult> of(
            Strategy strategy,
            List<StrategySession.Window> windows,
            List<RefreshRun> runs,
            Optional<Map<String, Map<Long, Long>>> visibleAt) {
        var cells = new ArrayList<CellResult>();
        // A view built on a view has news only once its upstream's refresh holds the commit.
        Map<String, long[]> ready =
                ViewLags.readyAt(
                        windows.stream().flatMap(w -> w.writes().commits().stream()).toList(),
                        runs);
        for (var window : windows) {
            var commits = window.writes().commits();
            Map<String, long[]> lags =
                    visibleAt
                            .map(visible -> visibilityLags(commits, visible))
                            .orElseGet(
                                    () ->
                                            strategy.refreshes()
                                                    ? ViewLags.of(commits, runs)
                                                    : Map.of());
            var inWindow =
                    runs.stream()
                            .filter(
                                    r ->
                                            r.startedMicros() >= window.fromMicros()
                                                    && r.startedMicros() < window.toMicros())
                            .toList();
            int idle = 0;
            for (String view : WorkloadSchema.VIEWS) {
                idle +=
                        LagCalculator.idleRuns(
                                ready.get(view),
                                runs.stream().filter(r -> r.view().equals(view)).toList(),
                                window.fromMicros(),
                                window.toMicros());
            }
            cells.add(
                    cell(
                            strategy.name(),
                            window,
                            false,
                            lags,
                            inWindow.size(),
                            inWindow.stream().mapToLong(RefreshRun::durationMicros).sum() / 1e6,
                            idle,
                            strategy.stages(window.fromMicros(), window.toMicros())));
        }
        return cells;
    }

    /**
     * pg_cron at a coarser interval, by the same arithmetic on the commits recorded under pg_cron 1
     * min: a run of each view at every multiple of the interval, lasting that view's mean measured
     * run time.
     */
    static List<CellResult> computedCron(
            String name,
            long intervalMicros,
            List<StrategySession.Window> windows,
            List<RefreshRun> measuredRuns) {
        var cells = new ArrayList<CellResult>();
        for (var window : windows) {
            var commits = window.writes().commits();
            if (commits.isEmpty()) {
                continue;
            }
            long first = commits.get(0).committedMicros();
            long last = commits.get(commits.size() - 1).committedMicros();
            var pooled = new LinkedHashMap<String, long[]>();
            for (int phase = 0; phase < PHASES; phase++) {
                long offset = intervalMicros * phase / PHASES;
                var synthetic = new ArrayList<RefreshRun>();
                for (String view : WorkloadSchema.VIEWS) {
                    long mean = meanDuration(measuredRuns, view);
                    for (long tick =
                                    ((first - offset) / intervalMicros + 1) * intervalMicros
                                            + offset;
                            tick <= last + 3 * intervalMicros;
                            tick += intervalMicros) {
                        synthetic.add(new RefreshRun(view, tick, tick + mean));
                    }
                }
                ViewLags.of(commits, synthetic)
                        .forEach((view, lags) -> pooled.merge(view, lags, CellResults::concat));
            }
            cells.add(cell(name, window, true, pooled, -1, Double.NaN, -1, Map.of()));
        }
        return cells;
    }

    private static CellResult cell(
            String strategy,
            StrategySession.Window window,
            boolean computed,
            Map<String, long[]> lags,
            int refreshes,
            double refreshSeconds,
            int idle,
            Map<String, LagStats> stages) {
        var writes = window.writes();
        var perView = new LinkedHashMap<String, LagStats>();
        lags.forEach((view, values) -> perView.put(view, LagStats.of(values)));
        long[] pooled = lags.values().stream().flatMapToLong(Arrays::stream).toArray();
        var latency = writes.latencyMicros();
        boolean hasWrites = latency.getTotalCount() > 0;
        var usage = window.usage();
        return new CellResult(
                strategy,
                window.workload().name(),
                computed,
                null,
                lags.isEmpty() ? LagStats.NONE : LagStats.of(pooled),
                perView,
                writes.commits().size(),
                computed || !hasWrites ? Double.NaN : latency.getValueAtPercentile(50) / 1000.0,
                computed || !hasWrites ? Double.NaN : latency.getValueAtPercentile(99) / 1000.0,
                window.workload().schedule().ratePerSecond(),
                computed ? Double.NaN : writes.achievedPerSecond(),
                writes.failures(),
                refreshes,
                refreshSeconds,
                idle,
                computed ? null : usage.map(ProcessUsage::cpuSeconds).orElse(null),
                computed
                        ? null
                        : usage.filter(u -> u.peakRssBytes() > 0)
                                .map(u -> u.peakRssBytes() / (1024.0 * 1024.0))
                                .orElse(null),
                stages);
    }

    private static Map<String, long[]> visibilityLags(
            List<Commit> commits, Map<String, Map<Long, Long>> visible) {
        var lags = new LinkedHashMap<String, long[]>();
        for (String view : WorkloadSchema.VIEWS) {
            Map<Long, Long> seen = visible.getOrDefault(view, Map.of());
            lags.put(
                    view,
                    commits.stream()
                            .filter(c -> seen.containsKey(c.rowId()))
                            .mapToLong(
                                    c -> {
                                        long at = seen.get(c.rowId());
                                        return at == LagCalculator.UNCOVERED
                                                ? LagCalculator.UNCOVERED
                                                : Math.max(0, at - c.committedMicros());
                                    })
                            .toArray());
        }
        return lags;
    }
}
