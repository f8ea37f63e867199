package io.refreshorchestrator.cdc;

import java.util.Objects;

/**
 * One pre-flight check: what was checked, whether it passed, what was found, and for a missing item
 * the exact statement that fixes it.
 *
 * @param name short name of what is checked, e.g. {@code wal_level}
 * @param detail what was found
 * @param fix the statement(s) that fix a missing item, one per line; null when OK
 */
public record PreflightCheck(String name, Status status, String detail, String fix) {

    /** Whether the check passed. */
    public enum Status {
        OK,
        MISSING
    }

    public PreflightCheck {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(detail, "detail");
        if (status == Status.MISSING) {
            Objects.requireNonNull(fix, "fix");
        }
    }

    public static PreflightCheck ok(String name, String detail) {
        return new PreflightCheck(name, Status.OK, detail, null);
    }

    public static PreflightCheck missing(String name, String detail, String fix) {
        return new PreflightCheck(name, Status.MISSING, detail, fix);
    }

    public boolean isMissing() {
        return status == Status.MISSING;
    }

    /**
     * The check as text: {@code STATUS name: detail}, then for a missing item each fix statement on
     * its own line, indented under it.
     */
    public String describe() {
        var text = new StringBuilder();
        text.append(String.format("%-8s %s: %s", status, name, detail));
        if (fix != null) {
            var prefix = "fix: ";
            for (var line : fix.split("\n")) {
                text.append(System.lineSeparator()).append("         ").append(prefix).append(line);
                prefix = "     ";
            }
        }
        return text.toString();
    }
}
