package io.refreshorchestrator.api;

import io.refreshorchestrator.cdc.CaptureHealth;
import io.refreshorchestrator.config.PostgresSettings;
import io.refreshorchestrator.executor.Executor;
import io.refreshorchestrator.topology.TopologyRunner;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The body of {@code GET /health/ready}: each part that must work for refreshes to flow, whether it
 * does, and why not.
 */
final class Readiness {

    /**
     * Capture states in which this instance is ready; any other state (including new ones) is not.
     */
    static final Set<String> READY_CAPTURE_STATES = Set.of("STREAMING", "STANDBY");

    private static final int DATABASE_TIMEOUT_SECONDS = 2;

    private final TopologyRunner topology;
    private final Executor executor;
    private final PostgresSettings postgres;
    private final CaptureHealth capture;

    /** {@code capture} is null when capture does not run in this process. */
    Readiness(
            TopologyRunner topology,
            Executor executor,
            PostgresSettings postgres,
            CaptureHealth capture) {
        this.topology = topology;
        this.executor = executor;
        this.postgres = postgres;
        this.capture = capture;
    }

    /** Every part, in a stable order; {@code ready} is true only when all are. */
    Map<String, Object> check() {
        var parts = new LinkedHashMap<String, Object>();
        var state = topology.state();
        parts.put("topology", part(state == KafkaStreams.State.RUNNING, "state " + state));
        var assignment = executor.assignment();
        parts.put(
                "executor",
                part(
                        assignment.isPresent(),
                        assignment
                                .map(a -> a.size() + " command partition(s) assigned")
                                .orElse("the command consumer has no assignment yet")));
        parts.put("postgres", database());
        if (capture != null) {
            var snapshot = capture.snapshot();
            var detail = new LinkedHashMap<String, Object>();
            detail.put("ready", READY_CAPTURE_STATES.contains(snapshot.state().name()));
            detail.put("state", snapshot.state().name());
            detail.put("since", snapshot.since());
            detail.put("reason", snapshot.reason());
            detail.put("lastEventCommittedAt", snapshot.lastEventCommittedAt());
            detail.put("retainedWalBytes", snapshot.retainedWalBytes());
            parts.put("capture", detail);
        }
        boolean ready =
                parts.values().stream()
                        .allMatch(p -> Boolean.TRUE.equals(((Map<?, ?>) p).get("ready")));
        var body = new LinkedHashMap<String, Object>();
        body.put("ready", ready);
        body.put("parts", parts);
        return body;
    }

    private Map<String, Object> database() {
        var props = postgres.jdbcProperties();
        props.setProperty("connectTimeout", Integer.toString(DATABASE_TIMEOUT_SECONDS));
        props.setProperty("socketTimeout", Integer.toString(DATABASE_TIMEOUT_SECONDS));
        try (var connection = DriverManager.getConnection(postgres.jdbcUrl(), props);
                var statement = connection.createStatement()) {
            statement.setQueryTimeout(DATABASE_TIMEOUT_SECONDS);
            statement.execute("SELECT 1");
            return part(true, "answers");
        } catch (SQLException e) {
            return part(false, "SQL state " + e.getSQLState() + ": " + e.getMessage());
        }
    }

    private static Map<String, Object> part(boolean ready, String detail) {
        var part = new LinkedHashMap<String, Object>();
        part.put("ready", ready);
        part.put("detail", detail);
        return part;
    }
}
