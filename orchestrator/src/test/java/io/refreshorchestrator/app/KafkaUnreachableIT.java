package io.refreshorchestrator.app;

import static io.refreshorchestrator.app.OrchestratorFixture.scaled;
import static org.assertj.core.api.Assertions.assertThat;

import io.refreshorchestrator.OrchestratorMain;
import io.refreshorchestrator.local.FreePorts;
import io.refreshorchestrator.local.LocalStack;
import io.refreshorchestrator.local.LocalStackExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Kafka broker that does not answer at start: {@code run} says so at once in one line, waits
 * {@code kafka.start-timeout} without a warning per reconnect attempt, then exits 1 with that
 * message; {@code status} says it in one line after the commands' short wait.
 */
@ExtendWith(LocalStackExtension.class)
class KafkaUnreachableIT {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(8);

    @Test
    void shouldReportAnUnreachableBrokerOnceAndExitOneAfterTheStartTimeout(
            LocalStack stack, @TempDir Path dir) throws Exception {
        // given a reachable database and a broker address where nothing listens
        String deadBroker = "127.0.0.1:" + FreePorts.pick();
        Path config = writeConfig(stack, dir, deadBroker);

        // when run starts
        long started = System.nanoTime();
        try (var orchestrator =
                ChildOrchestrator.startWithShippedLogging(config, dir.resolve("run.log"))) {

            // then it gives up with exit code 1 once the start timeout has passed
            int exitCode = orchestrator.awaitExit(scaled(Duration.ofSeconds(90)));
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            String output = orchestrator.log();
            assertThat(exitCode).as("exit code; output:%n%s", output).isEqualTo(1);
            assertThat(took).as("waited the start timeout").isGreaterThan(START_TIMEOUT);

            // and the log said it once at the start of the wait, once at the end, nothing more
            assertThat(orchestrator.logLines(" WARN "))
                    .as("the only warning; output:%n%s", output)
                    .singleElement()
                    .satisfies(
                            line ->
                                    assertThat(line)
                                            .endsWith(
                                                    "Kafka broker at "
                                                            + deadBroker
                                                            + " is unreachable; waiting up to 8s"
                                                            + " (kafka.start-timeout)"));
            assertThat(orchestrator.logLines(" ERROR "))
                    .as("the only error; output:%n%s", output)
                    .singleElement()
                    .satisfies(
                            line ->
                                    assertThat(line)
                                            .endsWith(
                                                    "Refresh orchestrator failed to start: Kafka"
                                                            + " broker at "
                                                            + deadBroker
                                                            + " is unreachable: no answer within"
                                                            + " 8s (kafka.start-timeout)"));
            assertThat(output).doesNotContain("Timed out creating Kafka topic");
        }
    }

    @Test
    void shouldReportAnUnreachableBrokerInOneLineFromStatus(LocalStack stack, @TempDir Path dir)
            throws Exception {
        // given a reachable database and a broker address where nothing listens
        String deadBroker = "127.0.0.1:" + FreePorts.pick();
        Path config = writeConfig(stack, dir, deadBroker);
        var cli = OrchestratorMain.commandLine();
        var err = new StringWriter();
        cli.setErr(new PrintWriter(err, true));
        cli.setOut(new PrintWriter(new StringWriter(), true));

        // when
        long started = System.nanoTime();
        int code = cli.execute("status", "--config", config.toString());
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        // then one line and exit code 1 after the commands' wait
        assertThat(code).isEqualTo(1);
        assertThat(err.toString().lines())
                .containsExactly(
                        "Kafka broker at "
                                + deadBroker
                                + " is unreachable: no answer within 10s (the commands' wait of"
                                + " 10s)");
        assertThat(took).isLessThan(scaled(Duration.ofSeconds(30)));
    }

    private static Path writeConfig(LocalStack stack, Path dir, String broker) throws Exception {
        String database = stack.postgres().createDatabase("nokafka");
        var fixture = new OrchestratorFixture(stack, database, "nokafka").withoutCapture();
        fixture.execute(
                """
                CREATE TABLE public.nokafka_source (id bigserial PRIMARY KEY);
                CREATE SCHEMA analytics;
                CREATE MATERIALIZED VIEW analytics.nokafka_view AS
                  SELECT count(*) AS n FROM public.nokafka_source;
                """);
        String yaml =
                fixture.yaml(dir.resolve("state"), "jobs:\n  - view: analytics.nokafka_view\n")
                        .replace(
                                "  bootstrap-servers: " + fixture.bootstrap() + "\n",
                                "  bootstrap-servers: "
                                        + broker
                                        + "\n  start-timeout: "
                                        + START_TIMEOUT.toSeconds()
                                        + "s\n");
        assertThat(yaml).contains("start-timeout");
        return Files.writeString(dir.resolve("orchestrator.yml"), yaml);
    }
}
