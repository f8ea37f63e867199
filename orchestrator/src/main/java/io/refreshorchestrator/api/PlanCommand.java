package io.refreshorchestrator.api;

import io.refreshorchestrator.config.OrchestratorConfig;
import io.refreshorchestrator.discovery.CatalogReader;
import io.refreshorchestrator.discovery.DiscoveredGraph;
import io.refreshorchestrator.discovery.DiscoveryException;
import io.refreshorchestrator.events.Json;
import java.io.PrintWriter;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code plan}: the job graph read from the catalog, printed; nothing is started or changed. */
@Command(
        name = "plan",
        mixinStandardHelpOptions = true,
        description = {
            "Reads the configuration and the PostgreSQL catalog and prints the job graph: jobs in"
                    + " dependency order, each with its source tables, upstream and downstream"
                    + " jobs, policy, and the refresh mode it will use and why. Connects to"
                    + " PostgreSQL only (read-only); Kafka is not needed.",
            "",
            "Exit codes: 0 printed, 1 database unreachable, 2 invalid configuration (including"
                    + " configured views the catalog does not know).",
        })
public final class PlanCommand implements Callable<Integer> {

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
        OrchestratorConfig settings = loaded.get();
        var postgres = settings.postgres();
        try (var connection =
                DriverManager.getConnection(postgres.jdbcUrl(), postgres.jdbcProperties())) {
            DiscoveredGraph discovered = CatalogReader.discover(connection, settings.jobs());
            var entries = PlanReport.entries(discovered, connection);
            if (options.json()) {
                printJson(out, discovered, entries);
            } else {
                PlanText.print(out, discovered, entries);
            }
            out.flush();
            return 0;
        } catch (DiscoveryException e) {
            err.println(e.getMessage());
            return 2;
        } catch (SQLException e) {
            err.println(
                    "Cannot read the catalog at "
                            + postgres.jdbcUrl()
                            + " as user '"
                            + postgres.user()
                            + "': "
                            + e.getMessage());
            return 1;
        }
    }

    private static void printJson(
            PrintWriter out, DiscoveredGraph discovered, List<PlanEntry> entries) {
        var document = new LinkedHashMap<String, Object>();
        document.put("version", 1);
        document.put(
                "capturedTables",
                discovered.graph().sourceTables().stream().map(Object::toString).toList());
        document.put("jobs", entries);
        document.put("warnings", discovered.warnings());
        try {
            out.println(
                    Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(document));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write the plan as JSON", e);
        }
    }
}
