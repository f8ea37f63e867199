package io.refreshorchestrator.api;

import io.refreshorchestrator.events.JobControl;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
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
                            + " discovery (then the database is read to check it, or in local"
                            + " mode the running process's job list)")
    private String job;

    @Mixin private TargetOptions target;

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
        try {
            // the password only when discovery must be asked: a listed job needs no database
            var config = target.load(env);
            JobLookup.requireConfigured(job, target.config, config, env);
            var kafka = KafkaTarget.resolve(config, target.dataDir, err);
            kafka.requireLocalJob(job);
            var control =
                    JobControl.of(job, action(), Instant.now(), requestedBy, kafka.applicationId());
            ControlPublisher.publish(kafka.kafka(), kafka.controlTopic(), control);
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
