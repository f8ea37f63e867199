package io.refreshorchestrator.api;

import io.refreshorchestrator.app.BrokerReachability;
import io.refreshorchestrator.app.Orchestrator;
import io.refreshorchestrator.cdc.CaptureNotPossibleException;
import io.refreshorchestrator.config.ConfigException;
import io.refreshorchestrator.config.OrchestratorConfigLoader;
import io.refreshorchestrator.discovery.DiscoveryException;
import io.refreshorchestrator.localmode.DataDirectory;
import io.refreshorchestrator.logging.LogFormat;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code run}: the all-in-one process until SIGTERM or Ctrl-C. */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Runs change capture, the topology and the executor in this process until stopped"
                    + " (SIGTERM or Ctrl-C stop it gracefully).",
            "",
            "Kafka: kafka.bootstrap-servers, or an embedded single-node broker for local use when"
                    + " it is not set (local mode). In local mode the broker keeps its data in the"
                    + " data directory (--data-dir, default ./.refresh-orchestrator), so a restart"
                    + " resumes pending work, and the process writes instance.json there while it"
                    + " runs: trigger, tail, status, pause and resume find it through that file."
                    + " One process at a time may use a data directory. PostgreSQL: the postgres section; the password comes from"
                    + " the environment variable named by postgres.password-env (default"
                    + " PGPASSWORD) or from postgres.password-file, never from the file itself.",
            "",
            "HTTP API (health, jobs, metrics; see the README): http.bind and http.port, by default"
                    + " http://127.0.0.1:8080; its POST endpoints need the token named by"
                    + " http.token-env or http.token-file and are off without one. The token is"
                    + " read when run starts (the other commands never read it): a named"
                    + " variable that is unset or empty, or a token file that cannot be read or"
                    + " is empty, is invalid configuration.",
            "",
            "Before anything starts, the change-capture checks of the check command run: when"
                    + " capture cannot work (wal_level, replication slots or WAL senders, the"
                    + " REPLICATION attribute, the publication's rights), run prints each problem"
                    + " with the statement that fixes it and exits 2.",
            "",
            "Exit codes: 0 stopped (also on SIGTERM or Ctrl-C, once every stage is closed), 1"
                    + " could not start (e.g. the Kafka broker unreachable for kafka.start-timeout,"
                    + " default 60s) or stopped because another live process uses its"
                    + " instance-id or because its data directory is in use, 2 invalid configuration (including configured views the"
                    + " catalog does not know) or a database where change capture cannot work."
                    + " Once running, a database or broker that goes away is retried, not fatal.",
        })
public final class RunCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    @Spec private CommandSpec spec;

    @Option(
            names = {"-c", "--config"},
            required = true,
            paramLabel = "FILE",
            description =
                    "YAML configuration file; any scalar can be overridden by an environment"
                            + " variable REFRESH_ORCHESTRATOR_<PATH> (e.g."
                            + " REFRESH_ORCHESTRATOR_KAFKA_BOOTSTRAP_SERVERS).")
    private Path config;

    @Option(
            names = "--log-format",
            paramLabel = "FORMAT",
            defaultValue = "${env:REFRESH_LOG_FORMAT:-text}",
            description =
                    "text (default: one line per event, ISO 8601 time with zone) or json (one"
                            + " JSON object per line, Logback's JsonEncoder, for log shippers);"
                            + " default from the environment variable REFRESH_LOG_FORMAT.")
    private String logFormat;

    @Mixin private DataDirOption dataDir;

    @Override
    public Integer call() throws InterruptedException {
        var out = spec.commandLine().getErr();
        var format = LogFormat.named(logFormat);
        if (format.isEmpty()) {
            out.println("--log-format: '" + logFormat + "' is neither text nor json");
            return 2;
        }
        if (!format.get().apply()) {
            out.println(
                    "--log-format json: the logging configuration in use has no console or file"
                            + " appender on its root logger to switch; logging as configured");
        }
        final io.refreshorchestrator.config.OrchestratorConfig settings;
        try {
            settings = OrchestratorConfigLoader.load(config);
        } catch (ConfigException e) {
            out.println(e.getMessage());
            return 2;
        }
        if (settings.kafka().isPresent() && dataDir.given()) {
            LOG.warn(
                    "--data-dir {} is not used: kafka.bootstrap-servers is set, so no embedded"
                            + " broker runs",
                    dataDir.directory());
        }
        final Orchestrator orchestrator;
        try {
            orchestrator = Orchestrator.start(settings, dataDir.directory());
        } catch (ConfigException | DiscoveryException | CaptureNotPossibleException e) {
            out.println(e.getMessage());
            return 2;
        } catch (DataDirectory.DataDirectoryInUseException e) {
            out.println(e.getMessage());
            return 1;
        } catch (BrokerReachability.BrokerUnreachableException e) {
            LOG.error("Refresh orchestrator failed to start: {}", e.getMessage());
            return 1;
        } catch (RuntimeException e) {
            LOG.error("Refresh orchestrator failed to start: {}", e.getMessage(), e);
            return 1;
        }
        var shutdown = new Thread(() -> stop(orchestrator), "refresh-orchestrator-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdown);
        orchestrator.awaitTermination();
        if (orchestrator.fatal().isPresent()) {
            // The hook halts with 0, which is right after a signal only: a fatal stop must end
            // with 1, so the hook goes before System.exit runs it.
            if (!withdraw(shutdown)) {
                shutdown.join();
            }
            LOG.error("Refresh orchestrator stopped: {}", orchestrator.fatal().get());
            return 1;
        }
        return 0;
    }

    /** Removes the hook; false when a signal already started the JVM's shutdown. */
    private static boolean withdraw(Thread hook) {
        try {
            return Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shutdownInProgress) {
            return false;
        }
    }

    /**
     * Closes every stage, then ends the process with status 0. A JVM ended by SIGTERM exits with
     * 143 (128 + the signal) whatever its hooks do, unless one halts it: after a clean close the
     * stop was graceful, and service managers read 0 as such. Other hooks get no more time than
     * this close takes.
     */
    private static void stop(Orchestrator orchestrator) {
        LOG.info("Refresh orchestrator stopping");
        orchestrator.close();
        LOG.info("Refresh orchestrator stopped");
        Runtime.getRuntime().halt(0);
    }
}
