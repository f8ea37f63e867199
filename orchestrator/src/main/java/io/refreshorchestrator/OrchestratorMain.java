package io.refreshorchestrator;

import io.refreshorchestrator.api.CheckCommand;
import io.refreshorchestrator.api.PauseCommand;
import io.refreshorchestrator.api.PlanCommand;
import io.refreshorchestrator.api.ResumeCommand;
import io.refreshorchestrator.api.RunCommand;
import io.refreshorchestrator.api.StatusCommand;
import io.refreshorchestrator.api.TailCommand;
import io.refreshorchestrator.api.TriggerCommand;
import io.refreshorchestrator.api.UninstallCommand;
import io.refreshorchestrator.api.VersionProvider;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code refresh-orchestrator.jar}: wires the subcommands, nothing else. */
@Command(
        name = "refresh-orchestrator",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Refreshes PostgreSQL materialized views when their source tables change.",
            "",
            "Change capture (Debezium, pgoutput) publishes the source tables' changes to Kafka; a"
                    + " Kafka Streams topology debounces them per view and publishes refresh"
                    + " commands; the executor runs them and publishes one result per run.",
        },
        subcommands = {
            RunCommand.class,
            PlanCommand.class,
            CheckCommand.class,
            StatusCommand.class,
            PauseCommand.class,
            ResumeCommand.class,
            TriggerCommand.class,
            TailCommand.class,
            UninstallCommand.class,
            CommandLine.HelpCommand.class
        },
        footer = {"", "Configuration reference and topic contracts: README.md"})
public final class OrchestratorMain {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line, for tests that run it in-process. */
    public static CommandLine commandLine() {
        return new CommandLine(new OrchestratorMain());
    }
}
