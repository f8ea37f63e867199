package io.refreshorchestrator.benchmark.compare;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs the planned strategies one after another through the workloads ({@link StrategySession}) and
 * collects their cells, adding pg_cron at coarser intervals by computation: from pg_cron's own
 * runs, or under {@code --quick} from the baseline's commits and measured refresh times.
 */
final class Comparison {

    /** A strategy as selected by {@code --strategies}, and why it cannot run, if it cannot. */
    record Planned(String key, Strategy strategy, Optional<String> missing) {}

    /** The cells of every strategy and workload, and each strategy's description by name. */
    record Outcome(List<CellResult> cells, Map<String, String> descriptions) {}

    private final BenchContext context;
    private final boolean quick;
    private final boolean cronAvailable;
    private final PrintWriter console;
    private final StrategySession session;

    Comparison(
            BenchContext context,
            int seedRows,
            boolean quick,
            boolean cronAvailable,
            PrintWriter console) {
        this.context = context;
        this.quick = quick;
        this.cronAvailable = cronAvailable;
        this.console = console;
        this.session = new StrategySession(context, seedRows, console);
    }

    /** Runs the planned strategies ({@code only} those keys, when not null). */
    Outcome run(List<Planned> planned, List<Workload> workloads, List<String> only) {
        var cells = new ArrayList<CellResult>();
        var descriptions = new LinkedHashMap<String, String>();
        for (Planned plan : planned) {
            if (only != null && !only.contains(plan.key())) {
                continue;
            }
            Strategy strategy = plan.strategy();
            Optional<String> missing = plan.missing();
            descriptions.put(strategy.name(), strategy.description());
            if (missing.isPresent()) {
                workloads.forEach(
                        w ->
                                cells.add(
                                        CellResult.skipped(
                                                strategy.name(), w.name(), missing.get())));
                continue;
            }
            try (strategy) {
                var windows = session.run(strategy, workloads);
                var runs = strategy.runs();
                cells.addAll(CellResults.of(strategy, windows, runs, strategy.visibleAt()));
                if (quick && strategy instanceof NoRefreshStrategy && cronAvailable) {
                    var measured = RefreshTimes.measure(context, 3);
                    for (int minutes : new int[] {1, 5, 30}) {
                        String name = "pg_cron " + minutes + " min";
                        descriptions.put(
                                name + " (computed)",
                                "pg_cron every "
                                        + minutes
                                        + " minute(s), one job per view,"
                                        + " computed from the commits recorded under the"
                                        + " baseline and refresh times measured after it");
                        cells.addAll(
                                CellResults.computedCron(
                                        name, minutes * 60_000_000L, windows, measured));
                    }
                }
                if (strategy instanceof PgCronStrategy) {
                    for (int minutes : new int[] {5, 30}) {
                        String name = "pg_cron " + minutes + " min";
                        descriptions.put(
                                name + " (computed)",
                                "pg_cron every "
                                        + minutes
                                        + " minutes, computed from the commits"
                                        + " recorded under pg_cron 1 min and its mean run times");
                        cells.addAll(
                                CellResults.computedCron(
                                        name, minutes * 60_000_000L, windows, runs));
                    }
                }
            } catch (Exception e) {
                String reason = "failed: " + e.getMessage();
                console.println(strategy.name() + " " + reason);
                workloads.forEach(
                        w -> cells.add(CellResult.skipped(strategy.name(), w.name(), reason)));
            }
        }
        return new Outcome(cells, descriptions);
    }
}
