package io.refreshorchestrator.history;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.refreshorchestrator.config.KafkaSettings;
import io.refreshorchestrator.config.PostgresSettings;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/** The run history writer's consumer configuration and its one-connection pool. */
final class HistoryClients {

    private HistoryClients() {}

    static HikariDataSource dataSource(PostgresSettings postgres) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("refresh-history");
        config.setJdbcUrl(postgres.jdbcUrl());
        config.setDataSourceProperties(postgres.jdbcProperties());
        config.setMaximumPoolSize(1);
        config.setMinimumIdle(0);
        config.setConnectionTimeout(Duration.ofSeconds(10).toMillis());
        // Start while the database is down: the writer waits for it, reading nothing meanwhile.
        config.setInitializationFailTimeout(-1);
        return new HikariDataSource(config);
    }

    static Map<String, Object> consumerConfig(KafkaSettings kafka, String groupId) {
        Map<String, Object> config = new HashMap<>(kafka.properties());
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        // Results published before the first start are results to record.
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
        config.put(
                "key.deserializer", org.apache.kafka.common.serialization.StringDeserializer.class);
        config.put(
                "value.deserializer",
                org.apache.kafka.common.serialization.ByteArrayDeserializer.class);
        return config;
    }
}
