package io.refreshorchestrator.cdc;

import io.refreshorchestrator.config.CdcConfigLoader;
import io.refreshorchestrator.config.ConfigException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Command line: runs the listener from a configuration file until SIGTERM or Ctrl-C. */
@Command(
        name = "cdc-listener",
        mixinStandardHelpOptions = true,
        versionProvider = CdcListenerMain.Version.class,
        description = {
            "Streams committed changes of PostgreSQL tables to Kafka as standard Debezium JSON"
                    + " change events on <topic-prefix>.<schema>.<table> (Debezium embedded engine,"
                    + " pgoutput, offsets stored in Kafka), and publishes a CAPTURE_RESET signal"
                    + " when capture restarts from scratch.",
            "Reads the postgres, kafka and cdc sections of the configuration file; environment"
                    + " variables REFRESH_ORCHESTRATOR_<PATH> override its values (e.g."
                    + " REFRESH_ORCHESTRATOR_POSTGRES_HOST). The password comes from the variable"
                    + " named by postgres.password-env (default PGPASSWORD) or from"
                    + " postgres.password-file.",
            "Runs until SIGTERM or Ctrl-C, then stops gracefully. When capture fails (database"
                    + " or broker gone) it is restarted with backoff, up to 30 s apart."
        },
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {
            "1:unexpected internal error (capture failures are retried with backoff, not fatal)",
            "2:invalid configuration or usage",
            "143/130:stopped gracefully by SIGTERM/Ctrl-C"
        })
public final class CdcListenerMain implements Callable<Integer> {

    static final int EXIT_FAILURE = 1;
    static final int EXIT_CONFIG = 2;

    private static final Logger LOG = LoggerFactory.getLogger(CdcListenerMain.class);

    @Option(
            names = {"-c", "--config"},
            required = true,
            paramLabel = "FILE",
            description = "YAML configuration file")
    Path config;

    private final Map<String, String> env;

    CdcListenerMain(Map<String, String> env) {
        this.env = env;
    }

    public static void main(String[] args) {
        System.exit(run(System.getenv(), args));
    }

    static int run(Map<String, String> env, String... args) {
        var commandLine = new CommandLine(new CdcListenerMain(env));
        commandLine.setExitCodeExceptionMapper(error -> EXIT_FAILURE);
        commandLine.setParameterExceptionHandler(
                (error, arguments) -> {
                    error.getCommandLine().getErr().println(error.getMessage());
                    error.getCommandLine().usage(error.getCommandLine().getErr());
                    return EXIT_CONFIG;
                });
        return commandLine.execute(args);
    }

    @Override
    public Integer call() throws InterruptedException {
        CdcSettings settings;
        try {
            settings = CdcConfigLoader.load(config, env);
        } catch (ConfigException e) {
            System.err.println(config + ": " + e.getMessage());
            return EXIT_CONFIG;
        }
        LOG.info("Starting change capture with {}", settings);
        // A database or broker that goes away is retried with backoff, never a reason to exit:
        // the slot keeps the WAL and the offsets in Kafka say where to resume.
        var supervisor =
                new CdcSupervisor(
                        settings, CdcSupervisor.DEFAULT_BACKOFF, CdcSupervisor.DEFAULT_MAX_BACKOFF);
        var stopped = new CountDownLatch(1);
        var shutdownHook =
                new Thread(
                        () -> {
                            supervisor.close();
                            stopped.countDown();
                        },
                        "cdc-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        supervisor.start();
        stopped.await();
        return 0;
    }

    /** The version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            var version = CdcListenerMain.class.getPackage().getImplementationVersion();
            return new String[] {
                "cdc-listener " + (version == null ? "(development build)" : version)
            };
        }
    }
}
