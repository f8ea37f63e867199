package io.refreshorchestrator.benchmark;

import io.refreshorchestrator.benchmark.compare.CompareCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code benchmark.jar}: one subcommand per benchmark. */
@Command(
        name = "benchmark",
        mixinStandardHelpOptions = true,
        description = "Benchmarks of Refresh Orchestrator; figures for the README, not tests.",
        subcommands = {
            DebounceBenchmark.class,
            ThroughputBenchmark.class,
            CompareCommand.class,
            CommandLine.HelpCommand.class
        })
public final class BenchmarkMain {

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchmarkMain()).execute(args));
    }
}
