package io.refreshorchestrator.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Parses the durations written in configuration files: {@code 250ms}, {@code 10s}, {@code 5m},
 * {@code 1h}, {@code 2d}, or ISO-8601 such as {@code PT10S}.
 */
public final class Durations {

    private static final Pattern SHORT_FORM = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private Durations() {}

    /**
     * The duration {@code text} denotes.
     *
     * @throws IllegalArgumentException naming the text when it is not a duration
     */
    public static Duration parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("not a duration: null");
        }
        var trimmed = text.trim().toLowerCase(Locale.ROOT);
        var matcher = SHORT_FORM.matcher(trimmed);
        if (matcher.matches()) {
            long amount;
            try {
                amount = Long.parseLong(matcher.group(1));
            } catch (NumberFormatException e) {
                throw notADuration(text);
            }
            return switch (matcher.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                case "d" -> Duration.ofDays(amount);
                default -> throw notADuration(text);
            };
        }
        if (trimmed.startsWith("p") || trimmed.startsWith("-p")) {
            try {
                return Duration.parse(text.trim());
            } catch (DateTimeParseException e) {
                throw notADuration(text);
            }
        }
        throw notADuration(text);
    }

    /** The short form of {@code duration} ({@code 250ms}, {@code 10s}, ...), for messages. */
    public static String format(Duration duration) {
        long millis = duration.toMillis();
        if (millis % 3_600_000 == 0 && millis != 0) {
            return millis / 3_600_000 + "h";
        }
        if (millis % 60_000 == 0 && millis != 0) {
            return millis / 60_000 + "m";
        }
        if (millis % 1000 == 0 && millis != 0) {
            return millis / 1000 + "s";
        }
        return millis + "ms";
    }

    private static IllegalArgumentException notADuration(String text) {
        return new IllegalArgumentException(
                "not a duration: '" + text + "' (expected e.g. 250ms, 10s, 5m, 1h or PT10S)");
    }
}
