package io.refreshorchestrator.app;

import static io.refreshorchestrator.app.OrchestratorFixture.scaled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.refreshorchestrator.events.Status;
import io.refreshorchestrator.events.Topics;
import io.refreshorchestrator.executor.RefreshRunner;
import io.refreshorchestrator.local.LocalStack;
import io.refreshorchestrator.local.LocalStackExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM during refreshes: a run that ends within {@code shutdown-timeout} is waited for and
 * reported as usual; one still running then is cancelled and reported FAILED with the reason. Every
 * run has a result, and no backend of the process is left in PostgreSQL.
 */
@ExtendWith(LocalStackExtension.class)
class ShutdownIT {

    private static final Duration READY = scaled(Duration.ofSeconds(120));
    private static final Duration WAIT = scaled(Duration.ofSeconds(60));
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(8);
    private static final String SHORT = "analytics.slow_short";
    private static final String LONG = "analytics.slow_long";

    @Test
    void shouldWaitForARunThatEndsInTimeAndCancelAndReportOneThatDoesNot(
            LocalStack stack, @TempDir Path dir) throws Exception {
        // given an orchestrator refreshing a 3 s view and a 10 min view, shutdown-timeout 8 s
        String database = stack.postgres().createDatabase("shutdown");
        var fixture = new OrchestratorFixture(stack, database, "shutdown").withoutCapture();
        fixture.execute(
                """
                CREATE TABLE public.t (id int);
                CREATE SCHEMA analytics;
                CREATE MATERIALIZED VIEW analytics.slow_short AS
                  SELECT count(*) AS n FROM public.t, pg_sleep(3) WITH NO DATA;
                CREATE MATERIALIZED VIEW analytics.slow_long AS
                  SELECT count(*) AS n FROM public.t, pg_sleep(600) WITH NO DATA;
                """);
        Path config =
                Files.writeString(
                        dir.resolve("orchestrator.yml"),
                        fixture.yaml(
                                dir.resolve("state"),
                                """
                                shutdown-timeout: %ds
                                jobs:
                                  - view: %s
                                    sources: [public.t]
                                  - view: %s
                                    sources: [public.t]
                                """
                                        .formatted(SHUTDOWN_TIMEOUT.toSeconds(), SHORT, LONG)),
                        StandardCharsets.UTF_8);
        try (var results =
                        new TopicTail<>(
                                fixture.bootstrap(), fixture.resultsTopic(), Topics.RESULT_SERDE);
                var orchestrator = ChildOrchestrator.start(config, logs().resolve("run.log"))) {
            orchestrator.awaitLog("Refresh orchestrator started", READY);
            fixture.send(fixture.commandsTopic(), LONG, "{\"job\":\"" + LONG + "\"}");
            await("the long refresh running")
                    .atMost(WAIT)
                    .until(() -> refreshesRunning(fixture, "slow_long") == 1);
            fixture.send(fixture.commandsTopic(), SHORT, "{\"job\":\"" + SHORT + "\"}");
            await("the short refresh running")
                    .atMost(WAIT)
                    .until(() -> refreshesRunning(fixture, "slow_short") == 1);

            // when the process gets SIGTERM
            Instant signalled = Instant.now();
            orchestrator.stop(SHUTDOWN_TIMEOUT.plus(WAIT));
            Duration stopping = Duration.between(signalled, Instant.now());

            // then the short run finished and was reported, the long one cancelled and reported
            var shortResult =
                    results.awaitFirst("the short run's result", WAIT, r -> r.job().equals(SHORT));
            var longResult =
                    results.awaitFirst("the long run's result", WAIT, r -> r.job().equals(LONG));
            System.out.printf(
                    "SHUTDOWN: SIGTERM to exit %d ms (shutdown-timeout %d s); %s %s; %s %s (%s)%n",
                    stopping.toMillis(),
                    SHUTDOWN_TIMEOUT.toSeconds(),
                    SHORT,
                    shortResult.status(),
                    LONG,
                    longResult.status(),
                    longResult.detail());
            assertThat(shortResult.status()).isEqualTo(Status.SUCCEEDED);
            assertThat(longResult.status()).isEqualTo(Status.FAILED);
            assertThat(longResult.detail()).endsWith(RefreshRunner.CANCELLED_DETAIL);
            assertThat(longResult.error().sqlState()).isEqualTo("57014");
            assertThat(stopping)
                    .as("stopped within the shutdown timeout and a few seconds")
                    .isLessThan(SHUTDOWN_TIMEOUT.plusSeconds(20));
            assertThat(orchestrator.log()).contains("cancelling them");

            // and no backend of the process is left behind
            await("no backend of the stopped orchestrator in pg_stat_activity")
                    .atMost(Duration.ofSeconds(10))
                    .until(
                            () ->
                                    fixture.count(
                                                    "SELECT count(*) FROM pg_stat_activity"
                                                            + " WHERE datname = current_database()"
                                                            + " AND pid <> pg_backend_pid()"
                                                            + " AND (application_name LIKE"
                                                            + " 'refresh-orchestrator%' OR query"
                                                            + " ILIKE 'REFRESH%')")
                                            == 0);
        }
    }

    private static long refreshesRunning(OrchestratorFixture fixture, String view)
            throws Exception {
        return fixture.count(
                "SELECT count(*) FROM pg_stat_activity WHERE state = 'active'"
                        + " AND query ILIKE 'REFRESH MATERIALIZED VIEW%"
                        + view
                        + "%'");
    }

    /** Where the child processes' logs go: kept after the run, for diagnosis. */
    private static Path logs() throws java.io.IOException {
        return Files.createDirectories(Path.of("target", "it-logs", "ShutdownIT"));
    }
}
