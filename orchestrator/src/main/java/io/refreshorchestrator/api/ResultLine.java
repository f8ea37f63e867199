package io.refreshorchestrator.api;

import io.refreshorchestrator.events.RefreshResult;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** One result as one human-readable line, as {@code tail} and {@code trigger --wait} print it. */
final class ResultLine {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS xxx", Locale.ROOT);

    private ResultLine() {}

    /**
     * {@code TIME JOB STATUS reason=R mode=M duration=D lag=L [attempts=N] [error=...]
     * [detail=...]}; times in {@code zone}.
     */
    static String format(RefreshResult result, ZoneId zone) {
        var line = new StringBuilder();
        Instant at = result.finishedAt() != null ? result.finishedAt() : result.requestedAt();
        line.append(at == null ? "-" : TIME.format(at.atZone(zone)));
        line.append("  ").append(result.job());
        line.append("  ").append(result.status());
        line.append("  reason=").append(result.reason() == null ? "-" : result.reason());
        line.append(" mode=").append(result.mode() == null ? "-" : result.mode());
        line.append(" duration=").append(millis(result.durationMs()));
        line.append(" lag=").append(millis(result.freshnessLagMs()));
        if (result.attempts() > 1) {
            line.append(" attempts=").append(result.attempts());
        }
        if (result.error() != null) {
            line.append(" error=");
            if (result.error().sqlState() != null) {
                line.append(result.error().sqlState()).append(' ');
            }
            line.append(oneLine(result.error().message()));
        }
        if (result.detail() != null) {
            line.append(" detail=").append(oneLine(result.detail()));
        }
        return line.toString();
    }

    private static String millis(Long value) {
        return value == null ? "-" : value + "ms";
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.replaceAll("\\s*\\R\\s*", " ");
    }
}
