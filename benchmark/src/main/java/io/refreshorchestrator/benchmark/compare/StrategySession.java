package io.refreshorchestrator.benchmark.compare;

import io.refreshorchestrator.benchmark.compare.WorkloadSchema.ViewKind;
import io.refreshorchestrator.freshness.LagCalculator;
import java.io.PrintWriter;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs one strategy through every workload on freshly reset data: reset, start, (warm up), then per
 * workload write on schedule, drain, watch it idle; and turns what it recorded into {@link
 * CellResult}s.
 */
final class StrategySession {

    private static final int WRITER_THREADS = 8;

    /**
     * Two minute ticks: a view on a view refreshed by the same tick as its upstream waits for the
     * next.
     */
    private static final Duration FINAL_DRAIN = Duration.ofSeconds(135);

    /** One workload as it ran: the writer's outcome and the window it owns. */
    record Window(
            Workload workload,
            OpenLoopWriter.Outcome writes,
            long fromMicros,
            long toMicros,
            Optional<ProcessUsage> usage) {}

    private final BenchContext context;
    private final int seedRows;
    private final PrintWriter out;

    StrategySession(BenchContext context, int seedRows, PrintWriter out) {
        this.context = context;
        this.seedRows = seedRows;
        this.out = out;
    }

    /** The windows of every workload, with the strategy still open for reading its runs. */
    List<Window> run(Strategy strategy, List<Workload> workloads) throws Exception {
        try (Connection connection = context.connect()) {
            WorkloadSchema.reset(connection, seedRows, strategy.viewKind());
        }
        log("%s: starting", strategy.name());
        strategy.start(context);
        int salt = 0;
        if (strategy.drainsEachWorkload()) {
            var warmUp = write(strategy, new OpenLoopSchedule(1, 1), salt++);
            awaitCovered(strategy, warmUp.commits(), Duration.ofSeconds(120));
        }
        var windows = new ArrayList<Window>();
        for (Workload workload : workloads) {
            long from = Micros.now();
            Optional<ProcessUsage> before = strategy.usage();
            log("%s: %s (%s)", strategy.name(), workload.name(), workload.description());
            var writes = write(strategy, workload.schedule(), salt++ * 1_000_003);
            if (strategy.drainsEachWorkload()) {
                awaitCovered(strategy, writes.commits(), workload.drainTimeout());
            }
            strategy.afterWorkload();
            Thread.sleep(workload.quiet().toMillis()); // the idle spell we watch
            Optional<ProcessUsage> after = strategy.usage();
            Optional<ProcessUsage> usage =
                    after.flatMap(a -> before.map(b -> a.since(b)).or(() -> Optional.of(a)));
            windows.add(new Window(workload, writes, from, Micros.now(), usage));
        }
        if (!strategy.drainsEachWorkload() && strategy.refreshes()) {
            var all = windows.stream().flatMap(w -> w.writes().commits().stream()).toList();
            awaitCovered(strategy, all, FINAL_DRAIN);
        }
        return windows;
    }

    private OpenLoopWriter.Outcome write(Strategy strategy, OpenLoopSchedule schedule, int salt)
            throws InterruptedException {
        var outcome =
                new OpenLoopWriter(WRITER_THREADS)
                        .run(
                                schedule,
                                () ->
                                        new EventWriter(
                                                context.connect(), salt, 1, strategy::onCommit));
        if (outcome.failures() > 0) {
            log("  %d writes failed", outcome.failures());
        }
        try (Connection connection = context.connect()) {
            return outcome.withCommits(CommitTimes.fromServer(connection, outcome.commits()));
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("Cannot read the commit timestamps", e);
        }
    }

    /** Waits until every view covers every commit, or the timeout passes. */
    private void awaitCovered(Strategy strategy, List<Commit> commits, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (covered(strategy, commits)) {
                return;
            }
            Thread.sleep(100); // a benchmark's polling, not a test
        }
        log(
                "  %s: not every commit covered after %s%s",
                strategy.name(), timeout, strategy.diagnostics());
    }

    private static boolean covered(Strategy strategy, List<Commit> commits) throws Exception {
        if (strategy.viewKind() == ViewKind.IMMV) {
            return ((PgIvmStrategy) strategy).caughtUp();
        }
        var lags = ViewLags.of(commits, strategy.runs());
        return lags.values().stream()
                .allMatch(
                        perView ->
                                java.util.Arrays.stream(perView)
                                        .noneMatch(lag -> lag == LagCalculator.UNCOVERED));
    }

    private void log(String format, Object... args) {
        out.printf("%tT ", System.currentTimeMillis());
        out.printf(format + "%n", args);
        out.flush();
    }
}
