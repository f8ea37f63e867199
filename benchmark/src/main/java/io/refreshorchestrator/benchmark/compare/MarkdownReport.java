package io.refreshorchestrator.benchmark.compare;

import java.util.List;
import java.util.Locale;

/** Renders a {@link CompareReport} as markdown: a table per workload, per-view lags, targets. */
final class MarkdownReport {

    private MarkdownReport() {}

    static String render(CompareReport report, List<String> charts) {
        var md = new StringBuilder();
        var m = report.machine();
        md.append("# compare").append(report.mode().isEmpty() ? "" : " " + report.mode());
        md.append(": ").append(report.startedAt()).append("\n\n");
        md.append(
                String.format(
                        Locale.ROOT,
                        "Machine: %d cores, %,d MiB memory, %s; PostgreSQL %s; Kafka %s. Load"
                                + " average (1/5/15 min) %s before, %s after (the machine is"
                                + " shared with other builds). %,d seed rows; run took %.0f s.%n%n",
                        m.cores(),
                        m.memoryMiB(),
                        m.java(),
                        m.postgres(),
                        m.kafka(),
                        m.loadBefore(),
                        m.loadAfter(),
                        report.seedRows(),
                        report.elapsedSeconds()));
        md.append("Strategies:\n\n");
        report.strategies()
                .forEach(
                        (name, text) ->
                                md.append("- **")
                                        .append(name)
                                        .append("**: ")
                                        .append(text)
                                        .append('\n'));
        md.append('\n');
        for (var workload : report.workloads().entrySet()) {
            md.append("## ")
                    .append(workload.getKey())
                    .append(": ")
                    .append(workload.getValue())
                    .append("\n\n");
            md.append(table(report.cells(), workload.getKey()));
            md.append('\n');
        }
        md.append("## Lag per view (p50 / p99 ms)\n\n");
        md.append("| workload | strategy |");
        WorkloadSchema.VIEWS.forEach(v -> md.append(' ').append(v).append(" |"));
        md.append("\n| --- | --- |");
        WorkloadSchema.VIEWS.forEach(v -> md.append(" --- |"));
        md.append('\n');
        for (CellResult c : report.cells()) {
            if (c.skipped() != null || c.viewLags().isEmpty()) {
                continue;
            }
            md.append("| ").append(c.workload()).append(" | ").append(label(c)).append(" |");
            for (String view : WorkloadSchema.VIEWS) {
                LagStats lag = c.viewLags().get(view);
                md.append(' ')
                        .append(
                                lag == null
                                        ? "-"
                                        : ms(lag.p50Ms())
                                                + " / "
                                                + ms(lag.p99Ms())
                                                + uncovered(lag))
                        .append(" |");
            }
            md.append('\n');
        }
        md.append(stages(report.cells()));
        md.append("\n## Targets\n\n| target | measured | verdict |\n| --- | --- | --- |\n");
        for (var check : report.targets()) {
            md.append("| ")
                    .append(check.target())
                    .append(" | ")
                    .append(check.measured())
                    .append(" | ")
                    .append(check.verdict())
                    .append(" |\n");
        }
        md.append(
                "\nLag: for each commit, the time from its commit (the server's commit timestamp)"
                        + " until a refresh that started"
                        + " after it finished (a view built on a view: after the upstream refresh"
                        + " that covered it); uncovered commits are counted apart, not as zero."
                        + " pg_ivm: time until a sampled commit was visible in the view from another"
                        + " session. Write latency: from each write's scheduled arrival to its"
                        + " commit (open loop). Refreshes and refresh time: runs started in the"
                        + " workload's window (writes, drain, idle spell); idle: runs that found no"
                        + " commit since the view's previous run (a view on a view: no upstream"
                        + " run that brought one). CPU: the orchestrator process"
                        + " over the window (trigger + NOTIFY: the listener thread); RSS: the"
                        + " orchestrator's peak since start.\n");
        if (!charts.isEmpty()) {
            md.append('\n');
            charts.forEach(
                    chart ->
                            md.append("![").append(chart).append("](").append(chart).append(")\n"));
        }
        return md.toString();
    }

    /**
     * The orchestrator's lag by stage per workload: where the time between a commit and the end of
     * its refresh goes.
     */
    private static String stages(List<CellResult> cells) {
        var staged = cells.stream().filter(c -> !c.stages().isEmpty()).toList();
        if (staged.isEmpty()) {
            return "";
        }
        var md = new StringBuilder("\n## Orchestrator lag by stage (p50 / p99)\n\n");
        md.append("| workload | strategy |");
        var columns = new java.util.ArrayList<>(StageTracker.STAGES);
        columns.add(StageTracker.CASCADE);
        columns.forEach(s -> md.append(' ').append(s).append(" |"));
        md.append("\n| --- | --- |");
        columns.forEach(s -> md.append(" ---: |"));
        md.append('\n');
        for (CellResult c : staged) {
            md.append("| ").append(c.workload()).append(" | ").append(label(c)).append(" |");
            for (String stage : columns) {
                LagStats lag = c.stages().get(stage);
                md.append(' ')
                        .append(
                                lag == null || lag.samples() == 0
                                        ? "-"
                                        : ms(lag.p50Ms()) + " / " + ms(lag.p99Ms()))
                        .append(" |");
            }
            md.append('\n');
        }
        md.append(
                "\nStages: capture = commit → change event in Kafka (its timestamp minus"
                        + " source.ts_ms, millisecond grain); topology = that event → the command"
                        + " folding it in (requestedAt minus the Kafka timestamp of the event at"
                        + " the command's lastLsn: holds the debounce's quiet period when that"
                        + " fired it); queue = command → run start (includes the exactly-once"
                        + " commit that makes the command visible, the executor's fetch and the"
                        + " visibility check); refresh = run start → finish; these four for"
                        + " data-change commands. cascade = the upstream's run finished → the"
                        + " command of the view built on it (its debounce included).\n");
        return md.toString();
    }

    private static String table(List<CellResult> cells, String workload) {
        var md = new StringBuilder();
        md.append(
                "| strategy | lag p50 | p95 | p99 | max | uncovered | write p50 | write p99 |"
                        + " writes/s (target) | refreshes | refresh s | idle | CPU s | peak RSS MiB |\n");
        md.append(
                "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (CellResult c : cells) {
            if (!c.workload().equals(workload)) {
                continue;
            }
            if (c.skipped() != null) {
                md.append("| ")
                        .append(c.strategy())
                        .append(" | skipped: ")
                        .append(c.skipped())
                        .append(" |||||||||||||\n");
                continue;
            }
            var lag = c.lag();
            md.append(
                    String.format(
                            Locale.ROOT,
                            "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                            label(c),
                            ms(lag.p50Ms()),
                            ms(lag.p95Ms()),
                            ms(lag.p99Ms()),
                            ms(lag.maxMs()),
                            c.lag().samples() + c.lag().uncovered() == 0
                                    ? "-"
                                    : Long.toString(lag.uncovered()),
                            ms(c.writeP50Ms()),
                            ms(c.writeP99Ms()),
                            Double.isNaN(c.achievedPerSecond())
                                    ? "-"
                                    : String.format(
                                            Locale.ROOT,
                                            "%.1f (%s)",
                                            c.achievedPerSecond(),
                                            number(c.targetPerSecond())),
                            c.refreshes() < 0 ? "-" : Integer.toString(c.refreshes()),
                            Double.isNaN(c.refreshSeconds())
                                    ? "-"
                                    : String.format(Locale.ROOT, "%.2f", c.refreshSeconds()),
                            c.idleRefreshes() < 0 ? "-" : Integer.toString(c.idleRefreshes()),
                            c.cpuSeconds() == null
                                    ? "-"
                                    : String.format(Locale.ROOT, "%.1f", c.cpuSeconds()),
                            c.peakRssMiB() == null
                                    ? "-"
                                    : String.format(Locale.ROOT, "%.0f", c.peakRssMiB())));
        }
        return md.toString();
    }

    static String label(CellResult cell) {
        return cell.computed() ? cell.strategy() + " (computed)" : cell.strategy();
    }

    private static String uncovered(LagStats lag) {
        return lag.uncovered() == 0 ? "" : " (" + lag.uncovered() + " uncovered)";
    }

    static String ms(double value) {
        if (Double.isNaN(value)) {
            return "-";
        }
        if (value < 10) {
            return String.format(Locale.ROOT, "%.1f ms", value);
        }
        if (value < 10_000) {
            return String.format(Locale.ROOT, "%.0f ms", value);
        }
        return String.format(Locale.ROOT, "%.1f s", value / 1000);
    }

    private static String number(double value) {
        return value == Math.rint(value)
                ? Long.toString((long) value)
                : String.format(Locale.ROOT, "%.1f", value);
    }
}
