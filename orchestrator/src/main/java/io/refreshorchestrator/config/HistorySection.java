package io.refreshorchestrator.config;

import java.time.Duration;
import java.util.Set;

/** Reads the {@code history} section into {@link HistorySettings}. */
final class HistorySection {

    private static final String SECTION = "history";
    private static final Set<String> KEYS = Set.of("enabled", "retention");

    private HistorySection() {}

    static HistorySettings read(ConfigReader reader) {
        reader.rejectUnknownKeys(SECTION, KEYS);
        var d = HistorySettings.DEFAULTS;
        return new HistorySettings(
                reader.bool(SECTION + ".enabled", d.enabled()),
                reader.duration(SECTION + ".retention", d.retention(), Duration.ofMinutes(1)));
    }
}
