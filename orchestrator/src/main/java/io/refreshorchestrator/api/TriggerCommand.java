package io.refreshorchestrator.api;

import io.refreshorchestrator.config.Durations;
import io.refreshorchestrator.events.Reason;
import io.refreshorchestrator.events.RefreshCommand;
import io.refreshorchestrator.events.RefreshResult;
import io.refreshorchestrator.events.Status;
import io.refreshorchestrator.events.Topics;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code trigger JOB [--wait]}: publishes a manual refresh command, optionally awaits its result.
 */
@Command(
        name = "trigger",
        mixinStandardHelpOptions = true,
        description = {
            "Publishes one manual command for JOB to the commands topic: the same record as"
                    + " {\"job\":\"JOB\"} published by any Kafka client, with an id, reason MANUAL,"
                    + " requestedAt and requestedBy filled in. With --wait, prints its result from"
                    + " the results topic.",
            "",
            "Which Kafka: kafka.bootstrap-servers of --config; otherwise (local mode) the embedded"
                    + " broker of the process running in the data directory (--data-dir, default"
                    + " ./.refresh-orchestrator), found through its instance.json; one line on"
                    + " stderr says which process was used.",
            "",
            "Exit codes: 0 published (with --wait: the result is SUCCEEDED), 1 Kafka unreachable,"
                    + " no local process running, or the commands topic missing, 2 invalid"
                    + " configuration or unknown job, 3 (--wait) the result is not SUCCEEDED"
                    + " (FAILED, TIMED_OUT, REJECTED, or SKIPPED because another run covered it),"
                    + " 4 (--wait) no result within --timeout.",
        })
public final class TriggerCommand implements Callable<Integer> {

    @Spec private CommandSpec spec;

    @Parameters(
            index = "0",
            paramLabel = "JOB",
            description = "the job name, e.g. analytics.popular_tracks")
    private String job;

    @Mixin private TargetOptions target;

    @Option(
            names = "--wait",
            description = "wait for the command's result, print it, exit non-zero unless SUCCEEDED")
    private boolean waitForResult;

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            defaultValue = "10m",
            description =
                    "with --wait: how long to wait for the result, e.g. 90s, 10m (default: 10m)")
    private String timeout;

    @Option(names = "--json", description = "with --wait: print the result as its JSON record")
    private boolean json;

    @Option(
            names = "--requested-by",
            paramLabel = "WHO",
            description = "who asks, recorded in the command (default: the user name)")
    private String requestedBy = System.getProperty("user.name", "cli");

    @Override
    public Integer call() throws InterruptedException {
        var err = spec.commandLine().getErr();
        var out = spec.commandLine().getOut();
        try {
            Duration wait = parseTimeout();
            var env = System.getenv();
            var config = target.load(env);
            JobLookup.requireConfigured(job, target.config, config, env);
            var kafka = KafkaTarget.resolve(config, target.dataDir, err);
            kafka.requireLocalJob(job);
            var command =
                    RefreshCommand.of(
                            UUID.randomUUID(),
                            job,
                            Reason.MANUAL,
                            Instant.now(),
                            requestedBy,
                            null);
            if (!waitForResult) {
                publish(kafka, command);
                out.println(job + ": refresh requested (command " + command.id() + ")");
                return 0;
            }
            CliKafka.requireReachable(kafka.kafka());
            try (var results =
                    ResultFollower.open(
                            kafka.kafka(), kafka.resultsTopic(), false, CliKafka.WAIT)) {
                publish(kafka, command);
                err.println(job + ": refresh requested (command " + command.id() + "), waiting");
                err.flush();
                var result = await(results, command.id(), wait);
                if (result == null) {
                    throw new CommandFailure(
                            4,
                            job
                                    + ": no result for command "
                                    + command.id()
                                    + " within "
                                    + Durations.format(wait)
                                    + " (it may still run: see `tail --job "
                                    + job
                                    + "`)");
                }
                return result.status() == Status.SUCCEEDED ? 0 : 3;
            }
        } catch (CommandFailure e) {
            err.println(e.getMessage());
            return e.exitCode();
        }
    }

    private Duration parseTimeout() throws CommandFailure {
        try {
            return Durations.parse(timeout);
        } catch (IllegalArgumentException e) {
            throw new CommandFailure(2, "--timeout: " + e.getMessage());
        }
    }

    private void publish(KafkaTarget kafka, RefreshCommand command)
            throws CommandFailure, InterruptedException {
        ControlPublisher.publish(
                kafka.kafka(),
                kafka.commandsTopic(),
                "topics.commands",
                job,
                Topics.COMMAND_SERDE.write(command));
    }

    private RefreshResult await(ResultFollower results, UUID commandId, Duration wait) {
        var out = spec.commandLine().getOut();
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            for (var entry : results.poll(Duration.ofMillis(200))) {
                if (entry.result() != null && commandId.equals(entry.result().commandId())) {
                    out.println(
                            json
                                    ? entry.json().toString()
                                    : ResultLine.format(entry.result(), ZoneId.systemDefault()));
                    out.flush();
                    return entry.result();
                }
            }
        }
        return null;
    }
}
