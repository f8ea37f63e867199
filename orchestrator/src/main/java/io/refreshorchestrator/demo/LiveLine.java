package io.refreshorchestrator.demo;

import io.refreshorchestrator.events.RefreshResult;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * One line per result: finish time (local time of day), job, reason, status, mode, run duration,
 * freshness lag. A column without a value shows {@code -}.
 */
final class LiveLine {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

    /** The header above the lines, aligned with them. */
    static final String HEADER =
            String.format(
                    Locale.ROOT,
                    "%-12s  %-34s  %-11s  %-9s  %-12s  %9s  %13s",
                    "TIME",
                    "JOB",
                    "REASON",
                    "STATUS",
                    "MODE",
                    "DURATION",
                    "FRESHNESS LAG");

    private LiveLine() {}

    static String of(RefreshResult result) {
        return String.format(
                Locale.ROOT,
                "%-12s  %-34s  %-11s  %-9s  %-12s  %9s  %13s",
                result.finishedAt() == null ? "-" : TIME.format(result.finishedAt()),
                result.job(),
                result.reason() == null ? "-" : result.reason(),
                result.status(),
                result.mode() == null ? "-" : result.mode(),
                result.durationMs() == null ? "-" : result.durationMs() + " ms",
                result.freshnessLagMs() == null ? "-" : result.freshnessLagMs() + " ms");
    }
}
