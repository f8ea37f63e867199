package io.refreshorchestrator.app;

import static io.refreshorchestrator.app.OrchestratorFixture.scaled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.refreshorchestrator.OrchestratorMain;
import io.refreshorchestrator.config.OrchestratorConfigLoader;
import io.refreshorchestrator.events.JsonSerde;
import io.refreshorchestrator.events.Reason;
import io.refreshorchestrator.events.RefreshCommand;
import io.refreshorchestrator.events.Topics;
import io.refreshorchestrator.local.LocalStack;
import io.refreshorchestrator.local.LocalStackExtension;
import io.refreshorchestrator.topology.RefreshTopology;
import io.refreshorchestrator.topology.StoreValues;
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
                new TopicTail<>(
                        bootstrap,
                        fixture.name() + "-" + RefreshTopology.JOB_STATE_STORE + "-changelog",
                        StoreValues::paused);
        opened.add(jobStates);

        assertThat(cli("pause", JOB, "--config", config.toString())).isZero();
        await("the pause applied by the topology")
                .atMost(WAIT)
                .until(() -> !jobStates.matching(Boolean.TRUE::equals).isEmpty());

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

    private static int cli(String... args) {
        var cli = OrchestratorMain.commandLine();
        var err = new StringWriter();
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
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
