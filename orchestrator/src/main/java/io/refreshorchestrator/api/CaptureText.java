package io.refreshorchestrator.api;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;

/** The capture lines of {@code status}'s text report. */
final class CaptureText {

    private CaptureText() {}

    static void print(
            PrintWriter out, CaptureReport capture, Duration statusInterval, Instant now) {
        if (capture == null) {
            out.println("CAPTURE  off (cdc.enabled: false): changes come from another capture");
            out.println();
            return;
        }
        if (capture.state() == null) {
            out.println(
                    "CAPTURE  no status reported for slot '"
                            + capture.slot()
                            + "' (capture has not started, or the process runs a version that"
                            + " does not report it)");
        } else {
            var age = Duration.between(capture.reportedAt(), now);
            var stale =
                    age.compareTo(statusInterval.multipliedBy(3)) > 0
                            ? " (STALE: no report for "
                                    + age.toSeconds()
                                    + " s: is the process running?)"
                            : "";
            out.println(
                    "CAPTURE  "
                            + capture.state()
                            + " since "
                            + capture.since()
                            + ", reported "
                            + age.toSeconds()
                            + " s ago by "
                            + capture.instance()
                            + stale);
            if (capture.reason() != null) {
                out.println("         why: " + capture.reason());
            }
        }
        out.println(
                "         last change committed "
                        + (capture.lastEventCommittedAt() == null
                                ? "-"
                                : capture.lastEventCommittedAt()));
        out.println("         " + slotLine(capture));
        if (capture.lastReset() != null) {
            out.println(
                    "         last capture reset: "
                            + capture.lastReset()
                            + " at "
                            + capture.lastResetAt()
                            + " (every job was refreshed once)");
        }
        out.println();
    }

    private static String slotLine(CaptureReport capture) {
        if (!capture.slotExists()) {
            return "slot '" + capture.slot() + "' does not exist";
        }
        return "slot '"
                + capture.slot()
                + "' "
                + (capture.slotActivePid() == null
                        ? "not in use"
                        : "in use by PostgreSQL process " + capture.slotActivePid())
                + ", retains "
                + bytes(capture.retainedWalBytes())
                + " of WAL"
                + (capture.walStatus() == null ? "" : " (wal_status " + capture.walStatus() + ")");
    }

    static String bytes(Long bytes) {
        if (bytes == null) {
            return "no";
        }
        if (bytes < 1024) {
            return bytes + " B";
        }
        var units = new String[] {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
