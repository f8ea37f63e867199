package io.refreshorchestrator.app;

import io.refreshorchestrator.cdc.CaptureNotPossibleException;
import io.refreshorchestrator.cdc.CdcSettings;
import io.refreshorchestrator.cdc.PostgresPreflight;
import io.refreshorchestrator.cdc.PreflightCheck;
import io.refreshorchestrator.config.OrchestratorConfig;
import io.refreshorchestrator.discovery.JobGraph;
import io.refreshorchestrator.discovery.RelationName;
import io.refreshorchestrator.executor.ExecutorPreflight;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code run} needs from PostgreSQL, checked before anything starts: the capture checks of
 * {@link PostgresPreflight} (skipped when capture runs elsewhere) and the executor's of {@link
 * ExecutorPreflight}.
 */
public final class Preflight {

    private Preflight() {}

    /**
     * The capture settings {@code run} uses: the configured ones, capturing the graph's sources.
     */
    public static CdcSettings captureSettings(OrchestratorConfig config, JobGraph jobs) {
        var tables = jobs.sourceTables().stream().map(RelationName::toString).toList();
        return config.cdc().withTables(tables);
    }

    /** Every check, capture first; nothing is changed. */
    public static List<PreflightCheck> inspect(
            Connection connection, OrchestratorConfig config, JobGraph jobs) throws SQLException {
        var checks = new ArrayList<PreflightCheck>();
        if (config.cdcEnabled()) {
            checks.addAll(PostgresPreflight.inspect(connection, captureSettings(config, jobs)));
        }
        checks.addAll(ExecutorPreflight.inspect(connection, jobs, config.executor()));
        return checks;
    }

    /**
     * Refuses to start capture that cannot possibly work.
     *
     * @throws CaptureNotPossibleException naming each problem with its fix
     * @throws IllegalStateException when the database cannot be read (never naming the password)
     */
    static void requireCapture(OrchestratorConfig config, JobGraph jobs) {
        var postgres = config.cdc().postgres();
        try (var connection =
                DriverManager.getConnection(postgres.jdbcUrl(), postgres.jdbcProperties())) {
            PostgresPreflight.check(connection, captureSettings(config, jobs));
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "cannot check PostgreSQL at "
                            + postgres.jdbcUrl()
                            + " as user '"
                            + postgres.user()
                            + "' for change capture: "
                            + e.getMessage(),
                    e);
        }
    }
}
