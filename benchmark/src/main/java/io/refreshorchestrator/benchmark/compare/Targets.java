package io.refreshorchestrator.benchmark.compare;

import io.refreshorchestrator.benchmark.compare.CompareReport.TargetCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Checks the targets against the cells of a comparison. */
final class Targets {

    static final String ORCHESTRATOR = "orchestrator";
    static final String LEADING = "orchestrator leading-edge";
    static final String NOTIFY = "trigger + NOTIFY";
    static final String BASELINE = "none (baseline)";
    static final String IVM = "pg_ivm";
    private static final double DEBOUNCE_MS = 1_000;

    private Targets() {}

    static List<TargetCheck> check(List<CellResult> cells, Optional<String> ceiling) {
        var checks = new ArrayList<TargetCheck>();
        cell(cells, ORCHESTRATOR, "steady")
                .ifPresent(
                        c -> {
                            double bound = DEBOUNCE_MS + meanRefreshMs(c) + 1_500;
                            checks.add(
                                    verdict(
                                            "orchestrator p99 lag ≤ debounce + refresh time + 1.5 s"
                                                    + " at steady load",
                                            "p99 %.0f ms, bound %.0f ms (1 s + %.0f ms + 1.5 s)"
                                                    .formatted(
                                                            c.lag().p99Ms(),
                                                            bound,
                                                            meanRefreshMs(c)),
                                            c.lag().p99Ms() <= bound && c.lag().uncovered() == 0,
                                            c.lag().p99Ms() - bound));
                        });
        cell(cells, LEADING, "sporadic")
                .ifPresent(
                        c -> {
                            double above = c.lag().p50Ms() - meanRefreshMs(c);
                            checks.add(
                                    verdict(
                                            "leading edge: sporadic p50 lag ≤ refresh time + 250 ms",
                                            "p50 %.0f ms, mean refresh %.0f ms: %.0f ms above"
                                                    .formatted(
                                                            c.lag().p50Ms(),
                                                            meanRefreshMs(c),
                                                            above),
                                            above <= 250,
                                            above - 250));
                        });
        var notify = cell(cells, NOTIFY, "steady");
        for (String name : List.of(ORCHESTRATOR, LEADING)) {
            cell(cells, name, "steady")
                    .ifPresent(
                            c ->
                                    notify.ifPresent(
                                            n -> {
                                                double fewer =
                                                        100.0
                                                                * (1
                                                                        - c.refreshes()
                                                                                / (double)
                                                                                        Math.max(
                                                                                                1,
                                                                                                n
                                                                                                        .refreshes()));
                                                checks.add(
                                                        new TargetCheck(
                                                                name
                                                                        + ": ≥ 95% fewer refreshes than (c)"
                                                                        + " at 100 commits/s",
                                                                "%d against %d run by (c) (%d asked"
                                                                                .formatted(
                                                                                        c
                                                                                                .refreshes(),
                                                                                        n
                                                                                                .refreshes(),
                                                                                        n.commits()
                                                                                                * 4)
                                                                        + "): %.1f%% fewer"
                                                                                .formatted(fewer),
                                                                fewer >= 95 ? "met" : "missed"));
                                            }));
        }
        for (String name : List.of(ORCHESTRATOR, LEADING)) {
            int idle =
                    cells.stream()
                            .filter(c -> c.strategy().equals(name) && c.skipped() == null)
                            .mapToInt(CellResult::idleRefreshes)
                            .sum();
            if (cells.stream().anyMatch(c -> c.strategy().equals(name) && c.skipped() == null)) {
                checks.add(
                        new TargetCheck(
                                name + ": zero refreshes while idle",
                                idle + " idle refreshes over all workloads",
                                idle == 0 ? "met" : "missed"));
            }
        }
        var baseline = cell(cells, BASELINE, "steady");
        var ivm = cell(cells, IVM, "steady");
        for (String name : List.of(ORCHESTRATOR, LEADING)) {
            var own = cell(cells, name, "steady");
            if (own.isEmpty() || baseline.isEmpty()) {
                continue;
            }
            double p99 = own.get().writeP99Ms();
            double base = baseline.get().writeP99Ms();
            String ivmText =
                    ivm.map(
                                    i ->
                                            "; pg_ivm p99 %.1f ms (%s)"
                                                    .formatted(
                                                            i.writeP99Ms(),
                                                            withinNoise(i.writeP99Ms(), base)
                                                                    ? "within noise"
                                                                    : "not within noise"))
                            .orElse("; pg_ivm skipped");
            checks.add(
                    new TargetCheck(
                            name
                                    + ": write latency unchanged against no strategy (steady,"
                                    + " p99 at most max(25%, 1 ms) above it)",
                            "p99 %.1f ms against %.1f ms".formatted(p99, base) + ivmText,
                            withinNoise(p99, base) ? "met" : "missed"));
        }
        checks.add(
                new TargetCheck(
                        "≥ 10,000 row changes/s sustained with flat slot lag on 2 cores",
                        ceiling.orElse("not measured by this run: see compare --ceiling"),
                        ceiling.isPresent() ? "see ceiling" : "not measured"));
        return checks;
    }

    /** Not worse than the baseline by more than 25% or 1 ms, whichever is larger. */
    static boolean withinNoise(double value, double baseline) {
        return value - baseline <= Math.max(0.25 * baseline, 1.0);
    }

    private static double meanRefreshMs(CellResult cell) {
        return cell.refreshes() <= 0 ? 0 : cell.refreshSeconds() * 1000 / cell.refreshes();
    }

    private static TargetCheck verdict(String target, String measured, boolean met, double missBy) {
        return new TargetCheck(
                target, measured, met ? "met" : "missed by %.0f ms".formatted(Math.max(0, missBy)));
    }

    private static Optional<CellResult> cell(
            List<CellResult> cells, String strategy, String workload) {
        return cells.stream()
                .filter(
                        c ->
                                c.strategy().equals(strategy)
                                        && c.workload().equals(workload)
                                        && c.skipped() == null
                                        && !c.computed())
                .findFirst();
    }
}
