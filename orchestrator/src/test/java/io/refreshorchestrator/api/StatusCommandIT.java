package io.refreshorchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.refreshorchestrator.OrchestratorMain;
import io.refreshorchestrator.events.JobKind;
import io.refreshorchestrator.events.Reason;
import io.refreshorchestrator.events.RefreshMode;
import io.refreshorchestrator.events.RefreshResult;
import io.refreshorchestrator.events.RunError;
import io.refreshorchestrator.events.Status;
import io.refreshorchestrator.events.Topics;
import io.refreshorchestrator.local.LocalStack;
import io.refreshorchestrator.local.LocalStackExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code refresh-orchestrator status} against a real PostgreSQL and a real results topic. */
@ExtendWith(LocalStackExtension.class)
class StatusCommandIT {

    @TempDir Path dir;

    @Test
    void shouldShowEachJobsLatestResultAndNextFire(LocalStack stack) throws Exception {
        // given: two views, one of them on a timer, and results on the results topic
        var database = stack.postgres().createDatabase("status");
        try (var connection = stack.postgres().connect(database)) {
            connection
                    .createStatement()
                    .execute(
                            """
                            CREATE TABLE public.plays (id bigint PRIMARY KEY, track int);
                            CREATE SCHEMA analytics;
                            CREATE MATERIALIZED VIEW analytics.popular AS
                              SELECT track, count(*) AS n FROM public.plays GROUP BY track;
                            CREATE MATERIALIZED VIEW analytics.today AS
                              SELECT count(*) AS n FROM public.plays;
                            """);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        var results = "status-" + UUID.randomUUID() + "-results";
        stack.kafka().createTopic(results, 3);
        var finished = Instant.parse("2026-11-22T10:00:00Z");
        publish(stack, results, result("analytics.popular", Status.FAILED, finished, null));
        publish(
                stack,
                results,
                result("analytics.popular", Status.SUCCEEDED, finished.plusSeconds(60), 1234L));
        var config = dir.resolve("status.yml");
        Files.writeString(
                config,
                """
                postgres:
                  host: %s
                  port: %d
                  database: %s
                  user: %s
                kafka:
                  bootstrap-servers: %s
                topics:
                  results: %s
                discovery:
                  schemas: [analytics]
                jobs:
                  - view: analytics.today
                    schedule: "0 0 * * *"
                    timezone: Europe/Berlin
                """
                        .formatted(
                                stack.postgres().host(),
                                stack.postgres().port(),
                                database,
                                stack.postgres().user(),
                                stack.kafka().bootstrapServers(),
                                results));

        // when
        var out = new StringWriter();
        var err = new StringWriter();
        var commandLine = OrchestratorMain.commandLine();
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        int exitCode =
                commandLine.execute("status", "--config", config.toString(), "--format", "json");

        // then: the latest result per job, and the next fire of the scheduled one
        assertThat(exitCode).as(err.toString()).isZero();
        var report = io.refreshorchestrator.events.Json.mapper().readTree(out.toString());
        var jobs = report.get("jobs");
        assertThat(jobs).hasSize(2);
        var popular = find(jobs, "analytics.popular");
        assertThat(popular.get("lastStatus").asText()).isEqualTo("SUCCEEDED");
        assertThat(popular.get("lastFreshnessLagMs").asLong()).isEqualTo(1234L);
        assertThat(popular.get("nextFire").isNull()).isTrue();
        var today = find(jobs, "analytics.today");
        assertThat(today.get("lastStatus").isNull()).as("never run").isTrue();
        var nextFire = Instant.parse(today.get("nextFire").asText());
        assertThat(nextFire).isAfter(Instant.now());
        // midnight in Berlin is 22:00 or 23:00 UTC
        assertThat(nextFire.atZone(java.time.ZoneId.of("Europe/Berlin")).toLocalTime())
                .isEqualTo(java.time.LocalTime.MIDNIGHT);
    }

    private static com.fasterxml.jackson.databind.JsonNode find(
            com.fasterxml.jackson.databind.JsonNode jobs, String name) {
        for (var job : jobs) {
            if (job.get("job").asText().equals(name)) {
                return job;
            }
        }
        throw new AssertionError("no job " + name + " in " + jobs);
    }

    private static RefreshResult result(String job, Status status, Instant finishedAt, Long lag) {
        return new RefreshResult(
                RefreshResult.CURRENT_VERSION,
                UUID.randomUUID(),
                job,
                JobKind.REFRESH,
                status,
                Reason.MANUAL,
                RefreshMode.BLOCKING,
                1,
                finishedAt.minusSeconds(1),
                finishedAt.minusMillis(500),
                finishedAt,
                500L,
                null,
                lag,
                status == Status.FAILED ? new RunError("55P03", "lock timeout") : null,
                null,
                null);
    }

    private static void publish(LocalStack stack, String topic, RefreshResult result)
            throws Exception {
        try (var producer =
                new KafkaProducer<>(
                        Map.<String, Object>of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                stack.kafka().bootstrapServers()),
                        new StringSerializer(),
                        new ByteArraySerializer())) {
            producer.send(
                            new ProducerRecord<>(
                                    topic, result.job(), Topics.RESULT_SERDE.write(result)))
                    .get(30, TimeUnit.SECONDS);
        }
    }
}
