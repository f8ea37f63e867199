package io.refreshorchestrator.demo;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/** Prints the rows of {@link DemoSummary} as an aligned table with what the columns mean. */
final class SummaryTable {

    static final String TITLE = "SUMMARY";
    private static final String FORMAT =
            "%-34s  %5s  %7s  %8s  %8s  %11s  %10s  %10s  %13s  %13s%n";

    private SummaryTable() {}

    static void print(
            PrintWriter out,
            List<DemoSummary.Row> rows,
            Duration cron,
            long commits,
            Duration ran) {
        String every = human(cron);
        out.println();
        out.printf(
                Locale.ROOT,
                "%s: %s of writes, %d commits; durations: ms below 1 s, s below 2 min, min above%n",
                TITLE,
                human(ran),
                commits);
        out.printf(
                Locale.ROOT,
                FORMAT,
                "JOB",
                "RUNS",
                "CHANGES",
                "LAG p50",
                "LAG p99",
                "REFRESH p50",
                "STALE mean",
                "STALE max",
                "CRON " + every + " mean",
                "CRON " + every + " max");
        long uncovered = 0;
        for (var row : rows) {
            out.printf(
                    Locale.ROOT,
                    FORMAT,
                    row.job(),
                    row.failed() > 0 ? row.succeeded() + "+" + row.failed() + "F" : row.succeeded(),
                    row.changes(),
                    micros(row.lagP50()),
                    micros(row.lagP99()),
                    micros(row.refreshP50()),
                    micros(row.staleMean()),
                    micros(row.staleMax()),
                    micros(row.cronMean()),
                    micros(row.cronMax()));
            uncovered += row.uncovered();
        }
        out.println();
        out.println(
                "RUNS: successful refreshes (+nF failed). CHANGES: change events folded into the"
                        + " commands. LAG: freshness lag of each run (finished minus the commit of"
                        + " the first change it covers).");
        out.println(
                "STALE: per commit, the time until a refresh that started after it finished."
                        + " CRON "
                        + every
                        + ": the same commits under a cron every "
                        + every
                        + " that refreshes every view in dependency order, each for its mean"
                        + " refresh time (averaged over "
                        + CronComparison.PHASES
                        + " tick phases).");
        if (uncovered > 0) {
            out.println(
                    uncovered
                            + " commit(s) were not yet refreshed when the demo stopped: left out"
                            + " of STALE.");
        }
        out.flush();
    }

    /** µs as {@code 812 ms}, {@code 1.4 s} or {@code 15.0 min}; {@code -} for none. */
    static String micros(long micros) {
        if (micros < 0) {
            return "-";
        }
        return human(Duration.ofNanos(micros * 1_000));
    }

    static String human(Duration duration) {
        long millis = duration.toMillis();
        if (millis < 1_000) {
            return millis + " ms";
        }
        if (millis < 120_000) {
            return millis % 1_000 == 0
                    ? millis / 1_000 + " s"
                    : String.format(Locale.ROOT, "%.1f s", millis / 1e3);
        }
        return millis % 60_000 == 0
                ? millis / 60_000 + " min"
                : String.format(Locale.ROOT, "%.1f min", millis / 60e3);
    }
}
