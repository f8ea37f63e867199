package io.refreshorchestrator.api;

import io.refreshorchestrator.config.KafkaSettings;
import io.refreshorchestrator.config.OrchestratorConfig;
import io.refreshorchestrator.localmode.DataDirectory;
import io.refreshorchestrator.localmode.InstanceFile;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;

/**
 * The Kafka and topics a short-lived command talks to: {@code kafka.bootstrap-servers} of the
 * configuration, or, in local mode (no such key, or no configuration at all), the embedded broker
 * of the process running in the data directory, found through its instance file.
 *
 * @param local the running local-mode process, empty when the configuration names the broker
 */
record KafkaTarget(
        KafkaSettings kafka,
        String applicationId,
        String commandsTopic,
        String resultsTopic,
        String controlTopic,
        Optional<InstanceFile> local) {

    /**
     * Resolves the target; in local mode it says on {@code err}, in one line, which process it
     * found.
     *
     * @param config the configuration, empty when the command was given none
     * @throws CommandFailure exit code 1 when no local-mode process runs there, 2 when the
     *     configuration names another deployment than the running process
     */
    static KafkaTarget resolve(
            Optional<OrchestratorConfig> config, DataDirOption dataDir, PrintWriter err)
            throws CommandFailure {
        if (config.isPresent() && config.get().kafka().isPresent()) {
            var settings = config.get();
            return new KafkaTarget(
                    settings.kafka().get(),
                    settings.streams().applicationId(),
                    settings.topics().commands(),
                    settings.topics().results(),
                    settings.topics().control(),
                    Optional.empty());
        }
        var instance = running(dataDir.directory(), config.isPresent());
        if (config.isPresent()
                && !config.get().streams().applicationId().equals(instance.applicationId())) {
            throw new CommandFailure(
                    2,
                    "the local orchestrator in "
                            + dataDir.directory()
                            + " runs streams.application-id '"
                            + instance.applicationId()
                            + "', the configuration says '"
                            + config.get().streams().applicationId()
                            + "': point --data-dir at the data directory of that configuration's"
                            + " process");
        }
        err.println(
                "Using the local orchestrator (pid "
                        + instance.pid()
                        + ") of data directory "
                        + dataDir.directory()
                        + ": Kafka "
                        + instance.kafkaBootstrapServers()
                        + (instance.httpUrl() == null ? "" : ", HTTP API " + instance.httpUrl()));
        err.flush();
        return new KafkaTarget(
                KafkaSettings.of(instance.kafkaBootstrapServers()),
                instance.applicationId(),
                instance.commandsTopic(),
                instance.resultsTopic(),
                instance.controlTopic(),
                Optional.of(instance));
    }

    /**
     * @throws CommandFailure when the job is not one the running local process runs; does nothing
     *     for a configured Kafka (the caller checks against the configuration)
     */
    void requireLocalJob(String job) throws CommandFailure {
        if (local.isPresent() && !local.get().jobs().contains(job)) {
            List<String> jobs = local.get().jobs();
            throw new CommandFailure(
                    2,
                    "no job '"
                            + job
                            + "' in the local orchestrator (pid "
                            + local.get().pid()
                            + "), which runs "
                            + (jobs.isEmpty() ? "no job" : String.join(", ", jobs)));
        }
    }

    private static InstanceFile running(DataDirectory directory, boolean configGiven)
            throws CommandFailure {
        String alternatives =
                configGiven
                        ? "start `run` with this configuration (it uses "
                                + DataDirectory.DEFAULT_NAME
                                + " in its working directory unless given --data-dir), point"
                                + " --data-dir at the running process's data directory, or set"
                                + " kafka.bootstrap-servers"
                        : "start `run` first, point --data-dir at the running process's data"
                                + " directory, or give --config with kafka.bootstrap-servers";
        final Optional<InstanceFile> file;
        try {
            file = InstanceFile.read(directory.instanceFile());
        } catch (RuntimeException e) {
            throw new CommandFailure(
                    1, "cannot read " + directory.instanceFile() + ": " + e.getMessage());
        }
        if (file.isEmpty()) {
            throw new CommandFailure(
                    1,
                    "no local orchestrator is running in "
                            + directory
                            + " (no instance.json there): "
                            + alternatives);
        }
        if (!file.get().isRunning()) {
            throw new CommandFailure(
                    1,
                    "no local orchestrator is running in "
                            + directory
                            + ": its instance.json is stale, process "
                            + file.get().pid()
                            + " that wrote it is gone (it did not stop cleanly; the next `run`"
                            + " replaces the file): "
                            + alternatives);
        }
        return file.get();
    }
}
