package io.refreshorchestrator.schedule;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import io.refreshorchestrator.discovery.JobSchedule;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Parses job schedules and computes their next fire time. Accepted forms:
 *
 * <ul>
 *   <li>5-field cron (minute hour day-of-month month day-of-week), Unix syntax: {@code 0,30 * * * *}
 *   <li>6-field cron with seconds first (Spring syntax): {@code 0/10 * * * * *}
 *   <li>macros: {@code @yearly}, {@code @annually}, {@code @monthly}, {@code @weekly}, {@code
 *       @daily}, {@code @midnight}, {@code @hourly}
 *   <li>a fixed interval: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 1d} or
 *       ISO-8601 {@code PT30S}
 * </ul>
 */
public final class Schedules {

    private static final CronParser UNIX =
            new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    private static final CronParser WITH_SECONDS =
            new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.SPRING53));
    private static final Map<String, String> MACROS =
            Map.of(
                    "@yearly", "0 0 1 1 *",
                    "@annually", "0 0 1 1 *",
                    "@monthly", "0 0 1 * *",
                    "@weekly", "0 0 * * 0",
                    "@daily", "0 0 * * *",
                    "@midnight", "0 0 * * *",
                    "@hourly", "0 * * * *");
    private static final Pattern INTERVAL = Pattern.compile("(\\d+)(ms|s|m|h|d)");
    private static final Duration MIN_INTERVAL = Duration.ofMillis(100);

    /** Parsed timers by schedule: a punctuation must not re-parse cron text. */
    private static final Map<JobSchedule, Timer> TIMERS = new ConcurrentHashMap<>();

    private Schedules() {}

    /**
     * The first fire time of {@code schedule} strictly after {@code after}: the next fire time that
     * {@code plan} and status show, and the one the topology waits for.
     *
     * @throws IllegalArgumentException when the expression is invalid
     */
    public static Instant nextFire(JobSchedule schedule, Instant after) {
        return TIMERS.computeIfAbsent(schedule, s -> parse(s.expression(), s.zone()))
                .nextFireAfter(after);
    }

    /** What is wrong with {@code expression}, or empty when it parses. */
    public static Optional<String> problem(String expression) {
        try {
            parse(expression, ZoneId.of("UTC"));
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }

    /**
     * @throws IllegalArgumentException naming what is wrong
     */
    public static Timer parse(String expression, ZoneId zone) {
        String text = expression == null ? "" : expression.trim();
        if (text.isEmpty()) {
            throw new IllegalArgumentException("empty schedule");
        }
        Optional<Duration> interval = interval(text);
        if (interval.isPresent()) {
            if (interval.get().compareTo(MIN_INTERVAL) < 0) {
                throw new IllegalArgumentException(
                        "interval '"
                                + text
                                + "' is shorter than "
                                + MIN_INTERVAL.toMillis()
                                + "ms");
            }
            return new Timer.Interval(interval.get());
        }
        String cron = MACROS.getOrDefault(text.toLowerCase(Locale.ROOT), text);
        if (cron.startsWith("@")) {
            throw new IllegalArgumentException(
                    "unknown macro '" + text + "'; use one of " + MACROS.keySet());
        }
        int fields = cron.split("\\s+").length;
        CronParser parser =
                switch (fields) {
                    case 5 -> UNIX;
                    case 6 -> WITH_SECONDS;
                    default ->
                            throw new IllegalArgumentException(
                                    "'"
                                            + text
                                            + "' has "
                                            + fields
                                            + " fields; a cron needs 5 (minute first) or 6 (second"
                                            + " first), or write an interval such as 30s");
                };
        try {
            return new Timer.Cron(ExecutionTime.forCron(parser.parse(cron)), zone);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid cron '" + text + "': " + e.getMessage());
        }
    }

    private static Optional<Duration> interval(String text) {
        var matcher = INTERVAL.matcher(text);
        if (matcher.matches()) {
            long amount = Long.parseLong(matcher.group(1));
            return Optional.of(
                    switch (matcher.group(2)) {
                        case "ms" -> Duration.ofMillis(amount);
                        case "s" -> Duration.ofSeconds(amount);
                        case "m" -> Duration.ofMinutes(amount);
                        case "h" -> Duration.ofHours(amount);
                        default -> Duration.ofDays(amount);
                    });
        }
        if (text.startsWith("PT") || text.startsWith("P")) {
            try {
                return Optional.of(Duration.parse(text));
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }
}
