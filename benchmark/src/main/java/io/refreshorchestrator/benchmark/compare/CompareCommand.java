package io.refreshorchestrator.benchmark.compare;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.refreshorchestrator.local.KafkaBrokerOptions;
import io.refreshorchestrator.local.LocalStack;
import io.refreshorchestrator.local.PostgresOptions;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code compare}: the same workloads under each strategy (no refresh, this orchestrator with the
 * default policy and with leading edge, trigger + NOTIFY, pg_cron, pg_ivm), one after another on
 * one local PostgreSQL 15 and Kafka; writes {@code <out>/<date>[-quick].md}, {@code .json} and PNG
 * charts. {@code --ceiling} instead finds the highest row-change rate the orchestrator keeps up
 * with.
 */
@Command(
        name = "compare",
        mixinStandardHelpOptions = true,
        description = {
            "Side by side: this orchestrator, pg_cron, trigger + NOTIFY and pg_ivm on one"
                    + " workload. Starts PostgreSQL and Kafka itself; installs pg_cron"
                    + " (apt-get install postgresql-15-cron) and builds pg_ivm from its source"
                    + " archive when they are missing (apt-get install postgresql-server-dev-15"
                    + " make gcc for that), unless --no-install-peers."
        })
public final class CompareCommand implements Callable<Integer> {

    static final String DATABASE = "bench";

    @Spec private CommandSpec spec;

    @Option(names = "--quick", description = "short workloads (about 4 minutes in all)")
    private boolean quick;

    @Option(
            names = "--ceiling",
            description =
                    "find the highest row-change rate with flat replication-slot lag, with the"
                            + " lag broken down by stage, instead of the comparison")
    private boolean ceiling;

    @Option(
            names = "--out",
            defaultValue = "bench/results",
            description = "directory of the results, default ${DEFAULT-VALUE}")
    private Path out;

    @Option(
            names = "--orchestrator-jar",
            defaultValue = "orchestrator/target/refresh-orchestrator.jar",
            description = "the orchestrator to run, default ${DEFAULT-VALUE}")
    private Path orchestratorJar;

    @Option(
            names = "--pg-ivm-source",
            defaultValue = "../shared/peers/pg_ivm-1.15.tar.gz",
            description = "pg_ivm 1.15 source archive, default ${DEFAULT-VALUE}")
    private Path pgIvmSource;

    @Option(
            names = "--no-install-peers",
            negatable = false,
            description = "never run apt-get or build pg_ivm: a missing peer is skipped")
    private boolean noInstall;

    @Option(
            names = "--seed-rows",
            description = "events in the table before the workloads (default 200000, quick 50000)")
    private Integer seedRows;

    @Option(
            names = "--strategies",
            split = ",",
            description =
                    "run only these (none, orchestrator, leading-edge, notify, pg_cron, pg_ivm);"
                            + " default all")
    private List<String> only;

    @Override
    public Integer call() throws Exception {
        PrintWriter console = spec.commandLine().getOut();
        System.setProperty("java.awt.headless", "true");
        Instant startedAt = Instant.now();
        String loadBefore = MachineInfo.loadAverage();
        Path pgBin = Path.of(System.getenv().getOrDefault("PG_BIN", "/usr/lib/postgresql/15/bin"));
        var setup = new PeerSetup(pgBin, !noInstall, console);
        Optional<String> cronMissing = setup.pgCron();
        Optional<String> ivmMissing = setup.pgIvm(pgIvmSource);
        cronMissing.ifPresent(reason -> console.println("setup: pg_cron skipped: " + reason));
        ivmMissing.ifPresent(reason -> console.println("setup: pg_ivm skipped: " + reason));
        var preload = new ArrayList<String>();
        if (cronMissing.isEmpty()) {
            preload.add("pg_cron");
        }
        if (ivmMissing.isEmpty()) {
            preload.add("pg_ivm");
        }
        var pgOptions =
                PostgresOptions.defaults()
                        .withSetting("max_connections", "200")
                        .withSetting("track_commit_timestamp", "on");
        if (!preload.isEmpty()) {
            pgOptions =
                    pgOptions
                            .withSetting("shared_preload_libraries", String.join(",", preload))
                            .withSetting("cron.database_name", DATABASE)
                            .withSetting("cron.host", "127.0.0.1");
        }
        Path work = Files.createTempDirectory("refresh-compare-");
        try (LocalStack stack = LocalStack.start(KafkaBrokerOptions.defaults(), pgOptions)) {
            try (Connection admin = stack.postgres().connect()) {
                admin.createStatement().execute("CREATE DATABASE " + DATABASE);
            }
            var context = new BenchContext(stack, DATABASE, work);
            MachineInfo machine;
            try (Connection connection = context.connect()) {
                machine = MachineInfo.of(connection, loadBefore);
                if (ivmMissing.isEmpty()) {
                    connection.createStatement().execute("CREATE EXTENSION pg_ivm");
                }
            }
            if (ceiling) {
                return new CeilingRun(context, orchestratorJar, console, quick)
                        .run(out, machine, startedAt);
            }
            return compare(context, machine, startedAt, cronMissing, ivmMissing, console);
        } finally {
            deleteQuietly(work);
        }
    }

    private int compare(
            BenchContext context,
            MachineInfo machine,
            Instant startedAt,
            Optional<String> cronMissing,
            Optional<String> ivmMissing,
            PrintWriter console)
            throws Exception {
        int rows = seedRows != null ? seedRows : quick ? 50_000 : 200_000;
        var workloads = Workload.all(quick);
        Optional<String> jarMissing = OrchestratorStrategy.unavailable(orchestratorJar);
        var planned =
                List.of(
                        new Comparison.Planned("none", new NoRefreshStrategy(), Optional.empty()),
                        new Comparison.Planned(
                                "orchestrator",
                                new OrchestratorStrategy(orchestratorJar, false),
                                jarMissing),
                        new Comparison.Planned(
                                "leading-edge",
                                new OrchestratorStrategy(orchestratorJar, true),
                                jarMissing),
                        new Comparison.Planned("notify", new NotifyStrategy(), Optional.empty()),
                        new Comparison.Planned(
                                "pg_cron",
                                new PgCronStrategy(),
                                quick
                                        ? Optional.of(
                                                "--quick: pg_cron's one-minute grain does not fit;"
                                                        + " see pg_cron (computed)")
                                        : cronMissing),
                        new Comparison.Planned("pg_ivm", new PgIvmStrategy(), ivmMissing));
        var outcome =
                new Comparison(context, rows, quick, cronMissing.isEmpty(), console)
                        .run(planned, workloads, only);
        var cells = outcome.cells();
        var descriptions = outcome.descriptions();
        var workloadText = new LinkedHashMap<String, String>();
        workloads.forEach(
                w ->
                        workloadText.put(
                                w.name(),
                                "%s, %d commits"
                                        .formatted(w.description(), w.schedule().arrivals())));
        var report =
                new CompareReport(
                        1,
                        startedAt,
                        (Instant.now().toEpochMilli() - startedAt.toEpochMilli()) / 1000.0,
                        quick ? "--quick" : "",
                        machine.withLoadAfter(MachineInfo.loadAverage()),
                        rows,
                        descriptions,
                        workloadText,
                        cells,
                        Targets.check(cells, Optional.empty()));
        String base = startedAt.atZone(ZoneOffset.UTC).toLocalDate() + (quick ? "-quick" : "");
        String markdown = write(report, base);
        console.println();
        console.println(markdown);
        console.flush();
        return 0;
    }

    /** Writes {@code <base>.json}, the charts and {@code <base>.md}; returns the markdown. */
    String write(CompareReport report, String base) throws Exception {
        Files.createDirectories(out);
        json().writeValue(out.resolve(base + ".json").toFile(), report);
        List<String> charts = Charts.write(report, out, base);
        String markdown = MarkdownReport.render(report, charts);
        Files.writeString(out.resolve(base + ".md"), markdown);
        return markdown;
    }

    static ObjectMapper json() {
        return new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .enable(SerializationFeature.INDENT_OUTPUT);
    }

    private static void deleteQuietly(Path root) {
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (Exception e) {
            // a temporary directory left behind is harmless
        }
    }
}
