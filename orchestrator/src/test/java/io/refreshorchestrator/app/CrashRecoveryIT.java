package io.refreshorchestrator.app;

import static io.refreshorchestrator.app.OrchestratorFixture.scaled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.refreshorchestrator.OrchestratorMain;
import io.refreshorchestrator.events.JsonSerde;
import io.refreshorchestrator.events.Reason;
import io.refreshorchestrator.events.RefreshCommand;
import io.refreshorchestrator.events.Topics;
import io.refreshorchestrator.local.LocalStack;
import io.refreshorchestrator.local.LocalStackExtension;
import io.refreshorchestrator.topology.RefreshTopology;
import io.refreshorchestrator.topology.StoreValues;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The orchestrator process is killed (SIGKILL, no shutdown hook, no commit) after a change arrived
 * and before its deadline; after a restart its command is emitted, exactly once as a read_committed
 * consumer sees it.
 */
@ExtendWith(LocalStackExtension.class)
class CrashRecoveryIT {

    private static final Duration READY = scaled(Duration.ofSeconds(120));
    private static final Duration WAIT = scaled(Duration.ofSeconds(60));

    /** Long enough that the kill surely lands before the deadline, even on a busy machine. */
    private static final Duration DEBOUNCE = scaled(Duration.ofSeconds(20));

    private static final String JOB = "analytics.crash_view";

    private final List<Process> children = new ArrayList<>();
    private final List<AutoCloseable> tails = new ArrayList<>();

    @AfterEach
    void stopEverything() throws Exception {
        for (Process child : children) {
            child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        for (AutoCloseable tail : tails) {
            tail.close();
        }
    }

    @Test
    void shouldEmitAPendingCommandExactlyOnceAfterTheProcessWasKilled(
            LocalStack stack, @TempDir Path dir) throws Exception {
        // given an orchestrator process with a long debounce, and a change it has folded into its
        // changelogged state (committed, so it survives the crash)
        String database = stack.postgres().createDatabase("crash");
        createView(stack, database);
        var fixture =
                // no short session timeout: the restart is the same static member (instance-id,
                // the host name by default) and takes the killed one's place at once
                new OrchestratorFixture(stack, database, "crash").withoutCapture();
        String changeTopic = fixture.topicPrefix() + ".public.crash_source";
        stack.kafka().createTopic(changeTopic, 1);
        Path config = writeConfig(fixture, dir);
        Path firstLog = dir.resolve("first.log");
        Process first = startOrchestrator(config, firstLog);
        awaitRunning(firstLog);

        String bootstrap = fixture.bootstrap();
        var commands = tail(bootstrap, fixture.commandsTopic(), Topics.COMMAND_SERDE);
        var pendingChangelog =
                new TopicTail<>(
                        bootstrap,
                        fixture.name() + "-" + RefreshTopology.PENDING_STORE + "-changelog",
                        StoreValues::pendingCount);
        tails.add(pendingChangelog);
        publishInsert(fixture, changeTopic);
        await("the change folded into the committed pending state of " + JOB)
                .atMost(WAIT)
                .until(() -> !pendingChangelog.matching(count -> count > 0).isEmpty());
        assertThat(commands.matching(c -> c.job().equals(JOB)))
                .as("no command before the deadline (debounce %s)", DEBOUNCE)
                .isEmpty();

        // when the process is killed, not closed, and started again
        first.destroyForcibly();
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).as("killed process exited").isTrue();
        assertThat(commands.matching(c -> c.job().equals(JOB)))
                .as("no command before the kill")
                .isEmpty();
        Path secondLog = dir.resolve("second.log");
        startOrchestrator(config, secondLog);

        // then the pending command is emitted after the restart
        await("a DATA_CHANGE command for " + JOB + " after the restart")
                .atMost(READY.plus(DEBOUNCE))
                .until(() -> !commands.matching(c -> c.job().equals(JOB)).isEmpty());

        // and only once, covering the one change
        await("still exactly one command for " + JOB)
                .during(scaled(Duration.ofSeconds(5)))
                .atMost(WAIT)
                .until(() -> commands.matching(c -> c.job().equals(JOB)).size() == 1);
        RefreshCommand command = commands.matching(c -> c.job().equals(JOB)).get(0);
        assertThat(command.reason()).isEqualTo(Reason.DATA_CHANGE);
        assertThat(command.changes().count()).isEqualTo(1);
        assertThat(command.changes().tables()).containsExactly("public.crash_source");
    }

    private Process startOrchestrator(Path config, Path log) throws IOException {
        var command =
                List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx256m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        OrchestratorMain.class.getName(),
                        "run",
                        "--config",
                        config.toString());
        var builder =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("PGPASSWORD", "unused");
        Process child = builder.start();
        children.add(child);
        return child;
    }

    private static void awaitRunning(Path log) {
        await("the orchestrator's topology RUNNING (log " + log + ")")
                .atMost(READY)
                .until(() -> Files.exists(log) && Files.readString(log).contains("-> RUNNING"));
    }

    private <T> TopicTail<T> tail(String bootstrap, String topic, JsonSerde<T> serde) {
        var tail = new TopicTail<>(bootstrap, topic, serde);
        tails.add(tail);
        return tail;
    }

    private static void publishInsert(OrchestratorFixture fixture, String topic) throws Exception {
        long now = Instant.now().toEpochMilli();
        String event =
                """
                {"before":null,"after":{"id":1,"track_id":7},\
                "source":{"version":"3.6.1.Final","connector":"postgresql","name":"crash",\
                "ts_ms":%d,"snapshot":"false","db":"app","schema":"public",\
                "table":"crash_source","txId":1001,"lsn":4242},"op":"c","ts_ms":%d}"""
                        .formatted(now, now);
        fixture.send(topic, "{\"id\":1}", event);
    }

    private static void createView(LocalStack stack, String database) throws SQLException {
        try (var connection = stack.postgres().connect(database)) {
            connection
                    .createStatement()
                    .execute(
                            """
                            CREATE TABLE public.crash_source (
                              id bigserial PRIMARY KEY, track_id int NOT NULL);
                            CREATE SCHEMA analytics;
                            CREATE MATERIALIZED VIEW analytics.crash_view AS
                              SELECT track_id, count(*) AS plays FROM public.crash_source
                              GROUP BY track_id;
                            CREATE UNIQUE INDEX ON analytics.crash_view (track_id);
                            """);
        }
    }

    private static Path writeConfig(OrchestratorFixture fixture, Path dir) throws IOException {
        var yaml =
                fixture.yaml(
                        dir.resolve("state"),
                        """
                        defaults:
                          debounce: %dms
                          max-delay: %dms
                        jobs:
                          - view: %s
                            sources: [public.crash_source]
                        """
                                .formatted(
                                        DEBOUNCE.toMillis(),
                                        DEBOUNCE.multipliedBy(2).toMillis(),
                                        JOB));
        return Files.writeString(dir.resolve("orchestrator.yml"), yaml, StandardCharsets.UTF_8);
    }
}
