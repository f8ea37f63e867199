package io.refreshorchestrator.app;

import static io.refreshorchestrator.app.OrchestratorFixture.scaled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.refreshorchestrator.events.RefreshResult;
import io.refreshorchestrator.events.Status;
import io.refreshorchestrator.events.Topics;
import io.refreshorchestrator.local.LocalStack;
import io.refreshorchestrator.local.LocalStackExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code history.enabled}: every result on {@code refresh-results} has exactly one row in {@code
 * refresh_orchestrator.run_history}, also when the process is killed (SIGKILL) while commands run
 * and started again; rows older than {@code history.retention} (default 30 days) are deleted by the
 * process; {@code job_stats} sums up the last 24 hours.
 */
@ExtendWith(LocalStackExtension.class)
class RunHistoryIT {

    private static final Duration READY = scaled(Duration.ofSeconds(120));
    private static final Duration WAIT = scaled(Duration.ofSeconds(90));
    private static final String JOB = "analytics.history_view";
    private static final String HISTORY = "refresh_orchestrator.run_history";

    @Test
    void shouldKeepExactlyOneRowPerResultAcrossAKillAndDeleteRowsPastTheRetention(
            LocalStack stack, @TempDir Path dir) throws Exception {
        // given an orchestrator writing the run history, and a view whose refresh takes a while
        String database = stack.postgres().createDatabase("history");
        var fixture = new OrchestratorFixture(stack, database, "history").withoutCapture();
        fixture.execute(
                """
                CREATE TABLE public.history_source (id bigserial PRIMARY KEY);
                CREATE SCHEMA analytics;
                CREATE MATERIALIZED VIEW analytics.history_view AS
                  SELECT count(*) AS n, pg_sleep(0.3) IS NULL AS slow FROM public.history_source;
                """);
        Path config =
                Files.writeString(
                        dir.resolve("orchestrator.yml"),
                        fixture.yaml(
                                dir.resolve("state"),
                                """
                                history:
                                  enabled: true
                                jobs:
                                  - view: %s
                                    sources: [public.history_source]
                                """
                                        .formatted(JOB)));
        // kept after the test (target/), for the reader of a failure
        Path logs = Files.createDirectories(Path.of("target", "it-logs"));
        try (var results =
                        new TopicTail<>(
                                fixture.bootstrap(), fixture.resultsTopic(), Topics.RESULT_SERDE);
                var producer = producer(fixture)) {
            var first = ChildOrchestrator.start(config, logs.resolve("history-first.log"));
            try {
                first.awaitLog("-> RUNNING", READY);
                publishManual(producer, fixture);
                await("rows in " + HISTORY)
                        .atMost(WAIT)
                        .until(() -> tableExists(fixture) && rows(fixture) > 0);
                // rows of runs long past: three beyond the 30-day retention, one within it
                fixture.execute(
                        """
                        INSERT INTO refresh_orchestrator.run_history
                          (command_id, job, status, attempts, finished_at)
                        SELECT gen_random_uuid(), 'analytics.old_view', 'SUCCEEDED', 1,
                               now() - interval '31 days' FROM generate_series(1, 3);
                        INSERT INTO refresh_orchestrator.run_history
                          (command_id, job, status, attempts, finished_at)
                        VALUES (gen_random_uuid(), 'analytics.recent_view', 'SUCCEEDED', 1,
                                now() - interval '29 days');
                        """);

                // when manual commands arrive and the process is killed while it runs them
                for (int i = 0; i < 15; i++) {
                    publishManual(producer, fixture);
                }
                await("a run under way when the process is killed")
                        .atMost(WAIT)
                        .until(() -> results.matching(r -> r.job().equals(JOB)).size() >= 3);
                first.kill();
            } finally {
                first.close();
            }
            try (var second = ChildOrchestrator.start(config, logs.resolve("history-second.log"))) {
                second.awaitLog("-> RUNNING", READY);
                for (int i = 0; i < 5; i++) {
                    publishManual(producer, fixture);
                }

                // then every result has its row, and no row lacks its result
                await("one row per result of " + JOB + " in " + HISTORY)
                        .atMost(WAIT)
                        .pollInterval(Duration.ofMillis(500))
                        .until(
                                () ->
                                        !keys(results.all()).isEmpty()
                                                && keys(results.all())
                                                        .equals(historyKeys(fixture)));
                await("the history still matching the results after the last command")
                        .during(scaled(Duration.ofSeconds(3)))
                        .atMost(WAIT)
                        .until(() -> keys(results.all()).equals(historyKeys(fixture)));
                List<RefreshResult> all = results.all();
                System.out.printf(
                        "RunHistoryIT: %d result record(s), %d distinct (command, status), %d"
                                + " row(s)%n",
                        all.size(), keys(all).size(), historyKeys(fixture).size());
                assertThat(all.stream().filter(r -> r.status() == Status.SUCCEEDED))
                        .as("refreshes ran")
                        .isNotEmpty();
                assertThat(
                                fixture.count(
                                        "SELECT count(*) FROM "
                                                + HISTORY
                                                + " WHERE job = '"
                                                + JOB
                                                + "'"))
                        .as("rows of the job: one per distinct result, nothing twice")
                        .isEqualTo(keys(all).size());

                // and the rows past the retention are gone, the one within it kept
                await("rows older than 30 days deleted")
                        .atMost(WAIT)
                        .until(
                                () ->
                                        fixture.count(
                                                        "SELECT count(*) FROM "
                                                                + HISTORY
                                                                + " WHERE job ="
                                                                + " 'analytics.old_view'")
                                                == 0);
                assertThat(
                                fixture.count(
                                        "SELECT count(*) FROM "
                                                + HISTORY
                                                + " WHERE job = 'analytics.recent_view'"))
                        .isEqualTo(1);

                // and job_stats sums up the last 24 hours per job
                long succeeded =
                        historyKeys(fixture).stream()
                                .filter(key -> key.endsWith("/SUCCEEDED"))
                                .count();
                try (var connection = fixture.connect();
                        var row =
                                connection
                                        .createStatement()
                                        .executeQuery(
                                                "SELECT results, succeeded, success_rate,"
                                                        + " duration_p50_ms, duration_p95_ms"
                                                        + " FROM refresh_orchestrator.job_stats"
                                                        + " WHERE job = '"
                                                        + JOB
                                                        + "'")) {
                    assertThat(row.next()).as("job_stats row of " + JOB).isTrue();
                    assertThat(row.getLong(1)).isEqualTo(keys(all).size());
                    assertThat(row.getLong(2)).isEqualTo(succeeded);
                    assertThat(row.getDouble(4))
                            .as("p50 of a >= 300 ms refresh")
                            .isGreaterThan(250);
                    assertThat(row.getDouble(5)).isGreaterThanOrEqualTo(row.getDouble(4));
                }
                assertThat(
                                fixture.count(
                                        "SELECT count(*) FROM refresh_orchestrator.job_stats"
                                                + " WHERE job = 'analytics.recent_view'"))
                        .as("a 29-day-old row is not in the last 24 hours")
                        .isZero();
            }
        }
    }

    private static KafkaProducer<String, String> producer(OrchestratorFixture fixture) {
        return new KafkaProducer<>(
                Map.<String, Object>of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, fixture.bootstrap()),
                new StringSerializer(),
                new StringSerializer());
    }

    private static void publishManual(
            KafkaProducer<String, String> producer, OrchestratorFixture fixture) throws Exception {
        String command = "{\"job\":\"" + JOB + "\",\"id\":\"" + UUID.randomUUID() + "\"}";
        producer.send(new ProducerRecord<>(fixture.commandsTopic(), JOB, command))
                .get(30, TimeUnit.SECONDS);
    }

    /** {@code commandId/status} of each result of the job: what a row stands for. */
    private static Set<String> keys(List<RefreshResult> results) {
        return results.stream()
                .filter(r -> r.job().equals(JOB))
                .map(r -> r.commandId() + "/" + r.status())
                .collect(Collectors.toSet());
    }

    private static Set<String> historyKeys(OrchestratorFixture fixture) throws SQLException {
        var keys = new HashSet<String>();
        try (var connection = fixture.connect();
                var rows =
                        connection
                                .createStatement()
                                .executeQuery(
                                        "SELECT command_id, status FROM "
                                                + HISTORY
                                                + " WHERE job = '"
                                                + JOB
                                                + "'")) {
            while (rows.next()) {
                keys.add(rows.getString(1) + "/" + rows.getString(2));
            }
        }
        return keys;
    }

    private static boolean tableExists(OrchestratorFixture fixture) throws SQLException {
        return fixture.count("SELECT count(*) FROM pg_class WHERE relname = 'run_history'") > 0;
    }

    private static long rows(OrchestratorFixture fixture) throws SQLException {
        return fixture.count("SELECT count(*) FROM " + HISTORY);
    }
}
