package io.refreshorchestrator.api;

import static io.refreshorchestrator.app.OrchestratorFixture.scaled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.refreshorchestrator.app.Orchestrator;
import io.refreshorchestrator.app.OrchestratorFixture;
import io.refreshorchestrator.config.ConfigReader;
import io.refreshorchestrator.config.OrchestratorConfigLoader;
import io.refreshorchestrator.local.LocalStack;
import io.refreshorchestrator.local.LocalStackExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The HTTP API of a running orchestrator with capture on, against the real broker and PostgreSQL:
 * readiness follows the database, staleness follows a paused job, the metrics count refreshes, and
 * the write endpoints need the token.
 */
@ExtendWith(LocalStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HttpApiIT {

    private static final Duration READY = scaled(Duration.ofSeconds(120));
    private static final Duration WAIT = scaled(Duration.ofSeconds(60));
    private static final String JOB = "analytics.http_view";
    private static final String TOKEN = "it-token-7f3a";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private LocalStack stack;
    private OrchestratorFixture fixture;
    private Orchestrator orchestrator;
    private Path dir;
    private String base;
    private int nextId;

    @BeforeAll
    void start(LocalStack stack) throws Exception {
        this.stack = stack;
        dir = Files.createTempDirectory("http-api-it");
        String database = stack.postgres().createDatabase("httpapi");
        fixture =
                new OrchestratorFixture(stack, database, "httpapi")
                        .withHttpSettings("token-env: HTTP_IT_TOKEN");
        fixture.execute(
                """
                CREATE TABLE public.http_source (id bigint PRIMARY KEY);
                CREATE SCHEMA analytics;
                CREATE MATERIALIZED VIEW analytics.http_view AS
                  SELECT count(*) AS n FROM public.http_source;
                """);
        var yaml =
                fixture.yaml(
                        dir.resolve("state"),
                        """
                        defaults:
                          debounce: 200ms
                          max-delay: 1s
                        jobs:
                          - view: %s
                            sources: [public.http_source]
                        """
                                .formatted(JOB));
        var config =
                OrchestratorConfigLoader.read(
                        ConfigReader.fromYaml(yaml, "http-api-it", Map.of("HTTP_IT_TOKEN", TOKEN)));
        orchestrator = Orchestrator.start(config);
        assertThat(orchestrator.awaitReady(READY)).as("ready within %s", READY).isTrue();
        base = "http://127.0.0.1:" + orchestrator.httpPort().orElseThrow();
    }

    @AfterAll
    void stop() throws Exception {
        if (orchestrator != null) {
            orchestrator.close();
        }
        if (fixture != null) {
            fixture.dropSlot();
        }
    }

    @Test
    @Order(1)
    void shouldAcceptTheTriggerOnlyWithTheToken() throws Exception {
        // given the token the process was started with
        String path = "/jobs/" + JOB + "/refresh";

        // when / then: no token, a wrong one, an unknown job, the right one
        assertThat(post(path, null).statusCode()).as("without a token").isEqualTo(401);
        assertThat(post(path, "wrong-token").statusCode()).as("wrong token").isEqualTo(403);
        assertThat(post("/jobs/analytics.nope/refresh", TOKEN).statusCode())
                .as("unknown job")
                .isEqualTo(404);
        var accepted = post(path, TOKEN);
        assertThat(accepted.statusCode()).as("right token: %s", accepted.body()).isEqualTo(202);
        String commandId = JSON.readTree(accepted.body()).path("commandId").asText();
        assertThat(commandId).isNotBlank();

        // and the command published is the one the executor ran
        await("a result for the triggered command " + commandId)
                .atMost(WAIT)
                .until(() -> commandId.equals(job().path("lastResult").path("commandId").asText()));
        // SKIPPED: a run started just before (the start-up refresh) already covered it
        assertThat(job().path("lastResult").path("status").asText()).isIn("SUCCEEDED", "SKIPPED");
        assertThat(job().path("lastResult").path("reason").asText()).isEqualTo("MANUAL");
    }

    @Test
    @Order(2)
    void shouldCountARefreshInTheMetricsAfterAnInsert() throws Exception {
        // given the counter before
        String series =
                "refresh_orchestrator_refreshes_total{job=\"" + JOB + "\",status=\"SUCCEEDED\"}";
        double before = PrometheusText.parse(get("/metrics").body()).getOrDefault(series, 0.0);

        // when a row is inserted
        insert();

        // then the refresh it causes is counted, with its duration and lag
        await("the SUCCEEDED counter of " + JOB + " above " + before)
                .atMost(WAIT)
                .until(
                        () ->
                                PrometheusText.parse(get("/metrics").body())
                                                .getOrDefault(series, 0.0)
                                        > before);
        var metrics = PrometheusText.parse(get("/metrics").body());
        assertThat(metrics.keySet())
                .anyMatch(
                        name ->
                                name.startsWith(
                                        "refresh_orchestrator_refresh_duration_seconds_bucket{"))
                .anyMatch(
                        name ->
                                name.startsWith(
                                        "refresh_orchestrator_freshness_lag_seconds_count{job=\""
                                                + JOB))
                .anyMatch(name -> name.startsWith("refresh_orchestrator_change_events_total"))
                .anyMatch(name -> name.startsWith("refresh_orchestrator_slot_retained_wal_bytes"))
                .anyMatch(name -> name.startsWith("jvm_memory_used_bytes"))
                .anyMatch(name -> name.startsWith("kafka_stream_"));
        assertThat(metrics.get("refresh_orchestrator_change_events_total")).isPositive();
    }

    @Test
    @Order(3)
    void shouldShowStalenessGrowingWhilePausedAndZeroAfterResume() throws Exception {
        // given a paused job
        assertThat(post("/jobs/" + JOB + "/pause", TOKEN).statusCode()).isEqualTo(202);
        await("the pause applied").atMost(WAIT).until(() -> job().path("paused").asBoolean());

        // when a change arrives while it is paused
        insert();

        // then its staleness grows
        await("pending changes on the paused job")
                .atMost(WAIT)
                .until(() -> job().path("pendingChanges").asLong() > 0);
        long first = job().path("stalenessMs").asLong();
        assertThat(first).isPositive();
        await("staleness above " + first)
                .atMost(WAIT)
                .until(() -> job().path("stalenessMs").asLong() > first + 500);
        assertThat(job().path("nextCommandAt").isNull())
                .as("the held command's deadline")
                .isFalse();

        // and after resume it is back to 0, a SUCCEEDED refresh covering the change
        assertThat(post("/jobs/" + JOB + "/resume", TOKEN).statusCode()).isEqualTo(202);
        await("staleness 0 after resume")
                .atMost(WAIT)
                .until(
                        () -> {
                            var job = job();
                            return !job.path("paused").asBoolean()
                                    && job.path("stalenessMs").asLong() == 0
                                    && job.path("pendingChanges").asLong() == 0;
                        });
        assertThat(job().path("lastResult").path("status").asText()).isEqualTo("SUCCEEDED");
    }

    @Test
    @Order(4)
    void shouldGoNotReadyWhilePostgresIsDownAndBackAfter() throws Exception {
        // given a ready process
        await("ready").atMost(WAIT).until(() -> get("/health/ready").statusCode() == 200);
        assertThat(get("/health/live").statusCode()).isEqualTo(200);
        assertThat(
                        JSON.readTree(get("/health/ready").body())
                                .path("parts")
                                .path("capture")
                                .has("retainedWalBytes"))
                .isTrue();

        // when PostgreSQL stops
        stack.postgres().stop();
        try {
            // then readiness says the database is the problem
            await("not ready while PostgreSQL is down")
                    .atMost(WAIT)
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> get("/health/ready").statusCode() == 503);
            var body = JSON.readTree(get("/health/ready").body());
            assertThat(body.path("ready").asBoolean()).isFalse();
            assertThat(body.path("parts").path("postgres").path("ready").asBoolean()).isFalse();
            assertThat(body.path("parts").path("postgres").path("detail").asText()).isNotBlank();
            assertThat(get("/health/live").statusCode()).as("still live").isEqualTo(200);
        } finally {
            stack.postgres().restart();
        }

        // and ready again once it is back (capture streaming again)
        await("ready again after PostgreSQL restarted")
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(500))
                .until(() -> get("/health/ready").statusCode() == 200);
    }

    private JsonNode job() throws Exception {
        var response = get("/jobs/" + JOB);
        assertThat(response.statusCode())
                .as("GET /jobs/%s: %s", JOB, response.body())
                .isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private void insert() throws Exception {
        fixture.execute("INSERT INTO public.http_source VALUES (" + (++nextId) + ")");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(base + path))
                        .timeout(Duration.ofSeconds(10))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String token) throws Exception {
        var request =
                HttpRequest.newBuilder(URI.create(base + path))
                        .timeout(Duration.ofSeconds(15))
                        .POST(HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The samples of a Prometheus text exposition: series (name and labels) to value. */
    static final class PrometheusText {
        static Map<String, Double> parse(String text) {
            var samples = new HashMap<String, Double>();
            for (var line : text.split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                int space = line.lastIndexOf(' ');
                samples.put(
                        line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
            }
            return samples;
        }
    }
}
