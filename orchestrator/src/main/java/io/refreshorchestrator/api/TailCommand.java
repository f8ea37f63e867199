package io.refreshorchestrator.api;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tail}: follows the results topic, one line per result. */
@Command(
        name = "tail",
        mixinStandardHelpOptions = true,
        description = {
            "Follows the results topic and prints one line per result as it is published: time"
                    + " (finishedAt, local zone), job, status, reason, mode, duration, freshness"
                    + " lag, and the error or detail when there is one. With --json, each result's"
                    + " JSON record on one line instead. Runs until Ctrl-C, or until --count"
                    + " results were printed.",
            "",
            "Which Kafka: as for trigger (kafka.bootstrap-servers of --config, otherwise the"
                    + " local-mode process of the data directory).",
            "",
            "Exit codes: 0 stopped after --count results (or by Ctrl-C), 1 Kafka unreachable, no"
                    + " local process running, or the results topic missing, 2 invalid"
                    + " configuration.",
        })
public final class TailCommand implements Callable<Integer> {

    @Spec private CommandSpec spec;

    @Mixin private TargetOptions target;

    @Option(names = "--json", description = "print each result as its JSON record, one per line")
    private boolean json;

    @Option(
            names = "--job",
            paramLabel = "NAME",
            description = "only this job's results; repeat for several jobs")
    private List<String> jobs = List.of();

    @Option(
            names = "--from-beginning",
            description = "start with the oldest result the topic keeps, not with the next one")
    private boolean fromBeginning;

    @Option(
            names = "--count",
            paramLabel = "N",
            description = "stop after printing N results (default: follow until stopped)")
    private Long count;

    @Override
    public Integer call() throws InterruptedException {
        var err = spec.commandLine().getErr();
        var out = spec.commandLine().getOut();
        try {
            var config = target.load(System.getenv());
            var kafka = KafkaTarget.resolve(config, target.dataDir, err);
            for (var job : jobs) {
                kafka.requireLocalJob(job);
            }
            CliKafka.requireReachable(kafka.kafka());
            long printed = 0;
            try (var results =
                    ResultFollower.open(
                            kafka.kafka(), kafka.resultsTopic(), fromBeginning, CliKafka.WAIT)) {
                while (count == null || printed < count) {
                    for (var entry : results.poll(Duration.ofMillis(500))) {
                        if (entry.result() == null) {
                            err.println(
                                    "skipped an unreadable record at "
                                            + entry.where()
                                            + ": "
                                            + entry.unreadable());
                            err.flush();
                            continue;
                        }
                        if (!jobs.isEmpty() && !jobs.contains(entry.result().job())) {
                            continue;
                        }
                        out.println(
                                json
                                        ? entry.json().toString()
                                        : ResultLine.format(
                                                entry.result(), ZoneId.systemDefault()));
                        out.flush();
                        if (count != null && ++printed >= count) {
                            break;
                        }
                    }
                }
            }
            return 0;
        } catch (CommandFailure e) {
            err.println(e.getMessage());
            return e.exitCode();
        }
    }
}
