package io.refreshorchestrator.app;

import io.refreshorchestrator.config.PostgresSettings;
import io.refreshorchestrator.discovery.CatalogReader;
import io.refreshorchestrator.discovery.DiscoveredGraph;
import io.refreshorchestrator.discovery.JobDeclarations;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Connects to PostgreSQL once and discovers the job graph of the configured declarations. */
public final class JobGraphLoader {

    private static final Logger LOG = LoggerFactory.getLogger(JobGraphLoader.class);

    private JobGraphLoader() {}

    /**
     * @throws io.refreshorchestrator.discovery.DiscoveryException when configured names are not in
     *     the catalog
     * @throws IllegalStateException when the database cannot be read (never naming the password)
     */
    public static DiscoveredGraph load(PostgresSettings postgres, JobDeclarations declarations) {
        try (var connection =
                DriverManager.getConnection(postgres.jdbcUrl(), postgres.jdbcProperties())) {
            var discovered = CatalogReader.discover(connection, declarations);
            discovered.warnings().forEach(warning -> LOG.warn("{}", warning));
            return discovered;
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "cannot read the job graph from PostgreSQL at "
                            + postgres.jdbcUrl()
                            + " as user '"
                            + postgres.user()
                            + "': "
                            + e.getMessage(),
                    e);
        }
    }
}
