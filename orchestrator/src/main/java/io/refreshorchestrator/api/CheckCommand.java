package io.refreshorchestrator.api;

import io.refreshorchestrator.app.Preflight;
import io.refreshorchestrator.cdc.PreflightCheck;
import io.refreshorchestrator.config.OrchestratorConfig;
import io.refreshorchestrator.discovery.CatalogReader;
import io.refreshorchestrator.discovery.DiscoveryException;
import io.refreshorchestrator.events.Json;
import java.io.PrintWriter;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code check}: whether PostgreSQL gives {@code run} everything it needs; nothing is changed. */
@Command(
        name = "check",
        mixinStandardHelpOptions = true,
        description = {
            "Checks that PostgreSQL gives run everything it needs and prints each check as OK or"
                    + " MISSING, with the statement that fixes each missing item: wal_level ="
                    + " logical, a free replication slot and WAL sender, the REPLICATION attribute,"
                    + " each captured table, the rights to create or alter the publication, the"
                    + " right to refresh each view, and the state schema. Connects to PostgreSQL"
                    + " only (read-only); Kafka is not checked.",
            "",
            "Exit codes: 0 every check passed, 1 database unreachable, 2 invalid configuration"
                    + " or a check MISSING.",
        })
public final class CheckCommand implements Callable<Integer> {

    @Spec private CommandSpec spec;

    @Mixin private ReportOptions options;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        var loaded = options.load(err);
        if (loaded.isEmpty()) {
            return 2;
        }
        OrchestratorConfig config = loaded.get();
        var postgres = config.postgres();
        try (var connection =
                DriverManager.getConnection(postgres.jdbcUrl(), postgres.jdbcProperties())) {
            var jobs = CatalogReader.discover(connection, config.jobs()).graph();
            var checks = Preflight.inspect(connection, config, jobs);
            if (options.json()) {
                printJson(out, config, checks);
            } else {
                printText(out, config, checks);
            }
            out.flush();
            return checks.stream().anyMatch(PreflightCheck::isMissing) ? 2 : 0;
        } catch (DiscoveryException e) {
            err.println(e.getMessage());
            return 2;
        } catch (SQLException e) {
            err.println(
                    "Cannot check PostgreSQL at "
                            + postgres.jdbcUrl()
                            + " as user '"
                            + postgres.user()
                            + "': "
                            + e.getMessage());
            return 1;
        }
    }

    private static void printText(
            PrintWriter out, OrchestratorConfig config, List<PreflightCheck> checks) {
        var postgres = config.postgres();
        out.println(
                "Pre-flight check of "
                        + postgres.jdbcUrl()
                        + " as user '"
                        + postgres.user()
                        + "'"
                        + (config.cdcEnabled()
                                ? ":"
                                : " (cdc.enabled is false: change capture is not checked here):"));
        checks.forEach(check -> out.println(check.describe()));
        long missing = checks.stream().filter(PreflightCheck::isMissing).count();
        out.println();
        out.println(
                missing == 0
                        ? "All " + checks.size() + " checks passed."
                        : missing
                                + " of "
                                + checks.size()
                                + " checks MISSING: run the statements shown (as the role"
                                + " named in each), then check again.");
    }

    private static void printJson(
            PrintWriter out, OrchestratorConfig config, List<PreflightCheck> checks) {
        var document = new LinkedHashMap<String, Object>();
        document.put("version", 1);
        document.put("database", config.postgres().database());
        document.put("user", config.postgres().user());
        document.put("captureChecked", config.cdcEnabled());
        document.put("ready", checks.stream().noneMatch(PreflightCheck::isMissing));
        document.put("checks", checks.stream().map(CheckCommand::entry).toList());
        try {
            out.println(
                    Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(document));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write the checks as JSON", e);
        }
    }

    private static Map<String, Object> entry(PreflightCheck check) {
        var entry = new LinkedHashMap<String, Object>();
        entry.put("check", check.name());
        entry.put("status", check.status().name());
        entry.put("detail", check.detail());
        entry.put("fix", check.fix());
        return entry;
    }
}
