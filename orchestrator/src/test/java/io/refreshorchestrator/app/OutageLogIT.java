package io.refreshorchestrator.app;

import static io.refreshorchestrator.app.OrchestratorFixture.scaled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.refreshorchestrator.local.LocalStack;
import io.refreshorchestrator.local.LocalStackExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker (killed) or the database (stopped) goes away for 10 s under a running orchestrator
 * (capture, topology, executor, run history, HTTP API; the shipped logging configuration): the
 * operator reads one WARN when the outage starts and one INFO with its length when it ends, not a
 * WARN per reconnect attempt of every client.
 */
@ExtendWith(LocalStackExtension.class)
class OutageLogIT {

    private static final Duration READY = scaled(Duration.ofSeconds(120));
    private static final Duration OUTAGE = Duration.ofSeconds(10);
    private static final String JOB = "analytics.outage_view";

    /** {@code 2026-11-29T05:41:07.123+00:00 WARN ...}: date, time and zone on every line. */
    private static final Pattern STAMPED_LINE =
            Pattern.compile(
                    "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}([+-]\\d{2}:\\d{2}|Z) .*");

    @Test
    void shouldLogABrokerOutageOnceWhenItStartsAndOnceWithItsLengthWhenItEnds(
            LocalStack stack, @TempDir Path dir) throws Exception {
        // given a running orchestrator with the shipped logging configuration
        var fixture = fixture(stack, "kafkaoutage");
        try (var orchestrator = start(fixture, dir, "broker-outage.log")) {
            int logBefore = orchestrator.log().length();

            // when the broker is killed and comes back 10 s later
            Instant stoppedAt = Instant.now();
            try {
                stack.kafka().kill();
                fixture.execute("INSERT INTO public.outage_source (n) VALUES (2)");
                awaitOutage(stoppedAt);
            } finally {
                stack.kafka().restart();
            }

            // then the change made during the outage is refreshed once the broker is back
            awaitRefreshed(fixture, 2);
            var warnings =
                    warningsOnceEnded(
                            orchestrator,
                            logBefore,
                            "Kafka broker at \\S+ is reachable again after \\d+\\.\\d s");

            // and fewer than 10 WARN lines, among them the start of the outage
            assertThat(warnings)
                    .hasSizeLessThan(10)
                    .anySatisfy(
                            line ->
                                    assertThat(line)
                                            .containsPattern(
                                                    "Kafka broker at \\S+ is unreachable"));
            assertThat(orchestrator.log().lines().filter(l -> !l.isBlank()).limit(5))
                    .as("timestamps carry date and zone")
                    .allMatch(line -> STAMPED_LINE.matcher(line).matches());
        }
    }

    @Test
    void shouldLogADatabaseOutageOnceWhenItStartsAndOnceWithItsLengthWhenItEnds(
            LocalStack stack, @TempDir Path dir) throws Exception {
        // given a running orchestrator with the shipped logging configuration
        var fixture = fixture(stack, "pgoutage");
        try (var orchestrator = start(fixture, dir, "database-outage.log")) {
            int logBefore = orchestrator.log().length();

            // when the database stops, a manual command arrives, and 10 s later it is back
            Instant stoppedAt = Instant.now();
            try {
                stack.postgres().stop();
                fixture.send(fixture.commandsTopic(), JOB, "{\"job\":\"" + JOB + "\"}");
                awaitOutage(stoppedAt);
            } finally {
                stack.postgres().restart();
            }

            // then the executor says once that the database was away, and for how long
            fixture.execute("INSERT INTO public.outage_source (n) VALUES (2)");
            awaitRefreshed(fixture, 2);
            var warnings =
                    warningsOnceEnded(
                            orchestrator,
                            logBefore,
                            "PostgreSQL \\(executor\\) is reachable again after \\d+\\.\\d s");
            assertThat(warnings)
                    .hasSizeLessThan(10)
                    .anySatisfy(
                            line ->
                                    assertThat(line)
                                            .contains("PostgreSQL (executor) is unreachable"));
        }
    }

    @Test
    void shouldWriteOneJsonObjectPerLineWithLogFormatJson(LocalStack stack, @TempDir Path dir)
            throws Exception {
        // given a configuration whose broker does not answer: run logs a WARN, then an ERROR
        var fixture = fixture(stack, "jsonlog");
        String deadBroker = "127.0.0.1:" + io.refreshorchestrator.local.FreePorts.pick();
        Path config =
                Files.writeString(
                        dir.resolve("orchestrator.yml"),
                        fixture.yaml(dir.resolve("state"), "jobs:\n  - view: " + JOB + "\n")
                                .replace(
                                        "  bootstrap-servers: " + fixture.bootstrap() + "\n",
                                        "  bootstrap-servers: "
                                                + deadBroker
                                                + "\n  start-timeout: 4s\n"));
        Path log = Files.createDirectories(Path.of("target", "it-logs")).resolve("json.log");

        // when run starts with --log-format json
        try (var orchestrator =
                ChildOrchestrator.startWithShippedLogging(
                        config, log, List.of("--log-format", "json"))) {
            assertThat(orchestrator.awaitExit(scaled(Duration.ofSeconds(60)))).isEqualTo(1);

            // then every line is one JSON object with level, logger and the message as read
            var json = new com.fasterxml.jackson.databind.ObjectMapper();
            var lines = orchestrator.log().lines().filter(l -> !l.isBlank()).toList();
            assertThat(lines).as("log lines").isNotEmpty();
            var events = new java.util.ArrayList<com.fasterxml.jackson.databind.JsonNode>();
            for (String line : lines) {
                events.add(json.readTree(line));
            }
            assertThat(events)
                    .anySatisfy(
                            event -> {
                                assertThat(event.path("level").asText()).isEqualTo("WARN");
                                assertThat(event.path("timestamp").asLong()).isPositive();
                                assertThat(event.path("formattedMessage").asText())
                                        .isEqualTo(
                                                "Kafka broker at "
                                                        + deadBroker
                                                        + " is unreachable; waiting up to 4s"
                                                        + " (kafka.start-timeout)");
                            })
                    .anySatisfy(
                            event -> assertThat(event.path("level").asText()).isEqualTo("ERROR"));
        }
    }

    private static OrchestratorFixture fixture(LocalStack stack, String name) throws Exception {
        String database = stack.postgres().createDatabase(name);
        var fixture = new OrchestratorFixture(stack, database, name);
        fixture.execute(
                """
                CREATE TABLE public.outage_source (id bigserial PRIMARY KEY, n int NOT NULL);
                CREATE SCHEMA analytics;
                CREATE MATERIALIZED VIEW analytics.outage_view AS
                  SELECT count(*) AS rows, coalesce(sum(n), 0) AS total FROM public.outage_source;
                """);
        return fixture;
    }

    /** The orchestrator, ready, having refreshed one row; its log kept in target/it-logs. */
    private static ChildOrchestrator start(OrchestratorFixture fixture, Path dir, String logName)
            throws Exception {
        Path config =
                Files.writeString(
                        dir.resolve("orchestrator.yml"),
                        fixture.yaml(
                                dir.resolve("state"),
                                """
                                history:
                                  enabled: true
                                defaults:
                                  debounce: 200ms
                                  max-delay: 2s
                                jobs:
                                  - view: %s
                                """
                                        .formatted(JOB)));
        Path log = Files.createDirectories(Path.of("target", "it-logs")).resolve(logName);
        var orchestrator = ChildOrchestrator.startWithShippedLogging(config, log);
        try {
            orchestrator.awaitReady(READY);
            fixture.execute("INSERT INTO public.outage_source (n) VALUES (1)");
            awaitRefreshed(fixture, 1);
            return orchestrator;
        } catch (Exception | AssertionError e) {
            orchestrator.close();
            throw e;
        }
    }

    private static void awaitOutage(Instant stoppedAt) {
        await("an outage of " + OUTAGE + " to pass")
                .atMost(OUTAGE.plusSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> Instant.now().isAfter(stoppedAt.plus(OUTAGE)));
    }

    /**
     * Waits for the INFO line matching {@code endPattern} (the end of the outage with its length)
     * and returns the WARN lines logged since {@code logBefore}, printing them.
     */
    private static List<String> warningsOnceEnded(
            ChildOrchestrator orchestrator, int logBefore, String endPattern) throws Exception {
        var end = Pattern.compile(" INFO .*" + endPattern);
        await("an INFO line matching '" + endPattern + "'")
                .atMost(scaled(Duration.ofSeconds(60)))
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () ->
                                orchestrator
                                        .log()
                                        .substring(logBefore)
                                        .lines()
                                        .anyMatch(line -> end.matcher(line).find()));
        String during = orchestrator.log().substring(logBefore);
        List<String> warnings = during.lines().filter(l -> l.contains(" WARN ")).toList();
        System.out.printf(
                "OutageLogIT: %d WARN line(s) during a %s outage:%n%s%nINFO: %s%n",
                warnings.size(),
                OUTAGE,
                String.join("\n", warnings),
                during.lines().filter(l -> end.matcher(l).find()).toList());
        return warnings;
    }

    private static void awaitRefreshed(OrchestratorFixture fixture, long rows) {
        await("a refresh of " + JOB + " showing " + rows + " row(s)")
                .atMost(scaled(Duration.ofSeconds(120)))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> fixture.count("SELECT rows FROM " + JOB) == rows);
    }
}
