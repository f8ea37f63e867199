package io.refreshorchestrator.app;

import static io.refreshorchestrator.app.OrchestratorFixture.scaled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.refreshorchestrator.OrchestratorMain;
import io.refreshorchestrator.events.Reason;
import io.refreshorchestrator.events.RefreshResult;
import io.refreshorchestrator.events.Status;
import io.refreshorchestrator.events.Topics;
import io.refreshorchestrator.local.LocalStack;
import io.refreshorchestrator.local.LocalStackExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Time passes between a change and a restart, as in production: after a refreshed insert the
 * captured table stays quiet for several heartbeats while the rest of the database writes on and
 * the slot moves on; then the process stops (SIGTERM), is killed (SIGKILL) or PostgreSQL restarts.
 * The next insert must be refreshed, with no capture reset. And a stored position the slot no
 * longer serves is a reset: one STARTUP per top job, then business as usual, shown by {@code
 * status}.
 */
@ExtendWith(LocalStackExtension.class)
class CaptureRestartIT {

    private static final Duration READY = scaled(Duration.ofSeconds(120));
    private static final Duration WAIT = scaled(Duration.ofSeconds(60));
    private static final String TOP = "analytics.track_plays";
    private static final String DOWNSTREAM = "analytics.top_tracks";

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private LocalStack stack;
    private OrchestratorFixture fixture;
    private TopicTail<RefreshResult> results;
    private Path config;
    private Path dir;

    @BeforeEach
    void createWorld(LocalStack stack, @TempDir Path dir) throws Exception {
        this.stack = stack;
        this.dir = dir;
        String database = stack.postgres().createDatabase("restart");
        fixture =
                new OrchestratorFixture(stack, database, "restart")
                        .withCaptureSettings("heartbeat-interval: 1s", "status-interval: 2s");
        fixture.execute(
                """
                CREATE TABLE public.plays (id bigserial PRIMARY KEY, track_id int NOT NULL);
                CREATE TABLE public.audit (id bigserial PRIMARY KEY, note text);
                CREATE SCHEMA analytics;
                CREATE MATERIALIZED VIEW analytics.track_plays AS
                  SELECT track_id, count(*) AS plays FROM public.plays GROUP BY track_id;
                CREATE UNIQUE INDEX ON analytics.track_plays (track_id);
                CREATE MATERIALIZED VIEW analytics.top_tracks AS
                  SELECT track_id, plays FROM analytics.track_plays WHERE plays > 0;
                CREATE UNIQUE INDEX ON analytics.top_tracks (track_id);
                """);
        config =
                Files.writeString(
                        dir.resolve("orchestrator.yml"),
                        fixture.yaml(
                                dir.resolve("state"),
                                """
                                defaults:
                                  debounce: 200ms
                                  max-delay: 1s
                                discovery:
                                  schemas: [analytics]
                                """),
                        StandardCharsets.UTF_8);
        results = new TopicTail<>(fixture.bootstrap(), fixture.resultsTopic(), Topics.RESULT_SERDE);
        closeables.add(results);
    }

    @AfterEach
    void closeWorld() throws Exception {
        for (var closeable : closeables) {
            closeable.close();
        }
        if (stack.postgres().isRunning()) {
            fixture.execute(
                    "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots"
                            + " WHERE slot_name = '"
                            + fixture.slot()
                            + "' AND NOT active");
        }
    }

    @Test
    void shouldRefreshAfterAQuietSpellAndAGracefulRestart() throws Exception {
        // given
        var first = start("first");
        insertAndAwaitRefresh(1);
        quietSpell();

        // when
        assertThat(first.stop(WAIT)).as("exit code of a SIGTERM stop").isZero();
        start("second");

        // then
        insertAndAwaitRefresh(2);
        assertNoCaptureReset();
    }

    @Test
    void shouldRefreshAfterAQuietSpellAndAKill() throws Exception {
        // given
        var first = start("first");
        insertAndAwaitRefresh(1);
        quietSpell();

        // when
        first.kill();
        start("second");

        // then
        insertAndAwaitRefresh(2);
        assertNoCaptureReset();
    }

    @Test
    void shouldRefreshAfterAQuietSpellAndAPostgresRestart() throws Exception {
        // given
        var process = start("only");
        insertAndAwaitRefresh(1);
        quietSpell();

        // when: the database restarts under the running process
        stack.postgres().stop();
        stack.postgres().restart();

        // then
        insertAndAwaitRefresh(2);
        assertNoCaptureReset();
        assertThat(process.log()).doesNotContain("no longer available on the server");
    }

    @Test
    void shouldResetOnceWhenTheStoredPositionIsBehindTheSlot() throws Exception {
        // given: the first stored position is kept, as a backup of the offsets topic would be
        var first = start("first");
        insertAndAwaitRefresh(1);
        var offsetsTopic = fixture.name() + "-offsets";
        var oldest = awaitFirstStoredPosition(offsetsTopic);
        quietSpell();
        assertThat(first.stop(WAIT)).as("exit code of a SIGTERM stop").isZero();

        // when: the old position is restored and the process starts
        fixture.send(offsetsTopic, oldest[0], oldest[1]);
        Instant restartedAt = Instant.now();
        var second = start("second");

        // then: one STARTUP refresh of the top job (its downstream follows by cascade)
        awaitResult(
                "a STARTUP refresh of " + TOP,
                r ->
                        r.job().equals(TOP)
                                && r.reason() == Reason.STARTUP
                                && r.status() == Status.SUCCEEDED
                                && r.startedAt().isAfter(restartedAt));
        await("exactly one STARTUP refresh of " + TOP + ", none of " + DOWNSTREAM)
                .during(scaled(Duration.ofSeconds(3)))
                .atMost(WAIT)
                .until(
                        () ->
                                startupsAfter(restartedAt, TOP) == 1
                                        && startupsAfter(restartedAt, DOWNSTREAM) == 0);
        assertThat(second.log()).contains("OFFSET_UNAVAILABLE");

        // and: the next insert is refreshed
        insertAndAwaitRefresh(2);

        // and: status shows capture streaming and the reset
        var status = status();
        assertThat(status)
                .contains("CAPTURE  STREAMING")
                .contains("last capture reset: OFFSET_UNAVAILABLE");
    }

    private ChildOrchestrator start(String name) throws Exception {
        var process = ChildOrchestrator.start(config, dir.resolve(name + ".log"));
        closeables.add(process);
        return process.awaitReady(READY);
    }

    /**
     * Inserts a row of track {@code track} and waits until both views hold it: the top view through
     * a SUCCEEDED refresh that started after the insert began, the downstream view through a
     * refresh that started after that one finished.
     */
    private void insertAndAwaitRefresh(int track) throws Exception {
        Instant insertBegan = Instant.now();
        fixture.execute("INSERT INTO public.plays (track_id) VALUES (" + track + ")");
        await("track " + track + " in " + TOP + " and " + DOWNSTREAM)
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () ->
                                fixture.count(
                                                "SELECT count(*) FROM analytics.top_tracks"
                                                        + " WHERE track_id = "
                                                        + track)
                                        == 1);
        var top =
                awaitResult(
                        "a SUCCEEDED refresh of " + TOP + " after the insert of track " + track,
                        r -> succeededAfter(r, TOP, insertBegan));
        awaitResult(
                "a SUCCEEDED refresh of " + DOWNSTREAM + " after that of " + TOP,
                r -> succeededAfter(r, DOWNSTREAM, top.startedAt()));
    }

    private static boolean succeededAfter(RefreshResult result, String job, Instant after) {
        return result.job().equals(job)
                && result.status() == Status.SUCCEEDED
                && result.startedAt() != null
                && result.startedAt().isAfter(after);
    }

    /**
     * The captured table stays quiet while the rest of the database writes, until the slot's
     * restart LSN passed that write: several heartbeats, and the WAL of the last captured change
     * may be recycled.
     */
    private void quietSpell() throws Exception {
        fixture.execute("INSERT INTO public.audit (note) VALUES ('not captured')");
        long written = fixture.currentWalLsn();
        await("the slot's restart LSN past the WAL written after the last captured change")
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(500))
                .until(() -> fixture.slotRestartReached(written));
    }

    private void assertNoCaptureReset() {
        assertThat(
                        results.matching(r -> r.reason() == Reason.STARTUP).stream()
                                .map(RefreshResult::job))
                .as("STARTUP refreshes: only the first start's, for the new slot")
                .containsExactly(TOP);
    }

    private long startupsAfter(Instant at, String job) {
        return results.matching(
                        r ->
                                r.job().equals(job)
                                        && r.reason() == Reason.STARTUP
                                        && r.requestedAt() != null
                                        && r.requestedAt().isAfter(at))
                .size();
    }

    private RefreshResult awaitResult(String description, Predicate<RefreshResult> filter) {
        try {
            return results.awaitFirst(description, WAIT, filter);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            var seen = new StringBuilder();
            results.all()
                    .forEach(
                            r ->
                                    seen.append(
                                            "%n  %s %s %s started %s finished %s: %s"
                                                    .formatted(
                                                            r.job(),
                                                            r.reason(),
                                                            r.status(),
                                                            r.startedAt(),
                                                            r.finishedAt(),
                                                            r.detail())));
            throw new AssertionError(e.getMessage() + "; results:" + seen, e);
        }
    }

    /** The first position the capture stored in {@code topic}: {key, value}. */
    private String[] awaitFirstStoredPosition(String topic) {
        var props =
                Map.<String, Object>of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        fixture.bootstrap(),
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false);
        try (var consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            var partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            var found = new ArrayList<String[]>();
            await("a position stored in " + topic)
                    .atMost(WAIT)
                    .until(
                            () -> {
                                consumer.poll(Duration.ofMillis(200))
                                        .forEach(
                                                r -> {
                                                    if (r.value() != null
                                                            && r.value().contains("lsn")) {
                                                        found.add(
                                                                new String[] {r.key(), r.value()});
                                                    }
                                                });
                                return !found.isEmpty();
                            });
            return found.get(0);
        }
    }

    private String status() {
        var out = new StringWriter();
        var err = new StringWriter();
        int code =
                OrchestratorMain.commandLine()
                        .setOut(new PrintWriter(out))
                        .setErr(new PrintWriter(err))
                        .execute("status", "--config", config.toString());
        assertThat(code).as("status exit code; stderr: %s", err).isZero();
        return out.toString();
    }
}
