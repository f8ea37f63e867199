package io.refreshorchestrator.api;

import io.refreshorchestrator.cdc.CaptureFootprint;
import io.refreshorchestrator.cdc.CaptureTeardown;
import io.refreshorchestrator.cdc.CdcException;
import io.refreshorchestrator.config.ConfigException;
import io.refreshorchestrator.config.OrchestratorConfig;
import io.refreshorchestrator.config.OrchestratorConfigLoader;
import io.refreshorchestrator.executor.StateSchema;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code uninstall}: drops what the orchestrator created in PostgreSQL, after saying what. */
@Command(
        name = "uninstall",
        mixinStandardHelpOptions = true,
        description = {
            "Drops the replication slot and the publication named in the configuration (and with"
                    + " --drop-state the state schema, CASCADE), after printing what it will drop."
                    + " A forgotten slot holds WAL until the disk fills. Asks for confirmation on"
                    + " a terminal unless --yes; without a terminal and without --yes it prints the"
                    + " plan and drops nothing. Refuses while the slot is in use (capture running)."
                    + " Kafka topics are left as they are.",
            "",
            "Exit codes: 0 dropped or nothing to drop, 1 database unreachable or the drop"
                    + " refused (slot in use, missing privilege), 2 invalid configuration or not"
                    + " confirmed.",
        })
public final class UninstallCommand implements Callable<Integer> {

    @Spec private CommandSpec spec;

    @Option(
            names = {"-c", "--config"},
            required = true,
            paramLabel = "FILE",
            description = "YAML configuration file, with environment overrides as for run.")
    private Path config;

    @Option(
            names = "--drop-state",
            description =
                    "Also drop the executor's state schema (executor.state-schema) with everything"
                            + " in it, CASCADE.")
    private boolean dropState;

    @Option(
            names = {"-y", "--yes"},
            description = "Drop without asking.")
    private boolean yes;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        final OrchestratorConfig settings;
        try {
            settings = OrchestratorConfigLoader.load(config);
        } catch (ConfigException e) {
            err.println(e.getMessage());
            return 2;
        }
        var postgres = settings.postgres();
        try (var connection =
                DriverManager.getConnection(postgres.jdbcUrl(), postgres.jdbcProperties())) {
            return uninstall(connection, settings, out, err);
        } catch (SQLException e) {
            err.println(
                    "Cannot uninstall from PostgreSQL at "
                            + postgres.jdbcUrl()
                            + " as user '"
                            + postgres.user()
                            + "': "
                            + e.getMessage());
            return 1;
        }
    }

    private int uninstall(
            Connection connection, OrchestratorConfig settings, PrintWriter out, PrintWriter err)
            throws SQLException {
        var cdc = settings.cdc();
        var schema = settings.executor().stateSchema();
        CaptureFootprint footprint = CaptureTeardown.inspect(connection, cdc);
        Optional<List<String>> state =
                dropState ? StateSchema.contents(connection, schema) : Optional.empty();
        if (footprint.isEmpty() && state.isEmpty()) {
            out.println(
                    "Nothing to drop: no replication slot '"
                            + cdc.slotName()
                            + "', no publication '"
                            + cdc.publicationName()
                            + "'"
                            + (dropState ? ", no schema '" + schema + "'" : "")
                            + " in database '"
                            + settings.postgres().database()
                            + "'.");
            return 0;
        }
        printPlan(out, settings, footprint, state);
        var refusal = CaptureTeardown.refusal(footprint, cdc);
        if (refusal.isPresent()) {
            err.println(refusal.get());
            return 1;
        }
        if (!yes) {
            var answer = askOnConsole();
            if (answer.isEmpty()) {
                err.println("Not a terminal and no --yes: nothing dropped.");
                return 2;
            }
            if (!answer.get()) {
                err.println("Not confirmed: nothing dropped.");
                return 2;
            }
        }
        try {
            CaptureTeardown.drop(connection, cdc);
        } catch (CdcException e) {
            err.println(e.getMessage());
            return 1;
        }
        if (state.isPresent()) {
            StateSchema.drop(connection, schema);
        }
        out.println("Dropped.");
        return 0;
    }

    private void printPlan(
            PrintWriter out,
            OrchestratorConfig settings,
            CaptureFootprint footprint,
            Optional<List<String>> state) {
        out.println("In database '" + settings.postgres().database() + "', uninstall drops:");
        footprint.describe().forEach(line -> out.println("  - " + line));
        if (dropState && state.isEmpty()) {
            out.println("  (schema '" + settings.executor().stateSchema() + "' does not exist)");
        }
        state.ifPresent(
                contents -> {
                    out.println(
                            "  - schema '"
                                    + settings.executor().stateSchema()
                                    + "' CASCADE, with "
                                    + (contents.isEmpty() ? "nothing in it" : "everything in it:"));
                    contents.forEach(line -> out.println("      " + line));
                });
        out.println(
                "Kafka topics (changes, offsets, commands, results) are left as they are; a later"
                        + " run creates a new slot and captures from then on.");
        out.flush();
    }

    /** The operator's answer, or empty when there is no terminal to ask on. */
    private static Optional<Boolean> askOnConsole() {
        var console = System.console();
        if (console == null) {
            return Optional.empty();
        }
        var answer = console.readLine("Drop them? Type 'yes' to confirm: ");
        return Optional.of(answer != null && answer.trim().equalsIgnoreCase("yes"));
    }
}
