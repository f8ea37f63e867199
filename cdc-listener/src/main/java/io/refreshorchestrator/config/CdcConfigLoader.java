package io.refreshorchestrator.config;

import io.refreshorchestrator.cdc.CdcSettings;
import java.nio.file.Path;
import java.util.Map;

/**
 * Loads the standalone listener's configuration: the {@code postgres}, {@code kafka} and {@code
 * cdc} sections of the shared YAML file, accepting (not reading) the orchestrator's other sections.
 */
public final class CdcConfigLoader {

    private CdcConfigLoader() {}

    /**
     * @param env the environment: overrides and password variables
     * @throws ConfigException listing every problem
     */
    public static CdcSettings load(Path file, Map<String, String> env) {
        return read(ConfigReader.fromYaml(file, env));
    }

    /**
     * @throws ConfigException listing every problem
     */
    public static CdcSettings read(ConfigReader reader) {
        reader.rejectUnknownSections(ConfigSections.ALL);
        var postgres = PostgresSection.read(reader);
        var kafka = KafkaSection.readRequired(reader);
        var settings = CdcSection.read(reader, postgres, kafka, true);
        reader.throwIfInvalid();
        return settings;
    }
}
