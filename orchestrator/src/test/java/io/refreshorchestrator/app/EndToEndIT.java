package io.refreshorchestrator.app;

import static io.refreshorchestrator.app.OrchestratorFixture.scaled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.refreshorchestrator.config.ConfigReader;
import io.refreshorchestrator.config.OrchestratorConfigLoader;
import io.refreshorchestrator.events.DeadLetter;
import io.refreshorchestrator.events.Reason;
import io.refreshorchestrator.events.RefreshCommand;
import io.refreshorchestrator.events.RefreshMode;
import io.refreshorchestrator.events.RefreshResult;
import io.refreshorchestrator.events.Status;
import io.refreshorchestrator.events.Topics;
import io.refreshorchestrator.local.LocalStack;
import io.refreshorchestrator.local.LocalStackExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The whole path on a real Kafka broker and a real PostgreSQL: a committed change to a source table
 * → Debezium event → debounced refresh command → REFRESH → result.
 */
@ExtendWith(LocalStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EndToEndIT {

    private static final Duration READY = scaled(Duration.ofSeconds(120));
    private static final Duration WAIT = scaled(Duration.ofSeconds(60));

    private static final List<String> JOBS =
            List.of(
                    "analytics.single_plays",
                    "analytics.burst_plays",
                    "analytics.listeners_blocking",
                    "analytics.never_populated");

    private OrchestratorFixture fixture;
    private Orchestrator orchestrator;
    private Topics topics;
    private TopicTail<RefreshResult> results;
    private TopicTail<RefreshCommand> commands;
    private TopicTail<DeadLetter> deadLetters;

    @BeforeAll
    void startOrchestrator(LocalStack stack, @org.junit.jupiter.api.io.TempDir Path stateDir)
            throws Exception {
        fixture = new OrchestratorFixture(stack, stack.postgres().createDatabase("e2e"), "e2e");
        createSchema();
        var config =
                OrchestratorConfigLoader.read(
                        ConfigReader.fromYaml(configYaml(stateDir), "EndToEndIT", Map.of()));
        topics = config.topics().topics();
        orchestrator = Orchestrator.start(config);
        assertThat(orchestrator.awaitReady(READY))
                .as("capture streaming and topology running within %s", READY)
                .isTrue();
        var bootstrap = fixture.bootstrap();
        results = new TopicTail<>(bootstrap, topics.refreshResults().name(), Topics.RESULT_SERDE);
        commands =
                new TopicTail<>(bootstrap, topics.refreshCommands().name(), Topics.COMMAND_SERDE);
        deadLetters =
                new TopicTail<>(bootstrap, topics.refreshDlq().name(), Topics.DEAD_LETTER_SERDE);
        // The slot was created anew, so every job gets one STARTUP refresh; let those pass first.
        await("one STARTUP result per job")
                .atMost(WAIT)
                .untilAsserted(
                        () ->
                                assertThat(
                                                results
                                                        .matching(r -> r.reason() == Reason.STARTUP)
                                                        .stream()
                                                        .map(RefreshResult::job)
                                                        .distinct())
                                        .containsExactlyInAnyOrderElementsOf(JOBS));
    }

    @AfterAll
    void stopOrchestrator() throws Exception {
        if (orchestrator != null) {
            orchestrator.close();
        }
        for (var tail : new TopicTail<?>[] {results, commands, deadLetters}) {
            if (tail != null) {
                tail.close();
            }
        }
        if (orchestrator != null) {
            try {
                fixture.dropSlot();
            } catch (SQLException e) {
                // the slot may already be gone with the listener; nothing else to clean up
            }
        }
    }

    @Test
    void shouldRefreshTheViewAfterARowIsCommitted() throws SQLException {
        // given
        Instant committedAt;
        try (var connection = fixture.connect()) {
            connection
                    .createStatement()
                    .execute("INSERT INTO public.single_source (track_id) VALUES (4242)");
            committedAt = Instant.now();
        }

        // when
        var result = awaitSucceededAfter("analytics.single_plays", committedAt);

        // then
        assertThat(result.reason()).isEqualTo(Reason.DATA_CHANGE);
        assertThat(result.mode()).isEqualTo(RefreshMode.CONCURRENTLY);
        assertThat(result.firstChangeAt()).isNotNull();
        assertThat(result.freshnessLagMs()).isNotNull().isPositive();
        assertThat(fixture.count("SELECT plays FROM analytics.single_plays WHERE track_id = 4242"))
                .isEqualTo(1);
    }

    @Test
    void shouldFoldABurstOfAThousandInsertsIntoAtMostThreeRefreshes() throws SQLException {
        // given: 1,000 single-row transactions committed over about one second
        long start = System.nanoTime();
        try (var connection = fixture.connect();
                var insert =
                        connection.prepareStatement(
                                "INSERT INTO public.burst_source (track_id) VALUES (?)")) {
            for (int i = 0; i < 1_000; i++) {
                insert.setInt(1, i % 10);
                insert.executeUpdate();
                LockSupport.parkNanos(
                        start + TimeUnit.MILLISECONDS.toNanos(i + 1) - System.nanoTime());
            }
        }

        // when: every change is folded into some command (their counts add up to 1,000)
        await("commands for analytics.burst_plays folding all 1,000 changes")
                .atMost(WAIT)
                .until(() -> foldedChanges("analytics.burst_plays") == 1_000);
        var burstCommands = dataChangeCommands("analytics.burst_plays");
        var ids = new HashSet<UUID>();
        burstCommands.forEach(c -> ids.add(c.id()));
        var burstResults =
                await("a result for each of those commands")
                        .atMost(WAIT)
                        .until(
                                () -> results.matching(r -> ids.contains(r.commandId())),
                                found -> found.size() == ids.size());

        // then: at most 3 refreshes ran; a batch already covered by a run that started after it
        // committed is SKIPPED by the executor's coalescing, which is success too
        assertThat(burstCommands).as("refresh commands for the burst").hasSizeBetween(1, 3);
        assertThat(burstResults)
                .allMatch(r -> r.status() == Status.SUCCEEDED || r.status() == Status.SKIPPED);
        assertThat(burstResults.stream().filter(r -> r.status() == Status.SUCCEEDED))
                .as("refreshes of the view for the burst")
                .hasSizeBetween(1, 3);
        assertThat(fixture.count("SELECT sum(plays) FROM analytics.burst_plays"))
                .as("the view after the last refresh reflects all 1,000 rows")
                .isEqualTo(1_000);
    }

    @Test
    void shouldRefreshAViewWithoutUniqueIndexBlockingAndPopulateAViewWithNoData()
            throws SQLException {
        // given: a view never populated (recreated WITH NO DATA now) and one without unique index
        fixture.execute(
                """
                DROP MATERIALIZED VIEW analytics.never_populated;
                CREATE MATERIALIZED VIEW analytics.never_populated AS
                  SELECT track_id, count(*) AS plays FROM public.modes_source
                  GROUP BY track_id WITH NO DATA;
                CREATE UNIQUE INDEX ON analytics.never_populated (track_id);
                """);
        Instant committedAt;
        try (var connection = fixture.connect()) {
            connection
                    .createStatement()
                    .execute("INSERT INTO public.modes_source (track_id) VALUES (7)");
            committedAt = Instant.now();
        }

        // when
        var blocking = awaitSucceededAfter("analytics.listeners_blocking", committedAt);
        var populated = awaitSucceededAfter("analytics.never_populated", committedAt);

        // then
        assertThat(blocking.mode()).isEqualTo(RefreshMode.BLOCKING);
        assertThat(blocking.detail()).contains("unique index");
        assertThat(populated.mode()).isEqualTo(RefreshMode.BLOCKING);
        assertThat(populated.detail()).contains("not populated");
        assertThat(fixture.count("SELECT plays FROM analytics.never_populated WHERE track_id = 7"))
                .isEqualTo(1);
        assertThat(fixture.count("SELECT count(*) FROM analytics.listeners_blocking")).isPositive();
    }

    @Test
    void shouldDeadLetterAMalformedCommandAndServeTheNextOne() throws Exception {
        // given
        var malformedKey = "malformed-" + fixture.suffix();
        var manualId = UUID.randomUUID();
        fixture.send(topics.refreshCommands().name(), malformedKey, "{not json");
        // when
        fixture.send(
                topics.refreshCommands().name(),
                "analytics.single_plays",
                "{\"job\":\"analytics.single_plays\",\"id\":\"" + manualId + "\"}");

        // then
        var deadLetter =
                deadLetters.awaitFirst(
                        "the malformed record on the dead-letter topic",
                        WAIT,
                        d -> malformedKey.equals(d.key()));
        assertThat(deadLetter.reason()).containsIgnoringCase("json");
        assertThat(deadLetter.value()).isEqualTo("{not json");
        assertThat(deadLetter.sourceTopic()).isEqualTo(topics.refreshCommands().name());
        var manual =
                results.awaitFirst(
                        "the next command served", WAIT, r -> manualId.equals(r.commandId()));
        assertThat(manual.status()).isEqualTo(Status.SUCCEEDED);
        assertThat(manual.reason()).isEqualTo(Reason.MANUAL);
    }

    private RefreshResult awaitSucceededAfter(String job, Instant committedAt) {
        return results.awaitFirst(
                "a SUCCEEDED refresh of " + job + " started after the commit",
                WAIT,
                r ->
                        r.job().equals(job)
                                && r.status() == Status.SUCCEEDED
                                && r.startedAt().isAfter(committedAt));
    }

    private List<RefreshCommand> dataChangeCommands(String job) {
        return commands.matching(c -> c.job().equals(job) && c.reason() == Reason.DATA_CHANGE);
    }

    private long foldedChanges(String job) {
        return dataChangeCommands(job).stream().mapToLong(c -> c.changes().count()).sum();
    }

    private void createSchema() throws SQLException {
        fixture.execute(
                """
                CREATE TABLE public.single_source (
                  id bigserial PRIMARY KEY, track_id int NOT NULL);
                CREATE TABLE public.burst_source (
                  id bigserial PRIMARY KEY, track_id int NOT NULL);
                CREATE TABLE public.modes_source (
                  id bigserial PRIMARY KEY, track_id int NOT NULL);
                CREATE SCHEMA analytics;
                CREATE MATERIALIZED VIEW analytics.single_plays AS
                  SELECT track_id, count(*) AS plays FROM public.single_source
                  GROUP BY track_id;
                CREATE UNIQUE INDEX ON analytics.single_plays (track_id);
                CREATE MATERIALIZED VIEW analytics.burst_plays AS
                  SELECT track_id, count(*) AS plays FROM public.burst_source
                  GROUP BY track_id;
                CREATE UNIQUE INDEX ON analytics.burst_plays (track_id);
                CREATE MATERIALIZED VIEW analytics.listeners_blocking AS
                  SELECT track_id, count(*) AS plays FROM public.modes_source
                  GROUP BY track_id;
                CREATE MATERIALIZED VIEW analytics.never_populated AS
                  SELECT track_id, count(*) AS plays FROM public.modes_source
                  GROUP BY track_id WITH NO DATA;
                CREATE UNIQUE INDEX ON analytics.never_populated (track_id);
                """);
    }

    private String configYaml(Path stateDir) throws Exception {
        var yaml =
                fixture.yaml(
                        stateDir,
                        """
                        defaults:
                          debounce: 1s
                          max-delay: 5s
                        jobs:
                          - view: analytics.single_plays
                            sources: [public.single_source]
                          - view: analytics.burst_plays
                            sources: [public.burst_source]
                          - view: analytics.listeners_blocking
                            sources: [public.modes_source]
                          - view: analytics.never_populated
                            sources: [public.modes_source]
                        """);
        Files.writeString(stateDir.resolve("orchestrator.yml"), yaml);
        return yaml;
    }
}
