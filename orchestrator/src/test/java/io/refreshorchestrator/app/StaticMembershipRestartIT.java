package io.refreshorchestrator.app;

import static io.refreshorchestrator.app.OrchestratorFixture.scaled;
import static org.assertj.core.api.Assertions.assertThat;

import io.refreshorchestrator.events.Reason;
import io.refreshorchestrator.events.RefreshResult;
import io.refreshorchestrator.events.Status;
import io.refreshorchestrator.events.Topics;
import io.refreshorchestrator.local.KafkaBroker;
import io.refreshorchestrator.local.KafkaBrokerOptions;
import io.refreshorchestrator.local.LocalStack;
import io.refreshorchestrator.local.LocalStackExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process killed with -9 and started again gets its work back at once, against a broker with
 * Kafka's default group settings (no short session timeout, the default initial rebalance delay):
 * the topology and the executor are static members ({@code instance-id}), so the restart takes the
 * dead member's place instead of waiting for its session (10 s here, 45 s by Kafka's default) to
 * time out. Prints the measured times.
 */
@ExtendWith(LocalStackExtension.class)
class StaticMembershipRestartIT {

    private static final Duration READY = scaled(Duration.ofSeconds(120));
    private static final Duration WAIT = scaled(Duration.ofSeconds(60));
    private static final Duration PROMISE = Duration.ofSeconds(5);
    private static final String JOB = "analytics.restart_view";

    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void stopEverything() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    @Test
    void shouldProcessTheFirstCommandWithinSecondsOfARestartAfterKill9(
            LocalStack stack, @TempDir Path dir) throws Exception {
        // given a broker with Kafka's default group settings (the stack's has no initial
        // rebalance delay) and an orchestrator that has processed a command
        var broker =
                KafkaBroker.start(
                        KafkaBrokerOptions.defaults()
                                .withBrokerProperty("group.initial.rebalance.delay.ms", "3000"));
        closeables.add(broker);
        String database = stack.postgres().createDatabase("restart");
        var fixture =
                new OrchestratorFixture(stack, database, "static")
                        .withoutCapture()
                        .withBootstrap(broker.bootstrapServers());
        fixture.execute(
                """
                CREATE TABLE public.plays (id bigserial PRIMARY KEY, track_id int NOT NULL);
                CREATE SCHEMA analytics;
                CREATE MATERIALIZED VIEW analytics.restart_view AS
                  SELECT track_id, count(*) AS plays FROM public.plays GROUP BY track_id;
                CREATE UNIQUE INDEX ON analytics.restart_view (track_id);
                """);
        String changeTopic = fixture.topicPrefix() + ".public.plays";
        broker.createTopic(changeTopic, 1);
        Path config =
                Files.writeString(
                        dir.resolve("orchestrator.yml"),
                        fixture.yaml(
                                dir.resolve("state"),
                                """
                                instance-id: restart-a
                                defaults:
                                  debounce: 100ms
                                  max-delay: 500ms
                                jobs:
                                  - view: %s
                                    sources: [public.plays]
                                """
                                        .formatted(JOB)),
                        StandardCharsets.UTF_8);
        var results =
                new TopicTail<>(
                        broker.bootstrapServers(), fixture.resultsTopic(), Topics.RESULT_SERDE);
        closeables.add(results);
        var first = ChildOrchestrator.start(config, logs().resolve("first.log"));
        closeables.add(first);
        first.awaitLog("Refresh orchestrator started", READY).awaitLog("-> RUNNING", READY);
        var beforeKill = sendManual(fixture);
        results.awaitFirst("the first process's result", WAIT, forCommand(beforeKill));

        // when it is killed with -9 and started again at once
        first.kill();
        Instant startedAt = Instant.now();
        var second = ChildOrchestrator.start(config, logs().resolve("second.log"));
        closeables.add(second);
        second.awaitLog("Refresh orchestrator started", READY);
        Instant up = Instant.now();
        var afterRestart = sendManual(fixture);
        publishChange(fixture, changeTopic);

        // then a command and a change are processed within seconds of the process being up
        var manual =
                results.awaitFirst(
                        "the manual command's result after the restart",
                        WAIT,
                        forCommand(afterRestart));
        Instant manualSeen = Instant.now();
        var change =
                results.awaitFirst(
                        "the change's refresh after the restart",
                        WAIT,
                        r -> r.reason() == Reason.DATA_CHANGE);
        Instant changeSeen = Instant.now();
        Duration toManual = Duration.between(up, manualSeen);
        Duration toChange = Duration.between(up, changeSeen);
        System.out.printf(
                "RESTART AFTER KILL -9 (default group settings): process up %d ms after start;"
                        + " first command processed %d ms after up (result finished %s);"
                        + " first change processed (%s) %d ms after up%n",
                Duration.between(startedAt, up).toMillis(),
                toManual.toMillis(),
                manual.finishedAt(),
                change.status(),
                toChange.toMillis());
        assertThat(manual.status()).isEqualTo(Status.SUCCEEDED);
        // SKIPPED when the manual command's run started after the insert: it covered the change
        assertThat(change.status()).isIn(Status.SUCCEEDED, Status.SKIPPED);
        assertThat(toManual).as("first command processed after the restart").isLessThan(PROMISE);
        assertThat(toChange).as("first change refreshed after the restart").isLessThan(PROMISE);
    }

    private static Predicate<RefreshResult> forCommand(UUID id) {
        return result -> id.equals(result.commandId());
    }

    private static UUID sendManual(OrchestratorFixture fixture) throws Exception {
        var id = UUID.randomUUID();
        fixture.send(
                fixture.commandsTopic(), JOB, "{\"job\":\"%s\",\"id\":\"%s\"}".formatted(JOB, id));
        return id;
    }

    /** A committed insert, announced as Debezium would (the test stands in for capture). */
    private static void publishChange(OrchestratorFixture fixture, String topic) throws Exception {
        long txId =
                fixture.count(
                        "WITH i AS (INSERT INTO public.plays (track_id) VALUES (7) RETURNING 1)"
                                + " SELECT txid_current() FROM i");
        long now = Instant.now().toEpochMilli();
        fixture.send(
                topic,
                "{\"id\":1}",
                """
                {"before":null,"after":{"id":1,"track_id":7},\
                "source":{"version":"3.6.1.Final","connector":"postgresql","name":"static",\
                "ts_ms":%d,"snapshot":"false","db":"app","schema":"public",\
                "table":"plays","txId":%d,"lsn":1},"op":"c","ts_ms":%d}"""
                        .formatted(now, txId, now));
    }

    /** Where the child processes' logs go: kept after the run, for diagnosis. */
    private static Path logs() throws java.io.IOException {
        return Files.createDirectories(Path.of("target", "it-logs", "StaticMembershipRestartIT"));
    }
}
