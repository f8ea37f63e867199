package io.refreshorchestrator.api;

import io.refreshorchestrator.config.ConfigException;
import io.refreshorchestrator.config.OrchestratorConfig;
import io.refreshorchestrator.config.OrchestratorConfigLoader;
import io.refreshorchestrator.events.JobControl;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code pause JOB} / {@code resume JOB}: publishes one {@link JobControl} record, keyed by the job
 * and addressed to this deployment, to the control topic; the topology applies it.
 */
abstract class JobControlCommand implements Callable<Integer> {

    @Spec private CommandSpec spec;

    @Parameters(
            index = "0",
            paramLabel = "JOB",
            description =
                    "the job name, e.g. analytics.popular_tracks: listed under jobs: or found by"
                            + " discovery (then the database is read to check it)")
    private String job;

    @Option(
            names = {"-c", "--config"},
            required = true,
            paramLabel = "FILE",
            description = "the orchestrator's YAML configuration: Kafka and the jobs")
    private Path config;

    @Option(
            names = "--requested-by",
            paramLabel = "WHO",
            description = "who asks, recorded with the request (default: the user name)")
    private String requestedBy = System.getProperty("user.name", "cli");

    abstract JobControl.Action action();

    @Override
    public Integer call() throws InterruptedException {
        var err = spec.commandLine().getErr();
        var env = System.getenv();
        OrchestratorConfig settings;
        try {
            // the password only when discovery must be asked: a listed job needs no database
            settings = OrchestratorConfigLoader.loadWithoutPassword(config, env);
        } catch (ConfigException e) {
            err.println(e.getMessage());
            return 2;
        }
        var control =
                JobControl.of(
                        job,
                        action(),
                        Instant.now(),
                        requestedBy,
                        settings.streams().applicationId());
        try {
            JobLookup.require(job, config, settings, env);
        } catch (CommandFailure e) {
            err.println(e.getMessage());
            return e.exitCode();
        }
        if (settings.kafka().isEmpty()) {
            err.println(
                    "kafka.bootstrap-servers is not set: the embedded broker lives only inside a"
                            + " running process, so there is nothing to send the request to");
            return 2;
        }
        try {
            ControlPublisher.publish(settings.kafka().get(), settings.topics().control(), control);
        } catch (CommandFailure e) {
            err.println(e.getMessage());
            return e.exitCode();
        }
        spec.commandLine()
                .getOut()
                .println(job + ": " + action().name().toLowerCase(Locale.ROOT) + " requested");
        return 0;
    }
}
