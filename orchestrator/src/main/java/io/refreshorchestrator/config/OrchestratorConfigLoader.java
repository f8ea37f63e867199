package io.refreshorchestrator.config;

import io.refreshorchestrator.cdc.CdcSettings;
import io.refreshorchestrator.discovery.JobDeclarations;
import io.refreshorchestrator.executor.ExecutorSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * Reads the orchestrator's YAML file plus environment overrides into an {@link OrchestratorConfig},
 * failing with every problem listed by path.
 */
public final class OrchestratorConfigLoader {

    /** Stands in for the broker address until the embedded broker has started. */
    static final KafkaSettings EMBEDDED_PLACEHOLDER = KafkaSettings.of("embedded:0");

    private static final Set<String> TOPIC_KEYS =
            Set.of("commands", "results", "dlq", "control", "partitions", "replication-factor");
    private static final Set<String> STREAMS_KEYS =
            Set.of("application-id", "state-dir", "punctuation-interval", "threads");
    private static final Set<String> EXECUTOR_KEYS =
            Set.of(
                    "group-id",
                    "max-command-bytes",
                    "visibility-wait",
                    "max-attempts",
                    "max-concurrent-refreshes",
                    "state-schema");

    /** Top-level keys of the whole process (next to the sections). */
    static final String SHUTDOWN_TIMEOUT = "shutdown-timeout";

    private OrchestratorConfigLoader() {}

    /** Loads {@code file} with the process environment. */
    public static OrchestratorConfig load(Path file) {
        return load(file, System.getenv());
    }

    /**
     * @throws ConfigException listing every problem found
     */
    public static OrchestratorConfig load(Path file, Map<String, String> env) {
        return read(ConfigReader.fromYaml(file, env));
    }

    /**
     * Like {@link #load(Path, Map)} but leaves the database password unread (empty), so that a
     * missing password variable or file is no problem: for commands that may not need the database
     * at all ({@code pause}, {@code resume}).
     *
     * @throws ConfigException listing every other problem found
     */
    public static OrchestratorConfig loadWithoutPassword(Path file, Map<String, String> env) {
        return read(ConfigReader.fromYaml(file, env), false);
    }

    /**
     * @throws ConfigException listing every problem found
     */
    public static OrchestratorConfig read(ConfigReader reader) {
        return read(reader, true);
    }

    private static OrchestratorConfig read(ConfigReader reader, boolean readPassword) {
        reader.rejectUnknownSections(ConfigSections.ALL);
        var postgres = PostgresSection.read(reader, readPassword);
        var kafka = KafkaSection.read(reader);
        boolean cdcEnabled = reader.bool("cdc.enabled", true);
        var defaults = JobsSection.readDefaults(reader);
        var discovery = JobsSection.readDiscovery(reader);
        var jobs = JobsSection.readJobs(reader, defaults, discovery);
        var cdc = CdcSection.read(reader, postgres, kafka.orElse(EMBEDDED_PLACEHOLDER), false);
        var topics = topics(reader);
        var streams = streams(reader);
        var instanceId = InstanceId.read(reader);
        var executor =
                executor(reader)
                        .withInstanceId(instanceId)
                        .withShutdownTimeout(
                                reader.duration(
                                        SHUTDOWN_TIMEOUT,
                                        ExecutorSettings.DEFAULT_SHUTDOWN_TIMEOUT,
                                        Duration.ZERO));
        var http = HttpSection.read(reader);
        var history = HistorySection.read(reader);
        reader.throwIfInvalid();
        return new OrchestratorConfig(
                postgres,
                kafka,
                cdcEnabled,
                cdc,
                topics,
                streams,
                executor,
                instanceId,
                new JobDeclarations(discovery, defaults, jobs),
                http,
                history);
    }

    private static TopicNames topics(ConfigReader reader) {
        reader.rejectUnknownKeys("topics", TOPIC_KEYS);
        var d = TopicNames.DEFAULTS;
        return new TopicNames(
                topicName(reader, "topics.commands", d.commands()),
                topicName(reader, "topics.results", d.results()),
                topicName(reader, "topics.dlq", d.dlq()),
                topicName(reader, "topics.control", d.control()),
                reader.integer("topics.partitions", d.partitions(), 1, 10_000),
                (short) reader.integer("topics.replication-factor", 1, 1, Short.MAX_VALUE));
    }

    private static String topicName(ConfigReader reader, String path, String defaultValue) {
        var name = reader.string(path, defaultValue);
        var problem = CdcSettings.topicNameProblem(name);
        if (problem != null) {
            reader.problem(path, "'" + name + "' " + problem);
            return defaultValue;
        }
        return name;
    }

    private static StreamsOptions streams(ConfigReader reader) {
        reader.rejectUnknownKeys("streams", STREAMS_KEYS);
        var d = StreamsOptions.DEFAULTS;
        return new StreamsOptions(
                reader.string("streams.application-id", d.applicationId()),
                Path.of(reader.string("streams.state-dir", d.stateDir().toString())),
                reader.duration(
                        "streams.punctuation-interval",
                        d.punctuationInterval(),
                        Duration.ofMillis(10)),
                reader.integer("streams.threads", d.threads(), 1, 64));
    }

    private static ExecutorSettings executor(ConfigReader reader) {
        reader.rejectUnknownKeys("executor", EXECUTOR_KEYS);
        var d = ExecutorSettings.defaults();
        return new ExecutorSettings(
                reader.string("executor.group-id", d.groupId()),
                reader.integer("executor.max-command-bytes", d.maxCommandBytes(), 256, 10_485_760),
                d.pollTimeout(),
                reader.duration("executor.visibility-wait", d.visibilityWait(), Duration.ZERO),
                reader.integer("executor.max-attempts", d.maxAttempts(), 1, 100),
                d.initialBackoff(),
                d.maxBackoff(),
                reader.integer(
                        "executor.max-concurrent-refreshes", d.maxConcurrentRefreshes(), 1, 64),
                reader.string("executor.state-schema", d.stateSchema()),
                null,
                d.shutdownTimeout());
    }
}
