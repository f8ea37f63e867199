package io.refreshorchestrator.app;

import static io.refreshorchestrator.app.OrchestratorFixture.scaled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.refreshorchestrator.app.FaultWorkload.Commit;
import io.refreshorchestrator.events.JsonSerde;
import io.refreshorchestrator.events.Reason;
import io.refreshorchestrator.events.RefreshResult;
import io.refreshorchestrator.events.Status;
import io.refreshorchestrator.events.Topics;
import io.refreshorchestrator.local.KafkaBrokerOptions;
import io.refreshorchestrator.local.LocalStack;
import io.refreshorchestrator.local.PostgresOptions;
import io.refreshorchestrator.topology.StreamsSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault suite: the shipped {@code run} process as a child under a steady open-loop write
 * workload (15 commits/s over two tables) against three views, one of them a cascade, on a broker
 * with Kafka's default group settings. In turn: kill -9 and restart; PostgreSQL stopped for 10 s;
 * the broker killed and restarted; kill -9 again, right after an upstream refresh (its cascade
 * due); the system idle past several capture heartbeats, then restarted; the replication slot
 * dropped under the running process. After each fault the suite waits until every view has a
 * SUCCEEDED refresh covering a commit made after the fault, and at the end asserts that every
 * acknowledged commit is covered by a later SUCCEEDED refresh of every view it affects ({@link
 * CommitCoverage}) and that each view equals its defining query. Prints each fault's recovery
 * times.
 */
class FaultSuiteIT {

    private static final Duration READY = scaled(Duration.ofSeconds(120));
    private static final Duration WAIT = scaled(Duration.ofSeconds(60));
    private static final Duration WRITE_PERIOD = Duration.ofMillis(66);
    private static final Duration HEARTBEAT = Duration.ofSeconds(1);
    // the idle spell outlasts several heartbeats, the 1 s offset flushes and the groups' 10 s
    // session timeout (the production default of the topology and the executor)
    private static final Duration IDLE =
            Duration.ofMillis(Long.parseLong(StreamsSettings.SESSION_TIMEOUT_MILLIS))
                    .plusSeconds(2);
    private static final Duration POSTGRES_DOWN = Duration.ofSeconds(10);
    private static final String TRACK_PLAYS = "analytics.track_plays";
    private static final String GENRE_PLAYS = "analytics.genre_plays";
    private static final String GENRE_SIZES = "analytics.genre_sizes";
    private static final List<String> VIEWS = List.of(TRACK_PLAYS, GENRE_PLAYS, GENRE_SIZES);
    private static final CommitCoverage COVERAGE =
            new CommitCoverage(
                    Map.of(
                            TRACK_PLAYS, Set.of(FaultWorkload.PLAYS),
                            GENRE_PLAYS, Set.of(FaultWorkload.TRACKS),
                            GENRE_SIZES, Set.of(FaultWorkload.TRACKS)),
                    Map.of(GENRE_PLAYS, Set.of(TRACK_PLAYS)));

    /** One fault's figures; null where a figure does not apply. */
    private record Recovery(
            String fault, Duration refreshed, Duration captureStatus, Duration changeArrived) {}

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final Map<String, Recovery> recoveries = new LinkedHashMap<>();
    private LocalStack stack;
    private OrchestratorFixture fixture;
    private FaultWorkload workload;
    private TopicTail<RefreshResult> results;
    private TopicTail<JsonNode> signals;
    private ChangeArrivals arrivals;
    private Path config;
    private ChildOrchestrator process;
    private int processes;

    @AfterEach
    void stopEverything() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    @Test
    void shouldCoverEveryCommitThroughKillsOutagesIdlenessAndADroppedSlot(@TempDir Path dir)
            throws Exception {
        // given the stack on a broker with Kafka's default group settings (the shared stack's
        // has no initial rebalance delay), three views, one built on another, and steady writes
        stack =
                LocalStack.start(
                        KafkaBrokerOptions.defaults()
                                .withBrokerProperty("group.initial.rebalance.delay.ms", "3000"),
                        PostgresOptions.defaults());
        closeables.add(stack);
        createWorld(dir);
        process = startProcess().awaitReady(READY);
        arrivals =
                new ChangeArrivals(
                        fixture.bootstrap(),
                        List.of(
                                fixture.topicPrefix() + "." + FaultWorkload.PLAYS,
                                fixture.topicPrefix() + "." + FaultWorkload.TRACKS));
        closeables.add(arrivals);
        workload = new FaultWorkload(fixture::connect, WRITE_PERIOD).start();
        closeables.add(workload);
        awaitRecovery("warm-up", Instant.now());

        // when
        killAndRestart("kill -9 #1 (steady writes)");
        stopPostgres();
        killBroker();
        awaitUpstreamRefresh();
        killAndRestart("kill -9 #2 (right after an upstream refresh)");
        idleThenRestart();
        dropSlot();

        // then every commit is covered and every view equals its query
        workload.pause();
        var commits = workload.commits();
        awaitConvergence(commits);
        printReport(commits);
        assertThat(workload.crash()).as("the writer's failure").isNull();
        assertThat(commits).as("acknowledged commits").hasSizeGreaterThan(300);
        assertThat(COVERAGE.uncovered(commits, results.all())).isEmpty();
        for (var view : VIEWS) {
            assertThat(difference(view)).as("rows where %s differs from its query", view).isZero();
        }
        assertThat(process.stop(WAIT)).as("exit code of the last process's SIGTERM stop").isZero();
    }

    private void createWorld(Path dir) throws Exception {
        String database = stack.postgres().createDatabase("faults");
        fixture =
                new OrchestratorFixture(stack, database, "faults")
                        .withCaptureSettings(
                                "heartbeat-interval: " + HEARTBEAT.toSeconds() + "s",
                                "offset-flush-interval: 1s",
                                "status-interval: 1s");
        fixture.execute(
                FaultWorkload.schema()
                        + """
                        CREATE SCHEMA analytics;
                        CREATE MATERIALIZED VIEW analytics.track_plays AS
                          SELECT track_id, count(*) AS plays FROM public.plays GROUP BY track_id;
                        CREATE UNIQUE INDEX ON analytics.track_plays (track_id);
                        CREATE MATERIALIZED VIEW analytics.genre_plays AS
                          SELECT t.genre, sum(p.plays) AS plays
                          FROM analytics.track_plays p JOIN public.tracks t ON t.id = p.track_id
                          GROUP BY t.genre;
                        CREATE UNIQUE INDEX ON analytics.genre_plays (genre);
                        CREATE MATERIALIZED VIEW analytics.genre_sizes AS
                          SELECT genre, count(*) AS tracks FROM public.tracks GROUP BY genre;
                        CREATE UNIQUE INDEX ON analytics.genre_sizes (genre);
                        """);
        config =
                Files.writeString(
                        dir.resolve("orchestrator.yml"),
                        fixture.yaml(
                                dir.resolve("state"),
                                """
                                instance-id: faults-a
                                defaults:
                                  debounce: 200ms
                                  max-delay: 1s
                                discovery:
                                  schemas: [analytics]
                                """),
                        StandardCharsets.UTF_8);
        results = new TopicTail<>(fixture.bootstrap(), fixture.resultsTopic(), Topics.RESULT_SERDE);
        closeables.add(results);
        signals =
                new TopicTail<>(
                        fixture.bootstrap(),
                        fixture.name() + "-signals",
                        new JsonSerde<>(JsonNode.class));
        closeables.add(signals);
    }

    private void killAndRestart(String fault) throws Exception {
        Instant killedAt = Instant.now();
        process.kill();
        Instant restartedAt = Instant.now();
        process = startProcess();
        record(fault, killedAt, restartedAt);
    }

    private void stopPostgres() throws Exception {
        Instant stoppedAt = Instant.now();
        stack.postgres().stop();
        hold(POSTGRES_DOWN.minus(Duration.between(stoppedAt, Instant.now())), "PostgreSQL down");
        stack.postgres().restart();
        Instant back = Instant.now();
        record("PostgreSQL stopped 10 s", stoppedAt, back);
    }

    private void killBroker() throws Exception {
        Instant killedAt = Instant.now();
        stack.kafka().kill();
        stack.kafka().restart();
        Instant back = Instant.now();
        record("broker killed and restarted", killedAt, back);
    }

    /** Waits for a SUCCEEDED refresh of the cascade's upstream view that finished from now on. */
    private void awaitUpstreamRefresh() {
        Instant from = Instant.now();
        results.awaitFirst(
                "a SUCCEEDED refresh of " + TRACK_PLAYS + " finished after " + from,
                WAIT,
                r ->
                        r.job().equals(TRACK_PLAYS)
                                && r.status() == Status.SUCCEEDED
                                && r.finishedAt().isAfter(from));
    }

    /**
     * No writes until the slot's restart position passed the WAL written when they stopped (the
     * heartbeats moved it) and at least five heartbeats went by; then a SIGTERM restart.
     */
    private void idleThenRestart() throws Exception {
        workload.pause();
        Instant idleFrom = Instant.now();
        long walAtIdle = fixture.currentWalLsn();
        await("the slot's restart LSN past the WAL written before the idle spell")
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> fixture.slotRestartReached(walAtIdle));
        hold(IDLE.minus(Duration.between(idleFrom, Instant.now())), "idle");
        assertThat(process.stop(WAIT)).as("exit code of the SIGTERM stop after idling").isZero();
        Instant restartedAt = Instant.now();
        process = startProcess();
        workload.resume();
        record(
                "idle "
                        + Duration.between(idleFrom, restartedAt).toSeconds()
                        + " s, SIGTERM restart",
                idleFrom,
                restartedAt);
    }

    /** Terminates the slot's walsender and drops the slot, as a DBA would; capture must heal. */
    private void dropSlot() {
        Instant from = Instant.now();
        await("the replication slot dropped (its walsender terminated first)")
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(50))
                .until(this::terminateAndDropSlot);
        Instant dropped = Instant.now();
        record("replication slot dropped", from, dropped);
        var reset =
                signals.awaitFirst(
                        "a CAPTURE_RESET signal after the slot was dropped",
                        WAIT,
                        s ->
                                "CAPTURE_RESET".equals(s.path("type").asText())
                                        && Instant.parse(s.path("at").asText()).isAfter(dropped));
        assertThat(reset.path("reason").asText()).isEqualTo("SLOT_CREATED");
        for (var top : List.of(TRACK_PLAYS, GENRE_SIZES)) {
            results.awaitFirst(
                    "a SUCCEEDED STARTUP refresh of " + top + " after the reset",
                    WAIT,
                    r ->
                            r.job().equals(top)
                                    && r.reason() == Reason.STARTUP
                                    && r.status() == Status.SUCCEEDED
                                    && r.startedAt().isAfter(dropped));
        }
    }

    private boolean terminateAndDropSlot() throws SQLException {
        String slot = fixture.slot();
        fixture.execute(
                "SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots"
                        + " WHERE slot_name = '"
                        + slot
                        + "' AND active_pid IS NOT NULL");
        try {
            fixture.execute("SELECT pg_drop_replication_slot('" + slot + "')");
            return true;
        } catch (SQLException e) {
            // capture restarted on the slot between the two statements: terminate it again
            if (e.getMessage().contains("is active")) {
                return false;
            }
            throw e;
        }
    }

    private ChildOrchestrator startProcess() throws IOException {
        processes++;
        var child =
                ChildOrchestrator.start(config, logs().resolve("process-" + processes + ".log"));
        closeables.add(child);
        return child;
    }

    /**
     * Waits until every view has a SUCCEEDED refresh covering a commit made after {@code end} (the
     * restart launched, the service back, the slot dropped) and records how long that took, when
     * capture reported STREAMING again after {@code began} and when the first change event after
     * {@code end} arrived in Kafka.
     */
    private void record(String fault, Instant began, Instant end) {
        Duration refreshed = Duration.between(end, awaitRecovery(fault, end));
        Duration arrived =
                Duration.between(
                        end,
                        await(fault + ": a change event in Kafka after it")
                                .atMost(WAIT)
                                .until(() -> arrivals.firstAfter(end), Optional::isPresent)
                                .get());
        Duration status = streamingSince(began).map(at -> Duration.between(end, at)).orElse(null);
        recoveries.put(fault, new Recovery(fault, refreshed, status, arrived));
    }

    /** When capture reported STREAMING again after {@code instant}, if it stopped meanwhile. */
    private Optional<Instant> streamingSince(Instant instant) {
        return signals
                .matching(
                        s ->
                                "CAPTURE_STATUS".equals(s.path("type").asText())
                                        && "STREAMING".equals(s.path("state").asText()))
                .stream()
                .map(s -> Instant.parse(s.path("since").asText()))
                .filter(since -> since.isAfter(instant))
                .min(Instant::compareTo);
    }

    /** When every view had a SUCCEEDED refresh covering the first commit after {@code end}. */
    private Instant awaitRecovery(String fault, Instant end) {
        try {
            return await(fault + ": every view refreshed for a commit made after it")
                    .atMost(WAIT)
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> recoveredAt(end), Optional::isPresent)
                    .get();
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + diagnosis(), e);
        }
    }

    private Optional<Instant> recoveredAt(Instant end) {
        var all = results.all();
        var commits = workload.commits();
        Instant latest = end;
        for (var view : VIEWS) {
            var first =
                    commits.stream()
                            .filter(c -> !c.committedAt().isBefore(end))
                            .filter(c -> COVERAGE.affects(view, c))
                            .findFirst();
            if (first.isEmpty()) {
                return Optional.empty();
            }
            var cover = COVERAGE.cover(view, first.get(), all);
            if (cover.isEmpty()) {
                return Optional.empty();
            }
            if (cover.get().finishedAt().isAfter(latest)) {
                latest = cover.get().finishedAt();
            }
        }
        return Optional.of(latest);
    }

    private void awaitConvergence(List<Commit> commits) {
        try {
            await("every commit covered and every view equal to its query")
                    .atMost(WAIT)
                    .pollInterval(Duration.ofMillis(500))
                    .until(
                            () -> {
                                if (!COVERAGE.uncovered(commits, results.all()).isEmpty()) {
                                    return false;
                                }
                                for (var view : VIEWS) {
                                    if (difference(view) != 0) {
                                        return false;
                                    }
                                }
                                return true;
                            });
        } catch (ConditionTimeoutException e) {
            var uncovered = COVERAGE.uncovered(commits, results.all());
            throw new AssertionError(
                    e.getMessage()
                            + "; "
                            + uncovered.size()
                            + " uncovered, first: "
                            + uncovered.stream().limit(5).toList()
                            + diagnosis(),
                    e);
        }
    }

    /** Rows of {@code view} missing from its query plus rows of the query missing from it. */
    private long difference(String view) throws SQLException {
        String definition;
        try (var connection = fixture.connect();
                var statement = connection.prepareStatement("SELECT pg_get_viewdef(?::regclass)")) {
            statement.setString(1, view);
            try (var row = statement.executeQuery()) {
                row.next();
                definition = row.getString(1).trim().replaceAll(";$", "");
            }
        }
        return fixture.count(
                "SELECT count(*) FROM ((TABLE %s EXCEPT ALL (%s)) UNION ALL ((%s) EXCEPT ALL TABLE %s)) d"
                        .formatted(view, definition, definition, view));
    }

    private String diagnosis() {
        var text = new StringBuilder("; last results:");
        var all = results.all();
        all.subList(Math.max(0, all.size() - 15), all.size())
                .forEach(
                        r ->
                                text.append(
                                        "%n  %s %s %s started %s finished %s: %s"
                                                .formatted(
                                                        r.job(),
                                                        r.reason(),
                                                        r.status(),
                                                        r.startedAt(),
                                                        r.finishedAt(),
                                                        r.error() != null
                                                                ? r.error().message()
                                                                : r.detail())));
        text.append("%n(process logs in ").append(logsPath()).append(')');
        return text.toString();
    }

    private void printReport(List<Commit> commits) {
        var span =
                Duration.between(
                        commits.get(0).committedAt(),
                        commits.get(commits.size() - 1).committedAt());
        var out = new StringBuilder();
        out.append(
                "FAULT SUITE: %d commits in %d s (%d write attempts failed during outages), %d results%n"
                        .formatted(
                                commits.size(),
                                span.toSeconds(),
                                workload.failedAttempts(),
                                results.all().size()));
        out.append(
                "%-46s %22s %22s %22s%n"
                        .formatted(
                                "fault",
                                "all views refreshed",
                                "capture STREAMING",
                                "change event in Kafka"));
        for (var recovery : recoveries.values()) {
            out.append(
                    "%-46s %22s %22s %22s%n"
                            .formatted(
                                    recovery.fault(),
                                    millis(recovery.refreshed()),
                                    millis(recovery.captureStatus()),
                                    millis(recovery.changeArrived())));
        }
        out.append(
                "(times from the end of the fault: the restart launched, the service back, the"
                        + " slot dropped)%n".formatted());
        System.out.print(out);
    }

    private static String millis(Duration duration) {
        return duration == null ? "-" : duration.toMillis() + " ms";
    }

    /** Waits out a fault's duration (nothing to poll for: time itself is the fault). */
    private static void hold(Duration duration, String what) {
        if (duration.isNegative() || duration.isZero()) {
            return;
        }
        await(what + " for " + duration)
                .pollDelay(duration)
                .atMost(duration.plusSeconds(10))
                .until(() -> true);
    }

    private static Path logsPath() {
        return Path.of("target", "it-logs", "FaultSuiteIT");
    }

    /** Where the child processes' logs go: kept after the run, for diagnosis. */
    private static Path logs() throws IOException {
        return Files.createDirectories(logsPath());
    }
}
