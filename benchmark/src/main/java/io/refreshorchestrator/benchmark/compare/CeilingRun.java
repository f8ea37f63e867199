package io.refreshorchestrator.benchmark.compare;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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
    private static final List<String> STAGES = List.of("capture", "topology", "queue", "refresh");

    /** One step: the rate asked, what was achieved, the slot lag and the stages (p50/p99 ms). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Step(
            int targetRowsPerSecond,
            double achievedRowsPerSecond,
            double slotLagStartMiB,
            double slotLagEndMiB,
            double slotLagGrowthMiB,
            boolean sustained,
            Map<String, LagStats> stages) {}

    record Report(
            int version,
            Instant startedAt,
            String mode,
            MachineInfo machine,
            int stepSeconds,
            int ceilingRowsPerSecond,
            List<Step> steps) {}

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
        var steps = new ArrayList<Step>();
        int ceiling = 0;
        try (var orchestrator = new OrchestratorStrategy(jar, false)) {
            orchestrator.start(context);
            var warmUp = new OpenLoopWriter(1).run(new OpenLoopSchedule(1, 1), this::session);
            Thread.sleep(3_000); // let the warm-up's change reach the topic before following it
            try (var slotLag = new SlotLagSampler(context.connect(), orchestrator.slot());
                    var stages =
                            new StageTracker(
                                    context.stack().kafka().bootstrapServers(),
                                    orchestrator.changeTopic("bench.events"),
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
                new Report(
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
        String markdown = markdown(report);
        Files.writeString(directory.resolve(base + ".md"), markdown);
        out.println();
        out.println(markdown);
        out.flush();
        return 0;
    }

    private OpenLoopWriter.Session session() throws Exception {
        return new EventWriter(context.connect(), 0, ROWS_PER_COMMIT, commit -> {});
    }

    private static Step step(
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
        return new Step(rate, achieved, start, end, growth, sustained, stageStats);
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

    private static String markdown(Report report) {
        var m = report.machine();
        var md = new StringBuilder();
        md.append("# compare --ceiling")
                .append(report.mode().isEmpty() ? "" : " " + report.mode())
                .append(": ")
                .append(report.startedAt())
                .append("\n\n");
        md.append(
                String.format(
                        Locale.ROOT,
                        "Machine: %d cores, %,d MiB, %s; PostgreSQL %s; Kafka %s; load average %s"
                                + " before, %s after. The orchestrator (default policy) under"
                                + " inserts of %d rows per commit, %d s per step; sustained: the"
                                + " writers kept 95%% of the rate and the slot lag grew by less"
                                + " than 16 MiB over the step.%n%n",
                        m.cores(),
                        m.memoryMiB(),
                        m.java(),
                        m.postgres(),
                        m.kafka(),
                        m.loadBefore(),
                        m.loadAfter(),
                        ROWS_PER_COMMIT,
                        report.stepSeconds()));
        boolean allSustained = report.steps().stream().allMatch(Step::sustained);
        md.append("**Highest sustained rate: ")
                .append(String.format(Locale.ROOT, "%,d", report.ceilingRowsPerSecond()))
                .append(" row changes/s")
                .append(allSustained ? " (the highest step tried: the ceiling is above it)" : "")
                .append(".**\n\n");
        md.append(
                "| rows/s asked | achieved | slot lag start → end MiB | growth MiB | sustained | capture p50/p99 | topology p50/p99 | queue p50/p99 | refresh p50/p99 |\n");
        md.append("| ---: | ---: | --- | ---: | --- | --- | --- | --- | --- |\n");
        for (Step step : report.steps()) {
            md.append(
                    String.format(
                            Locale.ROOT,
                            "| %,d | %,.0f | %.1f → %.1f | %.1f | %s |",
                            step.targetRowsPerSecond(),
                            step.achievedRowsPerSecond(),
                            step.slotLagStartMiB(),
                            step.slotLagEndMiB(),
                            step.slotLagGrowthMiB(),
                            step.sustained() ? "yes" : "no"));
            for (String stage : STAGES) {
                LagStats s = step.stages().get(stage);
                md.append(' ')
                        .append(MarkdownReport.ms(s.p50Ms()))
                        .append(" / ")
                        .append(MarkdownReport.ms(s.p99Ms()))
                        .append(" |");
            }
            md.append('\n');
        }
        md.append(
                "\nStages: capture = commit → change event in Kafka (its timestamp minus"
                        + " source.ts_ms, millisecond grain); topology = that event → the command"
                        + " (requestedAt minus the Kafka timestamp of the event at the command's"
                        + " lastLsn: from the last event it folds in, so it holds the debounce's"
                        + " quiet period when that fired it, not the wait of earlier events);"
                        + " queue = command → run start; refresh = run start → finish.\n");
        return md.toString();
    }
}
