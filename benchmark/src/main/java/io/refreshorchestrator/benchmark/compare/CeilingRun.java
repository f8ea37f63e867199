package io.refreshorchestrator.benchmark.compare;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code compare --ceiling}: the orchestrator (default policy) under inserts of 100 rows per commit
 * at a growing rate, one step after another; a step is sustained when the writers kept the rate
 * (95%) and the replication slot's lag grew by less than {@link #FLAT_GROWTH_BYTES} over it
 * (least-squares slope of the once-a-second samples). Each step's freshness lag is broken down by
 * stage ({@link StageTracker}).
 */
final class CeilingRun {

    private static final int ROWS_PER_COMMIT = 100;
    private static final long FLAT_GROWTH_BYTES = 16L * 1024 * 1024;
    private static final List<String> STAGES = StageTracker.STAGES;

    private final BenchContext context;
    private final Path jar;
    private final PrintWriter out;
    private final boolean quick;

    CeilingRun(BenchContext context, Path jar, PrintWriter out, boolean quick) {
        this.context = context;
        this.jar = jar;
        this.out = out;
        this.quick = quick;
    }

    int run(Path directory, MachineInfo machine, Instant startedAt) throws Exception {
        var missing = OrchestratorStrategy.unavailable(jar);
        if (missing.isPresent()) {
            out.println("ceiling skipped: " + missing.get());
            return 1;
        }
        Duration step = quick ? Duration.ofSeconds(15) : Duration.ofSeconds(60);
        int[] rates =
                quick
                        ? new int[] {5_000, 10_000, 15_000, 20_000, 30_000}
                        : new int[] {5_000, 10_000, 15_000, 20_000, 30_000};
        try (Connection connection = context.connect()) {
            WorkloadSchema.reset(connection, 50_000, WorkloadSchema.ViewKind.MATERIALIZED);
        }
        var steps = new ArrayList<CeilingReport.Step>();
        int ceiling = 0;
        try (var orchestrator = new OrchestratorStrategy(jar, false)) {
            orchestrator.start(context);
            var warmUp = new OpenLoopWriter(1).run(new OpenLoopSchedule(1, 1), this::session);
            Thread.sleep(3_000); // let the warm-up's change reach the topic before following it
            try (var slotLag = new SlotLagSampler(context.connect(), orchestrator.slot());
                    var stages =
                            new StageTracker(
                                    context.stack().kafka().bootstrapServers(),
                                    orchestrator.changeTopic(WorkloadSchema.EVENTS_TABLE),
                                    orchestrator.commandsTopic(),
                                    orchestrator.resultsTopic())) {
                for (int rate : rates) {
                    out.printf(
                            "%tT ceiling: %,d rows/s for %d s%n",
                            System.currentTimeMillis(), rate, step.toSeconds());
                    out.flush();
                    long from = Micros.now();
                    var schedule =
                            new OpenLoopSchedule(
                                    rate / (double) ROWS_PER_COMMIT,
                                    (int) (rate / ROWS_PER_COMMIT * step.toSeconds()));
                    var writes = new OpenLoopWriter(4).run(schedule, this::session);
                    long to = Micros.now();
                    var result = step(rate, writes, slotLag.between(from, to), stages, from, to);
                    steps.add(result);
                    out.printf(
                            "  achieved %,.0f rows/s, slot lag %.1f → %.1f MiB (growth %.1f),"
                                    + " %s%n",
                            result.achievedRowsPerSecond(),
                            result.slotLagStartMiB(),
                            result.slotLagEndMiB(),
                            result.slotLagGrowthMiB(),
                            result.sustained() ? "sustained" : "NOT sustained");
                    out.flush();
                    if (!result.sustained()) {
                        break;
                    }
                    ceiling = rate;
                }
            }
            if (warmUp.failures() > 0) {
                out.println("warm-up write failed");
            }
        }
        var report =
                new CeilingReport(
                        1,
                        startedAt,
                        quick ? "--quick" : "",
                        machine.withLoadAfter(MachineInfo.loadAverage()),
                        (int) step.toSeconds(),
                        ceiling,
                        steps);
        String base =
                startedAt.atZone(ZoneOffset.UTC).toLocalDate()
                        + "-ceiling"
                        + (quick ? "-quick" : "");
        Files.createDirectories(directory);
        CompareCommand.json().writeValue(directory.resolve(base + ".json").toFile(), report);
        String markdown = CeilingReport.markdown(report, ROWS_PER_COMMIT, STAGES);
        Files.writeString(directory.resolve(base + ".md"), markdown);
        out.println();
        out.println(markdown);
        out.flush();
        return 0;
    }

    private OpenLoopWriter.Session session() throws Exception {
        return new EventWriter(context.connect(), 0, ROWS_PER_COMMIT, commit -> {});
    }

    private static CeilingReport.Step step(
            int rate,
            OpenLoopWriter.Outcome writes,
            List<SlotLagSampler.Sample> lag,
            StageTracker stages,
            long from,
            long to) {
        double achieved = writes.achievedPerSecond() * ROWS_PER_COMMIT;
        double start = lag.isEmpty() ? 0 : lag.get(0).lagBytes() / 1048576.0;
        double end = lag.isEmpty() ? 0 : lag.get(lag.size() - 1).lagBytes() / 1048576.0;
        double growth = slope(lag) * (to - from) / 1048576.0;
        boolean sustained = achieved >= 0.95 * rate && growth * 1048576.0 < FLAT_GROWTH_BYTES;
        var stageStats = new java.util.LinkedHashMap<String, LagStats>();
        for (String stage : STAGES) {
            stageStats.put(stage, LagStats.of(stages.between(stage, from, to)));
        }
        return new CeilingReport.Step(rate, achieved, start, end, growth, sustained, stageStats);
    }

    /** Least-squares slope of lag bytes over time, in bytes per µs. */
    static double slope(List<SlotLagSampler.Sample> samples) {
        int n = samples.size();
        if (n < 2) {
            return 0;
        }
        double meanX = samples.stream().mapToDouble(s -> s.atMicros()).average().orElse(0);
        double meanY = samples.stream().mapToDouble(s -> s.lagBytes()).average().orElse(0);
        double num = 0;
        double den = 0;
        for (var s : samples) {
            num += (s.atMicros() - meanX) * (s.lagBytes() - meanY);
            den += (s.atMicros() - meanX) * (s.atMicros() - meanX);
        }
        return den == 0 ? 0 : num / den;
    }
}
