package io.refreshorchestrator.executor;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.refreshorchestrator.config.PostgresSettings;
import java.time.Duration;

/** The executor's HikariCP pool, built from {@link PostgresSettings}. */
final class ExecutorDataSource {

    /** How long a run waits for a connection before the attempt fails as transient. */
    static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(10);

    private ExecutorDataSource() {}

    static HikariDataSource create(PostgresSettings postgres, ExecutorSettings settings) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("refresh-executor");
        config.setJdbcUrl(postgres.jdbcUrl());
        // User and password travel as driver properties; HikariCP masks the password in its logs.
        config.setDataSourceProperties(postgres.jdbcProperties());
        config.setMaximumPoolSize(settings.poolSize());
        config.setMinimumIdle(1);
        config.setConnectionTimeout(CONNECTION_TIMEOUT.toMillis());
        // Start even while the database is down: runs retry, then report FAILED, and the pool
        // reconnects by itself once the server is back.
        config.setInitializationFailTimeout(-1);
        return new HikariDataSource(config);
    }
}
