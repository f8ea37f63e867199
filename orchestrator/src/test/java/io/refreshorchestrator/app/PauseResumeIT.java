package io.refreshorchestrator.app;

import static io.refreshorchestrator.app.OrchestratorFixture.scaled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.refreshorchestrator.OrchestratorMain;
import io.refreshorchestrator.config.OrchestratorConfigLoader;
import io.refreshorchestrator.events.JsonSerde;
import io.refreshorchestrator.events.Reason;
import io.refreshorchestrator.events.RefreshCommand;
import io.refreshorchestrator.events.Topics;
import io.refreshorchestrator.local.LocalStack;
import io.refreshorchestrator.local.LocalStackExtension;
import io.refreshorchestrator.topology.RefreshTopology;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pause JOB} and {@code resume JOB} on the real broker: the CLI's control records reach the
 * running topology; a paused job's changes are held and commanded once on resume.
 */
@ExtendWith(LocalStackExtension.class)
class PauseResumeIT {

    private static final Duration READY = scaled(Duration.ofSeconds(120));
    private static final Duration WAIT = scaled(Duration.ofSeconds(60));
    private static final String JOB = "analytics.paused_view";

    private final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
    }

    @Test
    void shouldHoldAPausedJobAndCommandItOnceOnResume(LocalStack stack, @TempDir Path dir)
            throws Exception {
        // given a running orchestrator and a paused job
        String database = stack.postgres().createDatabase("pause");
        try (var connection = stack.postgres().connect(database)) {
            connection
                    .createStatement()
                    .execute(
                            """
                            CREATE TABLE public.paused_source (id bigserial PRIMARY KEY);
                            CREATE SCHEMA analytics;
                            CREATE MATERIALIZED VIEW analytics.paused_view AS
                              SELECT count(*) AS n FROM public.paused_source;
                            """);
        }
        var fixture = new OrchestratorFixture(stack, database, "pause").withoutCapture();
        String changeTopic = fixture.topicPrefix() + ".public.paused_source";
        stack.kafka().createTopic(changeTopic, 1);
        Path config = writeConfig(fixture, dir);
        var orchestrator = Orchestrator.start(OrchestratorConfigLoader.load(config, Map.of()));
        opened.add(orchestrator);
        assertThat(orchestrator.awaitReady(READY)).as("topology running within %s", READY).isTrue();
        String bootstrap = fixture.bootstrap();
        var commands = tail(bootstrap, fixture.commandsTopic(), Topics.COMMAND_SERDE);
        var jobStates =
                tail(
                        bootstrap,
                        fixture.name() + "-" + RefreshTopology.JOB_STATE_STORE + "-changelog",
                        new JsonSerde<>(JsonNode.class));

        assertThat(cli("pause", JOB, "--config", config.toString())).isZero();
        await("the pause applied by the topology")
                .atMost(WAIT)
                .until(
                        () ->
                                !jobStates
                                        .matching(s -> s != null && s.path("paused").asBoolean())
                                        .isEmpty());

        // when three changes arrive and well more than the max delay (2 s) passes
        for (int i = 0; i < 3; i++) {
            publishInsert(fixture, changeTopic, i);
        }
        await("no command for the paused job")
                .during(scaled(Duration.ofSeconds(5)))
                .atMost(WAIT)
                .until(() -> commands.matching(c -> c.job().equals(JOB)).isEmpty());

        // and the job is resumed
        assertThat(cli("resume", JOB, "--config", config.toString())).isZero();

        // then one command covers the three held changes
        await("a command for " + JOB + " after resume")
                .atMost(WAIT)
                .until(() -> !commands.matching(c -> c.job().equals(JOB)).isEmpty());
        await("still exactly one command for " + JOB)
                .during(scaled(Duration.ofSeconds(3)))
                .atMost(WAIT)
                .until(() -> commands.matching(c -> c.job().equals(JOB)).size() == 1);
        RefreshCommand command = commands.matching(c -> c.job().equals(JOB)).get(0);
        assertThat(command.reason()).isEqualTo(Reason.DATA_CHANGE);
        assertThat(command.changes().count()).isEqualTo(3);
    }

    @Test
    void shouldPauseADiscoveredJobOfOneDeploymentOnly(LocalStack stack, @TempDir Path dir)
            throws Exception {
        // given two deployments on one broker sharing one control topic: A discovers the view,
        // B lists it under jobs:
        String database = stack.postgres().createDatabase("pause2");
        try (var connection = stack.postgres().connect(database)) {
            connection
                    .createStatement()
                    .execute(
                            """
                            CREATE TABLE public.paused_source (id bigserial PRIMARY KEY);
                            CREATE SCHEMA analytics;
                            CREATE MATERIALIZED VIEW analytics.paused_view AS
                              SELECT count(*) AS n FROM public.paused_source;
                            """);
        }
        String sharedControl = "pause-shared-control-" + System.nanoTime();
        var first = new OrchestratorFixture(stack, database, "pausea").withoutCapture();
        var second = new OrchestratorFixture(stack, database, "pauseb").withoutCapture();
        Path firstConfig =
                write(
                        dir.resolve("a.yml"),
                        first,
                        dir.resolve("state-a"),
                        sharedControl,
                        "discovery:\n  schemas: [analytics]\n");
        Path secondConfig =
                write(
                        dir.resolve("b.yml"),
                        second,
                        dir.resolve("state-b"),
                        sharedControl,
                        "jobs:\n  - view: " + JOB + "\n");
        for (var fixture : List.of(first, second)) {
            stack.kafka().createTopic(fixture.topicPrefix() + ".public.paused_source", 1);
        }
        var a = Orchestrator.start(OrchestratorConfigLoader.load(firstConfig, Map.of()));
        opened.add(a);
        var b = Orchestrator.start(OrchestratorConfigLoader.load(secondConfig, Map.of()));
        opened.add(b);
        assertThat(a.awaitReady(READY)).as("A's topology running within %s", READY).isTrue();
        assertThat(b.awaitReady(READY)).as("B's topology running within %s", READY).isTrue();
        var firstCommands = tail(first.bootstrap(), first.commandsTopic(), Topics.COMMAND_SERDE);
        var secondCommands = tail(second.bootstrap(), second.commandsTopic(), Topics.COMMAND_SERDE);
        var firstStates = jobStates(first);
        var secondStates = jobStates(second);

        // when A's job, known only from the catalog, is paused with A's file
        assertThat(cli("pause", JOB, "--config", firstConfig.toString())).isZero();

        // then A applies it
        await("the pause applied by deployment A")
                .atMost(WAIT)
                .until(
                        () ->
                                !firstStates
                                        .matching(s -> s != null && s.path("paused").asBoolean())
                                        .isEmpty());

        // and when a change reaches each deployment, B commands its job and A holds it
        publishInsert(first, first.topicPrefix() + ".public.paused_source", 1);
        publishInsert(second, second.topicPrefix() + ".public.paused_source", 1);
        await("a command of deployment B, which ignored A's pause")
                .atMost(WAIT)
                .until(() -> !secondCommands.matching(c -> c.job().equals(JOB)).isEmpty());
        await("no command of the paused deployment A")
                .during(scaled(Duration.ofSeconds(5)))
                .atMost(WAIT)
                .until(() -> firstCommands.matching(c -> c.job().equals(JOB)).isEmpty());
        assertThat(secondStates.matching(s -> s != null && s.path("paused").asBoolean()))
                .as("B's job never paused")
                .isEmpty();

        // and a name that is neither listed nor discovered is refused after asking the catalog
        var err = new StringWriter();
        assertThat(cli(err, "resume", "analytics.customer_totals", "-c", firstConfig.toString()))
                .isEqualTo(2);
        assertThat(err.toString())
                .contains(
                        "no job 'analytics.customer_totals': it is not listed under jobs: in "
                                + firstConfig
                                + ", and discovery (schemas [analytics]) does not find it among"
                                + " the 1 job(s) of the catalog");
    }

    @Test
    void shouldSayThatTheControlTopicIsMissingInsteadOfWaitingForIt(
            LocalStack stack, @TempDir Path dir) throws Exception {
        // given a reachable broker on which no orchestrator has created this control topic
        String database = stack.postgres().createDatabase("pause3");
        var fixture = new OrchestratorFixture(stack, database, "pausec").withoutCapture();
        String control = "pause-missing-control-" + System.nanoTime();
        Path config =
                write(
                        dir.resolve("c.yml"),
                        fixture,
                        dir.resolve("state"),
                        control,
                        "jobs:\n  - view: " + JOB + "\n");
        var err = new StringWriter();

        // when
        long started = System.nanoTime();
        int code = cli(err, "pause", JOB, "--config", config.toString());
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        // then one line says what is missing, at once
        assertThat(code).isEqualTo(1);
        assertThat(err.toString().lines())
                .containsExactly(
                        "topic "
                                + control
                                + " (topics.control) does not exist at "
                                + fixture.bootstrap()
                                + ": run creates it when it starts, so start the orchestrator"
                                + " first (or check topics.control)");
        assertThat(took).isLessThan(scaled(Duration.ofSeconds(20)));
    }

    private TopicTail<JsonNode> jobStates(OrchestratorFixture fixture) {
        return tail(
                fixture.bootstrap(),
                fixture.name() + "-" + RefreshTopology.JOB_STATE_STORE + "-changelog",
                new JsonSerde<>(JsonNode.class));
    }

    private static Path write(
            Path file, OrchestratorFixture fixture, Path stateDir, String control, String jobs)
            throws Exception {
        String yaml =
                fixture.yaml(
                                stateDir,
                                """
                                defaults:
                                  debounce: 500ms
                                  max-delay: 2s
                                """
                                        + jobs)
                        .replace("topics:\n", "topics:\n  control: " + control + "\n");
        return Files.writeString(file, yaml);
    }

    private static int cli(StringWriter err, String... args) {
        var cli = OrchestratorMain.commandLine();
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private static int cli(String... args) {
        var err = new StringWriter();
        int code = cli(err, args);
        assertThat(err.toString()).as("stderr of %s", String.join(" ", args)).isEmpty();
        return code;
    }

    private <T> TopicTail<T> tail(String bootstrap, String topic, JsonSerde<T> serde) {
        var tail = new TopicTail<>(bootstrap, topic, serde);
        opened.add(tail);
        return tail;
    }

    private static void publishInsert(OrchestratorFixture fixture, String topic, int id)
            throws Exception {
        long now = Instant.now().toEpochMilli();
        String event =
                """
                {"before":null,"after":{"id":%d},\
                "source":{"version":"3.6.1.Final","connector":"postgresql","name":"pause",\
                "ts_ms":%d,"snapshot":"false","db":"app","schema":"public",\
                "table":"paused_source","txId":%d,"lsn":%d},"op":"c","ts_ms":%d}"""
                        .formatted(id, now, 2000 + id, 5000 + id, now);
        fixture.send(topic, "{\"id\":" + id + "}", event);
    }

    private static Path writeConfig(OrchestratorFixture fixture, Path dir) throws Exception {
        var yaml =
                fixture.yaml(
                        dir.resolve("state"),
                        """
                        defaults:
                          debounce: 500ms
                          max-delay: 2s
                        jobs:
                          - view: %s
                            sources: [public.paused_source]
                        """
                                .formatted(JOB));
        return Files.writeString(dir.resolve("orchestrator.yml"), yaml);
    }
}
