package io.refreshorchestrator.config;

import java.util.Map;
import java.util.Objects;

/**
 * How to reach the PostgreSQL database whose tables are captured and whose views are refreshed.
 *
 * @param properties extra pgjdbc connection properties (for example {@code sslmode})
 */
public record PostgresSettings(
        String host,
        int port,
        String database,
        String user,
        Secret password,
        Map<String, String> properties) {

    public PostgresSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(user, "user");
        password = password == null ? Secret.empty() : password;
        properties = properties == null ? Map.of() : Map.copyOf(properties);
    }

    /** The JDBC URL; carries no credentials, so it may be logged. */
    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    /** pgjdbc properties including user and password. */
    public java.util.Properties jdbcProperties() {
        var props = new java.util.Properties();
        props.putAll(properties);
        props.setProperty("user", user);
        if (!password.isEmpty()) {
            props.setProperty("password", password.reveal());
        }
        props.putIfAbsent("ApplicationName", "refresh-orchestrator");
        return props;
    }

    /** Never shows the password, nor secret-looking extra properties. */
    @Override
    public String toString() {
        return "PostgresSettings[host=%s, port=%d, database=%s, user=%s, password=%s, properties=%s]"
                .formatted(host, port, database, user, password, Redaction.redact(properties));
    }
}
