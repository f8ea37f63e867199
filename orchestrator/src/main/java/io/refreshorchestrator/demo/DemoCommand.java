package io.refreshorchestrator.demo;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.refreshorchestrator.config.Durations;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code demo}: everything in one process on throwaway services, with a live view and a summary.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Starts a throwaway PostgreSQL (the installed server programs, else PostgreSQL's from"
                    + " Maven Central), an embedded Kafka broker, change capture, the topology,"
                    + " the executor and the HTTP API in this process; creates the example"
                    + " learning-analytics schema (examples/demo/schema.sql), writes to it steadily"
                    + " and prints one line per refresh result.",
            "",
            "On Ctrl-C (or SIGTERM), or after --duration, it stops writing, waits up to 15 s for"
                    + " the last writes' refreshes, stops everything, deletes its temporary"
                    + " directory and prints a summary per job, with what a cron every"
                    + " --compare-cron would have given on the same commits.",
            "",
            "Exit codes: 0 done (also after Ctrl-C), 1 could not start or stopped by itself.",
        })
public final class DemoCommand implements Callable<Integer> {

    @Spec private CommandSpec spec;

    @Option(
            names = "--duration",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "Stop after this long (e.g. 60s, 5m); default: run until Ctrl-C.")
    private Duration duration;

    @Option(
            names = "--compare-cron",
            paramLabel = "INTERVAL",
            defaultValue = "30m",
            converter = DurationConverter.class,
            description =
                    "The cron interval the summary compares with (default: ${DEFAULT-VALUE}).")
    private Duration compareCron;

    @Option(
            names = "--write-interval",
            paramLabel = "INTERVAL",
            defaultValue = "2s",
            converter = DurationConverter.class,
            description =
                    "One burst of learner activity (lesson events, a quiz attempt every other"
                            + " time, API requests) per interval (default: ${DEFAULT-VALUE}).")
    private Duration writeInterval;

    @Option(
            names = "--http-port",
            paramLabel = "PORT",
            defaultValue = "8080",
            description =
                    "Port of the HTTP API on 127.0.0.1 (default: ${DEFAULT-VALUE}; a free one"
                            + " when it is taken, and 0 for a free one anyway).")
    private int httpPort;

    @Option(
            names = "--postgres",
            paramLabel = "SOURCE",
            defaultValue = "auto",
            description =
                    "Where the PostgreSQL server programs come from: auto (installed ones when"
                            + " found in PG_BIN, /usr/lib/postgresql/*/bin or the PATH, else"
                            + " Maven), installed, or maven (io.zonky.test.postgres binaries,"
                            + " taken from ~/.m2/repository or downloaded into it)"
                            + " (default: ${DEFAULT-VALUE}).")
    private String postgres;

    @Option(
            names = "--maven-repository",
            paramLabel = "URL",
            defaultValue = MavenPostgresBinaries.DEFAULT_REPOSITORY,
            description = "Where --postgres maven downloads from (default: ${DEFAULT-VALUE}).")
    private String mavenRepository;

    @Option(
            names = "--verbose",
            description = "Also print the orchestrator's INFO log lines (on standard error).")
    private boolean verbose;

    @Override
    public Integer call() throws InterruptedException {
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        final DemoPostgres.Source source;
        try {
            source =
                    DemoPostgres.Source.valueOf(postgres.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            err.println("--postgres: '" + postgres + "' is none of auto, installed, maven");
            return 2;
        }
        if (!verbose) {
            ((Logger) LoggerFactory.getLogger("io.refreshorchestrator")).setLevel(Level.WARN);
        }
        var session =
                new DemoSession(
                        new DemoOptions(
                                duration,
                                compareCron,
                                writeInterval,
                                httpPort,
                                source,
                                mavenRepository),
                        out);
        // Ctrl-C and SIGTERM: the hook stops everything and prints the summary, then ends with 0.
        var hook =
                new Thread(
                        () -> {
                            session.stop();
                            out.flush();
                            Runtime.getRuntime().halt(0);
                        },
                        "refresh-demo-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        boolean completed;
        try {
            session.start();
            completed = session.await(duration);
        } catch (RuntimeException e) {
            err.println("The demo could not start: " + e.getMessage());
            completed = false;
        }
        if (!withdraw(hook)) {
            hook.join(); // a signal came first: the hook stops and exits
            return 0;
        }
        session.stop();
        session.fatal().ifPresent(reason -> err.println("The orchestrator stopped: " + reason));
        return completed ? 0 : 1;
    }

    private static boolean withdraw(Thread hook) {
        try {
            return Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shutdownInProgress) {
            return false;
        }
    }

    /** {@code 60s}, {@code 5m}, {@code 250ms}, {@code PT1M}, as in the configuration. */
    static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return Durations.parse(value);
        }
    }
}
