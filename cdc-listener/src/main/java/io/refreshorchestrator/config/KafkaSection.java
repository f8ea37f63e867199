package io.refreshorchestrator.config;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/** Reads the {@code kafka} section into {@link KafkaSettings}. */
public final class KafkaSection {

    public static final String SECTION = "kafka";

    private static final Set<String> KEYS =
            Set.of("bootstrap-servers", "properties", "start-timeout");

    private KafkaSection() {}

    /**
     * The settings of {@code kafka}; {@code ${env:NAME}} in a {@code properties} value is read from
     * the environment (see {@link EnvReferences}). Empty when {@code bootstrap-servers} is not set
     * (the orchestrator then starts an embedded broker; the standalone listener requires it).
     * Problems are recorded in {@code reader}.
     */
    public static Optional<KafkaSettings> read(ConfigReader reader) {
        reader.rejectUnknownKeys(SECTION, KEYS);
        var servers = reader.stringList(SECTION + ".bootstrap-servers");
        var properties =
                EnvReferences.resolve(
                        reader, SECTION + ".properties", reader.stringMap(SECTION + ".properties"));
        if (properties.containsKey("bootstrap.servers")) {
            reader.problem(
                    SECTION + ".properties.bootstrap.servers",
                    "set kafka.bootstrap-servers instead");
        }
        var startTimeout =
                reader.duration(
                        SECTION + ".start-timeout",
                        KafkaSettings.DEFAULT_START_TIMEOUT,
                        Duration.ofSeconds(1));
        if (servers.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new KafkaSettings(String.join(",", servers), properties, startTimeout));
    }

    /** Like {@link #read} but records "required" when {@code bootstrap-servers} is not set. */
    public static KafkaSettings readRequired(ConfigReader reader) {
        var settings = read(reader);
        if (settings.isEmpty()) {
            reader.requiredString(SECTION + ".bootstrap-servers");
        }
        return settings.orElse(null);
    }
}
