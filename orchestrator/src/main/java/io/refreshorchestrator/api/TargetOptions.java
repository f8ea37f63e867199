package io.refreshorchestrator.api;

import io.refreshorchestrator.config.ConfigException;
import io.refreshorchestrator.config.OrchestratorConfig;
import io.refreshorchestrator.config.OrchestratorConfigLoader;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options of {@code trigger} and {@code tail}: an optional configuration (its Kafka and topic
 * names) and the data directory of a local-mode process, used when the configuration names no Kafka
 * or there is none.
 */
final class TargetOptions {

    @Option(
            names = {"-c", "--config"},
            paramLabel = "FILE",
            description =
                    "the orchestrator's YAML configuration (Kafka, topic names, jobs); optional:"
                            + " without it, or without kafka.bootstrap-servers in it, the"
                            + " local-mode process of the data directory is used")
    Path config;

    @Mixin DataDirOption dataDir;

    /**
     * The configuration read without the database password, empty when none was given.
     *
     * @throws CommandFailure exit code 2 when it is invalid
     */
    Optional<OrchestratorConfig> load(Map<String, String> env) throws CommandFailure {
        if (config == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(OrchestratorConfigLoader.loadWithoutPassword(config, env));
        } catch (ConfigException e) {
            throw new CommandFailure(2, e.getMessage());
        }
    }
}
