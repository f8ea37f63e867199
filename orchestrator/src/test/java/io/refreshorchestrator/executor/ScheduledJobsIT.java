package io.refreshorchestrator.executor;

import static io.refreshorchestrator.executor.ExecutorHarness.scaled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.refreshorchestrator.app.Orchestrator;
import io.refreshorchestrator.app.OrchestratorFixture;
import io.refreshorchestrator.events.JobKind;
import io.refreshorchestrator.events.Reason;
import io.refreshorchestrator.events.RefreshResult;
import io.refreshorchestrator.events.Status;
import io.refreshorchestrator.events.Topics;
import io.refreshorchestrator.local.LocalStack;
import io.refreshorchestrator.local.LocalStackExtension;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The time-based jobs cron setups carry, run by the whole orchestrator: a SQL job and an HTTP job
 * (against a local HTTP server) fire on their schedules and report results like refreshes.
 */
@ExtendWith({QuietClientLogs.class, LocalStackExtension.class})
class ScheduledJobsIT {

    private Orchestrator orchestrator;
    private HttpServer http;
    private TopicReader<RefreshResult> results;

    @AfterEach
    void stop() {
        if (orchestrator != null) {
            orchestrator.close();
        }
        if (results != null) {
            results.close();
        }
        if (http != null) {
            http.stop(0);
        }
    }

    @Test
    void shouldRunSqlAndHttpJobsOnTheirSchedules(LocalStack stack, @TempDir Path stateDir)
            throws Exception {
        // given: a rollup function, an HTTP endpoint, and one job of each kind every second
        String database = stack.postgres().createDatabase("scheduled_jobs_it");
        try (Connection connection = stack.postgres().connect(database);
                var statement = connection.createStatement()) {
            statement.execute(
                    """
                    CREATE SCHEMA jobs;
                    CREATE TABLE jobs.daily_usage (rolled_up_at timestamptz NOT NULL);
                    CREATE FUNCTION jobs.rollup_daily_usage() RETURNS void LANGUAGE sql AS
                        'INSERT INTO jobs.daily_usage VALUES (clock_timestamp())';
                    """);
        }
        List<String> calls = new CopyOnWriteArrayList<>();
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext(
                "/hooks/usage",
                exchange -> {
                    calls.add(
                            exchange.getRequestMethod()
                                    + " "
                                    + exchange.getRequestHeaders().getFirst("X-Source")
                                    + " "
                                    + new String(
                                            exchange.getRequestBody().readAllBytes(),
                                            StandardCharsets.UTF_8));
                    exchange.sendResponseHeaders(204, -1);
                    exchange.close();
                });
        http.start();
        var config =
                new OrchestratorFixture(stack, database, "sched")
                        .withoutCapture()
                        .config(
                                stateDir,
                                """
                                jobs:
                                  - name: rollup_daily_usage
                                    sql: "SELECT jobs.rollup_daily_usage()"
                                    schedule: "1s"
                                  - name: notify_usage
                                    schedule: "1s"
                                    http:
                                      method: POST
                                      url: http://127.0.0.1:%d/hooks/usage
                                      headers: {X-Source: refresh-orchestrator}
                                      body: '{"rolled_up":true}'
                                      timeout: 5s
                                """
                                        .formatted(http.getAddress().getPort()),
                                "ScheduledJobsIT");

        // when
        orchestrator = Orchestrator.start(config);
        assertThat(orchestrator.awaitReady(scaled(Duration.ofSeconds(120))))
                .as("the topology running")
                .isTrue();
        results =
                new TopicReader<>(
                        stack.kafka().bootstrapServers(),
                        config.topics().results(),
                        Topics.RESULT_SERDE);

        // then: each job fired more than once, on its schedule, and reported each run
        await("two scheduled SUCCEEDED runs of each job")
                .atMost(scaled(Duration.ofSeconds(60)))
                .until(
                        () ->
                                scheduledSuccesses(JobKind.SQL) >= 2
                                        && scheduledSuccesses(JobKind.HTTP) >= 2);
        RefreshResult sql = first(JobKind.SQL);
        assertThat(sql.job()).isEqualTo("rollup_daily_usage");
        assertThat(sql.mode()).isNull();
        RefreshResult call = first(JobKind.HTTP);
        assertThat(call.job()).isEqualTo("notify_usage");
        assertThat(call.detail()).isEqualTo("HTTP 204");
        assertThat(calls).contains("POST refresh-orchestrator {\"rolled_up\":true}");
        assertThat(count(stack, database)).isGreaterThanOrEqualTo(2);
    }

    private long scheduledSuccesses(JobKind kind) {
        return results.values().stream()
                .filter(r -> r.kind() == kind)
                .filter(r -> r.reason() == Reason.SCHEDULE && r.status() == Status.SUCCEEDED)
                .count();
    }

    private RefreshResult first(JobKind kind) {
        return results.first(
                "a scheduled " + kind + " result",
                r -> r.kind() == kind && r.reason() == Reason.SCHEDULE);
    }

    private static long count(LocalStack stack, String database) throws SQLException {
        try (Connection connection = stack.postgres().connect(database);
                var statement = connection.createStatement();
                var row = statement.executeQuery("SELECT count(*) FROM jobs.daily_usage")) {
            row.next();
            return row.getLong(1);
        }
    }
}
