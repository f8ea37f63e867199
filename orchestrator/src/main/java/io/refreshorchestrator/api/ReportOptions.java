package io.refreshorchestrator.api;

import io.refreshorchestrator.config.ConfigException;
import io.refreshorchestrator.config.OrchestratorConfig;
import io.refreshorchestrator.config.OrchestratorConfigLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The options of the read-only reports ({@code plan}, {@code status}): a file and a format. */
final class ReportOptions {

    /** Output formats. */
    enum Format {
        text,
        json
    }

    @Option(
            names = {"-c", "--config"},
            required = true,
            paramLabel = "FILE",
            description = "YAML configuration file, with environment overrides as for run.")
    Path config;

    @Option(
            names = "--format",
            paramLabel = "FORMAT",
            defaultValue = "text",
            description = "text (default) or json (for tooling).")
    Format format;

    /** The configuration, or empty after printing every problem to {@code err} (exit code 2). */
    Optional<OrchestratorConfig> load(PrintWriter err) {
        try {
            return Optional.of(OrchestratorConfigLoader.load(config));
        } catch (ConfigException e) {
            err.println(e.getMessage());
            return Optional.empty();
        }
    }

    boolean json() {
        return format == Format.json;
    }
}
