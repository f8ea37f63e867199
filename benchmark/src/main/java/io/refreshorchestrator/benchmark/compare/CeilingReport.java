package io.refreshorchestrator.benchmark.compare;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What {@code compare --ceiling} found, written as JSON and rendered as markdown. */
record CeilingReport(
        int version,
        Instant startedAt,
        String mode,
        MachineInfo machine,
        int stepSeconds,
        int ceilingRowsPerSecond,
        List<Step> steps) {

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

    static String markdown(CeilingReport report, int rowsPerCommit, List<String> stages) {
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
                        rowsPerCommit,
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
            for (String stage : stages) {
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
