package io.refreshorchestrator.app;

import static io.refreshorchestrator.app.OrchestratorFixture.scaled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.refreshorchestrator.local.LocalStack;
import io.refreshorchestrator.local.LocalStackExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Kafka client that is not ours works with the topics: kcat (the Debian package {@code kcat})
 * publishes the README's minimal command {@code {"job": ...}} to {@code refresh-commands} and reads
 * its result from {@code refresh-results}, as the README's example does.
 */
@ExtendWith(LocalStackExtension.class)
class KcatIT {

    private static final Duration READY = scaled(Duration.ofSeconds(120));
    private static final String JOB = "analytics.kcat_view";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldRunACommandPublishedByKcatAndLetKcatReadItsResult(
            LocalStack stack, @TempDir Path dir) throws Exception {
        String kcat = kcat();
        // given a running orchestrator and a view
        String database = stack.postgres().createDatabase("kcat");
        var fixture = new OrchestratorFixture(stack, database, "kcat").withoutCapture();
        fixture.execute(
                """
                CREATE TABLE public.kcat_source (id bigserial PRIMARY KEY);
                CREATE SCHEMA analytics;
                CREATE MATERIALIZED VIEW analytics.kcat_view AS
                  SELECT count(*) AS n FROM public.kcat_source;
                """);
        var config =
                fixture.config(
                        dir.resolve("state"),
                        "jobs:\n  - view: " + JOB + "\n    sources: [public.kcat_source]\n",
                        "kcat.yml");
        try (var orchestrator = Orchestrator.start(config)) {
            assertThat(orchestrator.awaitReady(READY)).as("ready within %s", READY).isTrue();
            fixture.execute("INSERT INTO public.kcat_source DEFAULT VALUES");

            // when kcat publishes a manual command: key and value, nothing else
            run(
                    dir,
                    JOB + "|{\"job\":\"" + JOB + "\"}\n",
                    kcat,
                    "-P",
                    "-b",
                    fixture.bootstrap(),
                    "-t",
                    fixture.commandsTopic(),
                    "-K",
                    "|");

            // then kcat reads its MANUAL result from refresh-results
            var result = new ArrayList<JsonNode>();
            await("kcat reading a MANUAL result of " + JOB + " from " + fixture.resultsTopic())
                    .atMost(scaled(Duration.ofSeconds(60)))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(
                            () -> {
                                var found =
                                        manualResult(dir, kcat, fixture.resultsTopic(), fixture);
                                found.ifPresent(result::add);
                                return found.isPresent();
                            });
            JsonNode envelope = result.get(0);
            JsonNode payload = JSON.readTree(envelope.get("payload").asText());
            assertThat(envelope.get("key").asText()).isEqualTo(JOB);
            assertThat(payload.get("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(payload.get("kind").asText()).isEqualTo("REFRESH");
            assertThat(payload.hasNonNull("commandId")).isTrue();
            assertThat(fixture.count("SELECT n FROM " + JOB)).as("view refreshed").isEqualTo(1);
        }
    }

    private static Optional<JsonNode> manualResult(
            Path dir, String kcat, String topic, OrchestratorFixture fixture) throws Exception {
        String out =
                run(
                        dir,
                        "",
                        kcat,
                        "-C",
                        "-b",
                        fixture.bootstrap(),
                        "-t",
                        topic,
                        "-o",
                        "beginning",
                        "-e",
                        "-q",
                        "-J");
        for (String line : out.lines().filter(l -> !l.isBlank()).toList()) {
            JsonNode envelope = JSON.readTree(line);
            JsonNode payload = JSON.readTree(envelope.get("payload").asText());
            if (JOB.equals(payload.path("job").asText())
                    && "MANUAL".equals(payload.path("reason").asText())) {
                return Optional.of(envelope);
            }
        }
        return Optional.empty();
    }

    /** kcat's path; fails (never skips) when it is not installed. */
    private static String kcat() {
        for (String directory : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(directory, "kcat");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new AssertionError(
                "kcat is not installed (not on PATH): install it, e.g. `apt-get install kcat`"
                        + " (.ci/run does so)");
    }

    private static String run(Path dir, String input, String... command)
            throws IOException, InterruptedException {
        Path output = dir.resolve("kcat.out");
        Path errors = dir.resolve("kcat.err");
        Path inputFile = Files.writeString(dir.resolve("kcat.in"), input, StandardCharsets.UTF_8);
        var process =
                new ProcessBuilder(List.of(command))
                        .redirectError(errors.toFile())
                        .redirectInput(inputFile.toFile())
                        .redirectOutput(output.toFile())
                        .start();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError(
                    "kcat did not finish within 30 s: " + String.join(" ", command));
        }
        String out = Files.readString(output);
        assertThat(process.exitValue())
                .as("kcat exit code; errors:%n%s", Files.readString(errors))
                .isZero();
        return out;
    }
}
