package io.refreshorchestrator.app;

import static io.refreshorchestrator.app.OrchestratorFixture.scaled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.refreshorchestrator.OrchestratorMain;
import io.refreshorchestrator.events.Json;
import io.refreshorchestrator.events.Reason;
import io.refreshorchestrator.events.Status;
import io.refreshorchestrator.events.Topics;
import io.refreshorchestrator.local.LocalStack;
import io.refreshorchestrator.local.LocalStackExtension;
import io.refreshorchestrator.localmode.DataDirectory;
import io.refreshorchestrator.localmode.InstanceFile;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Local mode ({@code run} without {@code kafka.bootstrap-servers}) keeps its embedded broker's data
 * in the data directory, so a restart resumes pending work; the CLI finds the running process
 * through its instance file: trigger --wait, tail --json --job, pause and resume, given the
 * configuration of {@code run}, whose API token variable only {@code run}'s environment holds.
 */
@ExtendWith(LocalStackExtension.class)
class LocalModeIT {

    private static final Duration READY = scaled(Duration.ofSeconds(180));
    private static final Duration WAIT = scaled(Duration.ofSeconds(90));
    private static final String JOB = "analytics.local_view";

    /** Only the child that runs holds the API's token: the CLI in this JVM works without it. */
    private static final String TOKEN_VARIABLE = "LOCAL_MODE_IT_API_TOKEN";

    private static final String TOKEN = "local-it-token-5be2";

    @Test
    void shouldKeepPendingWorkAcrossARestartAndServeTheCommandLine(
            LocalStack stack, @TempDir Path dir) throws Exception {
        // given a local-mode orchestrator with its data directory
        String database = stack.postgres().createDatabase("localmode");
        var fixture =
                new OrchestratorFixture(stack, database, "local")
                        .withoutKafka()
                        .withHttpSettings("token-env: " + TOKEN_VARIABLE);
        assertThat(System.getenv(TOKEN_VARIABLE))
                .as("precondition: the CLI's environment lacks " + TOKEN_VARIABLE)
                .isNull();
        fixture.execute(
                """
                CREATE TABLE public.local_source (id bigserial PRIMARY KEY);
                CREATE SCHEMA analytics;
                CREATE MATERIALIZED VIEW analytics.local_view AS
                  SELECT count(*) AS n FROM public.local_source;
                """);
        Path config =
                Files.writeString(
                        dir.resolve("orchestrator.yml"),
                        fixture.yaml(dir.resolve("state"), "jobs:\n  - view: " + JOB + "\n"));
        var dataDir = DataDirectory.at(dir.resolve("data"));
        var runOptions = List.of("--data-dir", dataDir.path().toString());
        try {
            InstanceFile first;
            try (var orchestrator = start(config, dir.resolve("first.log"), runOptions)) {
                orchestrator.awaitReady(READY);
                first = awaitInstanceFile(dataDir, orchestrator);

                // tail --json --job prints the job's result line (the start-up refresh)
                var tail =
                        cli(
                                "tail",
                                "--json",
                                "--job",
                                JOB,
                                "--from-beginning",
                                "--count",
                                "1",
                                "--config",
                                config.toString(),
                                "--data-dir",
                                dataDir.path().toString());
                assertThat(tail.code()).as(tail.both()).isZero();
                assertThat(tail.out().lines().toList()).as(tail.both()).hasSize(1);
                var line = Json.mapper().readTree(tail.out().strip());
                assertThat(line.path("job").asText()).isEqualTo(JOB);
                assertThat(line.path("commandId").asText()).isNotEmpty();
                assertThat(tail.err())
                        .startsWith(
                                "Using the local orchestrator (pid " + orchestrator.pid() + ")");

                // trigger --wait prints SUCCEEDED and exits 0
                var trigger =
                        cli(
                                "trigger",
                                JOB,
                                "--wait",
                                "--config",
                                config.toString(),
                                "--data-dir",
                                dataDir.path().toString());
                assertThat(trigger.code()).as(trigger.both()).isZero();
                assertThat(trigger.out())
                        .as(trigger.both())
                        .contains(JOB + "  SUCCEEDED  reason=MANUAL");
                assertThat(trigger.err())
                        .contains("Using the local orchestrator (pid " + orchestrator.pid() + ")");

                // an unknown job: non-zero, and says so
                var unknown =
                        cli(
                                "trigger",
                                "analytics.nope",
                                "--wait",
                                "--data-dir",
                                dataDir.path().toString());
                assertThat(unknown.code()).as(unknown.both()).isEqualTo(2);
                assertThat(unknown.err())
                        .contains("no job 'analytics.nope' in the local orchestrator");

                // a paused job collects a change that is pending when the process stops
                var pause =
                        cli(
                                "pause",
                                JOB,
                                "--config",
                                config.toString(),
                                "--data-dir",
                                dataDir.path().toString());
                assertThat(pause.code()).as(pause.both()).isZero();
                await("the job paused")
                        .atMost(WAIT)
                        .until(() -> job(first).path("paused").asBoolean());
                fixture.execute("INSERT INTO public.local_source DEFAULT VALUES");
                await("the insert captured and held as pending")
                        .atMost(WAIT)
                        .until(() -> job(first).path("pendingChanges").asLong() >= 1);
                assertThat(fixture.count("SELECT n FROM analytics.local_view")).isZero();

                assertThat(orchestrator.stop(WAIT)).as("exit code after SIGTERM").isZero();
            }
            assertThat(dataDir.instanceFile()).as("instance file removed on exit").doesNotExist();

            // when the orchestrator starts again on the same data directory
            try (var orchestrator = start(config, dir.resolve("second.log"), runOptions)) {
                orchestrator.awaitReady(READY);
                var second = awaitInstanceFile(dataDir, orchestrator);

                // then the broker kept its address, the job is still paused with its change
                assertThat(second.kafkaBootstrapServers()).isEqualTo(first.kafkaBootstrapServers());
                await("the job still paused with its pending change after the restart")
                        .atMost(WAIT)
                        .untilAsserted(
                                () -> {
                                    var held = job(second);
                                    assertThat(held.path("paused").asBoolean())
                                            .as("%s", held)
                                            .isTrue();
                                    assertThat(held.path("pendingChanges").asLong())
                                            .as("%s", held)
                                            .isPositive();
                                });

                // and on resume the change from before the restart is refreshed
                Instant resumedAt = Instant.now();
                var resume =
                        cli(
                                "resume",
                                JOB,
                                "--config",
                                config.toString(),
                                "--data-dir",
                                dataDir.path().toString());
                assertThat(resume.code()).as(resume.both()).isZero();
                try (var results =
                        new TopicTail<>(
                                second.kafkaBootstrapServers(),
                                fixture.resultsTopic(),
                                Topics.RESULT_SERDE)) {
                    var refreshed =
                            results.awaitFirst(
                                    "a SUCCEEDED DATA_CHANGE refresh after the resume",
                                    WAIT,
                                    r ->
                                            r.reason() == Reason.DATA_CHANGE
                                                    && r.status() == Status.SUCCEEDED
                                                    && r.finishedAt().isAfter(resumedAt));
                    assertThat(refreshed.firstChangeAt())
                            .as("the change captured before the restart")
                            .isBefore(resumedAt);
                }
                assertThat(fixture.count("SELECT n FROM analytics.local_view")).isEqualTo(1);

                // when it dies without cleaning up
                orchestrator.kill();
            }

            // then its instance file is told apart as stale
            var stale = cli("tail", "--data-dir", dataDir.path().toString());
            assertThat(stale.code()).as(stale.both()).isEqualTo(1);
            assertThat(stale.err()).contains("its instance.json is stale, process");

            // and a new run takes the directory over and works
            try (var orchestrator = start(config, dir.resolve("third.log"), runOptions)) {
                orchestrator.awaitReady(READY);
                var third = awaitInstanceFile(dataDir, orchestrator);
                var trigger =
                        cli("trigger", JOB, "--wait", "--data-dir", dataDir.path().toString());
                assertThat(trigger.code()).as(trigger.both()).isZero();
                // run read the API's token from its own environment
                assertThat(postRefresh(third, TOKEN).statusCode()).isEqualTo(202);
                assertThat(postRefresh(third, "not-" + TOKEN).statusCode()).isEqualTo(403);
                assertThat(orchestrator.stop(WAIT)).isZero();
            }
        } finally {
            await("the replication slot dropped once the process let go of it")
                    .atMost(Duration.ofSeconds(30))
                    .ignoreExceptions()
                    .until(
                            () -> {
                                fixture.dropSlot();
                                return true;
                            });
        }
    }

    private static ChildOrchestrator start(Path config, Path log, List<String> runOptions)
            throws Exception {
        return ChildOrchestrator.start(
                config, log, Map.of(TOKEN_VARIABLE, TOKEN), List.of(), runOptions);
    }

    private static InstanceFile awaitInstanceFile(
            DataDirectory dataDir, ChildOrchestrator orchestrator) {
        return await("the instance file of pid " + orchestrator.pid())
                .atMost(WAIT)
                .until(
                        () -> InstanceFile.read(dataDir.instanceFile()).orElse(null),
                        file -> file != null && file.pid() == orchestrator.pid());
    }

    private static JsonNode job(InstanceFile instance) throws Exception {
        var response =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(
                                                URI.create(instance.httpUrl() + "/jobs/" + JOB))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.mapper().readTree(response.body());
    }

    private static HttpResponse<String> postRefresh(InstanceFile instance, String token)
            throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(
                                        URI.create(
                                                instance.httpUrl() + "/jobs/" + JOB + "/refresh"))
                                .header("Authorization", "Bearer " + token)
                                .POST(HttpRequest.BodyPublishers.noBody())
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    /** One in-process run of the command line; a command that hangs fails the test. */
    private static Cli cli(String... args) throws Exception {
        var out = new StringWriter();
        var err = new StringWriter();
        var commandLine = OrchestratorMain.commandLine();
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        var run = CompletableFuture.supplyAsync(() -> commandLine.execute(args));
        try {
            int code = run.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            return new Cli(code, out.toString(), err.toString());
        } catch (TimeoutException e) {
            throw new AssertionError(
                    String.join(" ", args) + " did not end within " + WAIT + "; err: " + err, e);
        }
    }

    private record Cli(int code, String out, String err) {
        String both() {
            return "exit " + code + "\n--- out\n" + out + "--- err\n" + err;
        }
    }
}
