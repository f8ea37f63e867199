package io.refreshorchestrator.api;

import io.refreshorchestrator.config.ConfigException;
import io.refreshorchestrator.config.OrchestratorConfig;
import io.refreshorchestrator.config.OrchestratorConfigLoader;
import io.refreshorchestrator.events.JobControl;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code pause JOB} / {@code resume JOB}: publishes one {@link JobControl} record, keyed by the
 * job, to the control topic; the topology applies it.
 */
abstract class JobControlCommand implements Callable<Integer> {

    private static final long SEND_TIMEOUT_SECONDS = 30;

    @Spec private CommandSpec spec;

    @Parameters(
            index = "0",
            paramLabel = "JOB",
            description = "the job name, e.g. analytics.popular_tracks")
    private String job;

    @Option(
            names = {"-c", "--config"},
            required = true,
            paramLabel = "FILE",
            description = "the orchestrator's YAML configuration: Kafka and the known jobs")
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
        OrchestratorConfig settings;
        try {
            settings = OrchestratorConfigLoader.load(config);
        } catch (ConfigException e) {
            err.println(e.getMessage());
            return 2;
        }
        if (settings.jobs().job(job).isEmpty()) {
            err.println("no job '" + job + "' in " + config);
            return 2;
        }
        if (settings.kafka().isEmpty()) {
            err.println(
                    "kafka.bootstrap-servers is not set: the embedded broker lives only inside a"
                            + " running process, so there is nothing to send the request to");
            return 2;
        }
        var kafka = settings.kafka().get();
        Map<String, Object> props = new HashMap<>(kafka.properties());
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        var control =
                JobControl.of(
                        job,
                        action(),
                        Instant.now(),
                        requestedBy,
                        settings.streams().applicationId());
        String topic = settings.topics().control();
        try (var producer =
                new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, job, JobControl.SERDE.write(control)))
                    .get(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            err.println("could not publish to " + topic + ": " + e);
            return 1;
        }
        spec.commandLine()
                .getOut()
                .println(
                        job
                                + ": "
                                + action().name().toLowerCase(java.util.Locale.ROOT)
                                + " requested");
        return 0;
    }
}
