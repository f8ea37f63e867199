package io.refreshorchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.refreshorchestrator.OrchestratorMain;
import io.refreshorchestrator.events.Json;
import io.refreshorchestrator.local.LocalStackExtension;
import io.refreshorchestrator.local.PostgresServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code refresh-orchestrator plan} against a real PostgreSQL. */
@ExtendWith(LocalStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PlanCommandIT {

    private PostgresServer postgres;
    private String database;
    @TempDir Path dir;

    private record Run(int exitCode, String out, String err) {}

    @BeforeAll
    void createSchema(PostgresServer postgres) throws Exception {
        this.postgres = postgres;
        database = postgres.createDatabase("plan");
        String sql;
        try (var in = getClass().getResourceAsStream("/discovery/learning-analytics.sql")) {
            sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try (var connection = postgres.connect(database)) {
            connection.createStatement().execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void shouldPrintTheJobsInDependencyOrderWithSourcesEdgesPolicyAndMode() throws IOException {
        // when
        var run = plan(config("jobs:\n  - view: analytics.popular_tracks\n    debounce: 250ms\n"));

        // then
        assertThat(run.exitCode()).as(run.err()).isZero();
        var out = run.out();
        assertThat(out).startsWith("7 job(s) in dependency order");
        assertThat(out.indexOf("analytics.learning_summary (REFRESH)"))
                .isGreaterThan(out.indexOf("analytics.daily_active_learning (REFRESH)"))
                .isGreaterThan(out.indexOf("analytics.quiz_completion_rates (REFRESH)"));
        assertThat(section(out, "analytics.learning_summary"))
                .contains(
                        "upstream:     analytics.daily_active_learning, analytics.quiz_completion_rates")
                .contains("mode:         BLOCKING: no unique index on plain columns");
        assertThat(section(out, "analytics.explanation_engagement"))
                .contains("BLOCKING: not populated");
        assertThat(section(out, "analytics.popular_tracks"))
                .contains("sources:      learning.track_enrollments, learning.tracks")
                .contains("debounce 250ms, max-delay 10s")
                .contains("CONCURRENTLY: populated, unique index");
        assertThat(section(out, "analytics.daily_active_learning"))
                .contains("sources:      learning.lesson_events")
                .contains("downstream:   analytics.learning_summary");
    }

    @Test
    void shouldShowPacingAndTheNextFireOfAScheduledJob() throws IOException {
        // given a job with a freshness target, pacing and a timer in Berlin
        var run =
                plan(
                        config(
                                """
                                jobs:
                                  - view: analytics.popular_tracks
                                    target-lag: 1m
                                    refresh-budget: 25%
                                    leading-edge: true
                                    schedule: "0 3 * * *"
                                    timezone: Europe/Berlin
                                """),
                        "--format",
                        "json");

        // then the plan shows them, and when the schedule fires next
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode plan = Json.mapper().readTree(run.out());
        JsonNode job = null;
        for (JsonNode entry : plan.get("jobs")) {
            if (entry.get("job").asText().equals("analytics.popular_tracks")) {
                job = entry;
            }
        }
        assertThat(job).isNotNull();
        assertThat(job.get("policy").get("targetLag").asText()).isEqualTo("1m");
        assertThat(job.get("policy").get("maxDelay").asText()).isEqualTo("30s");
        assertThat(job.get("policy").get("refreshBudget").asText()).isEqualTo("25%");
        assertThat(job.get("schedule").asText()).isEqualTo("0 3 * * * (Europe/Berlin)");
        var nextFire = java.time.Instant.parse(job.get("nextFire").asText());
        assertThat(nextFire.atZone(java.time.ZoneId.of("Europe/Berlin")).getHour()).isEqualTo(3);
        assertThat(nextFire).isAfter(java.time.Instant.now());
    }

    @Test
    void shouldPrintJsonForTooling() throws IOException {
        var run = plan(config(""), "--format", "json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode plan = Json.mapper().readTree(run.out());
        List<String> order = new ArrayList<>();
        plan.get("jobs").forEach(job -> order.add(job.get("job").asText()));
        assertThat(order).hasSize(7);
        assertThat(order.indexOf("analytics.learning_summary"))
                .isGreaterThan(order.indexOf("analytics.daily_active_learning"))
                .isGreaterThan(order.indexOf("analytics.quiz_completion_rates"));
        assertThat(plan.get("capturedTables").toString()).contains("learning.lesson_events");
        var summary = plan.get("jobs").get(order.indexOf("analytics.learning_summary"));
        assertThat(summary.get("mode").asText()).isEqualTo("BLOCKING");
        assertThat(summary.get("upstream")).hasSize(2);
    }

    @Test
    void shouldListEveryUnknownViewWithItsPathAndExitTwo() throws IOException {
        var run =
                plan(
                        config(
                                """
                                jobs:
                                  - view: analytics.popular_tracks
                                  - view: analytics.no_such_view
                                  - view: analytics.Popular_Tracks
                                    sources: [learning.nope]
                                """));

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err())
                .contains("jobs[1].view: no materialized view named analytics.no_such_view")
                .contains("jobs[2].view:")
                .contains("jobs[2].sources: no table named learning.nope");
    }

    private String section(String out, String job) {
        int start = out.indexOf(job + " (");
        int end = out.indexOf("\n\n", start);
        return out.substring(start, end < 0 ? out.length() : end);
    }

    private Path config(String jobs) throws IOException {
        var file = Files.createTempFile(dir, "plan", ".yml");
        Files.writeString(
                file,
                """
                postgres:
                  host: %s
                  port: %d
                  database: %s
                  user: %s
                discovery:
                  schemas: [analytics]
                %s"""
                        .formatted(
                                postgres.host(), postgres.port(), database, postgres.user(), jobs));
        return file;
    }

    private static Run plan(Path config, String... extra) {
        var out = new StringWriter();
        var err = new StringWriter();
        var commandLine = OrchestratorMain.commandLine();
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        var args = new ArrayList<>(List.of("plan", "--config", config.toString()));
        args.addAll(List.of(extra));
        int code = commandLine.execute(args.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }
}
