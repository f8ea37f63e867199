package io.refreshorchestrator.app;

import static io.refreshorchestrator.app.OrchestratorFixture.scaled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.refreshorchestrator.events.JsonSerde;
import io.refreshorchestrator.events.RefreshResult;
import io.refreshorchestrator.events.Status;
import io.refreshorchestrator.events.Topics;
import io.refreshorchestrator.local.LocalStack;
import io.refreshorchestrator.local.LocalStackExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three instances of one configuration under steady writes: one captures, two stand by. The
 * capturing one is killed with -9; another takes capture over from the same slot (no second slot,
 * no capture reset), every probe commit is covered by a later successful refresh of each view, the
 * views converge, and no two refreshes of one view ever overlap (sampled from {@code
 * pg_stat_activity} throughout). Prints the takeover time and the worst commit-to-refresh time.
 */
@ExtendWith(LocalStackExtension.class)
class FailoverIT {

    private static final Duration READY = scaled(Duration.ofSeconds(120));
    private static final Duration WAIT = scaled(Duration.ofSeconds(60));
    private static final Duration TAKEOVER_PROMISE = Duration.ofSeconds(15);
    private static final Duration FRESHNESS_PROMISE = Duration.ofSeconds(20);
    private static final List<String> VIEWS =
            List.of("analytics.probe_count", "analytics.probe_max");

    /** A probe: its id and when its transaction committed (the database's clock). */
    private record Probe(long id, Instant committedAt) {}

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private PacedTask sampler;

    @AfterEach
    void stopEverything() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    @Test
    void shouldTakeCaptureOverAndLoseNothingWhenTheCapturingInstanceIsKilled(
            LocalStack stack, @TempDir Path dir) throws Exception {
        // given three instances of one configuration, the first of which captures
        String database = stack.postgres().createDatabase("failover");
        var fixture = new OrchestratorFixture(stack, database, "failover");
        fixture.execute(
                """
                CREATE TABLE public.probes (id bigserial PRIMARY KEY, note text);
                CREATE SCHEMA analytics;
                CREATE MATERIALIZED VIEW analytics.probe_count AS
                  SELECT 1 AS k, count(*) AS n FROM public.probes, pg_sleep(0.2);
                CREATE UNIQUE INDEX ON analytics.probe_count (k);
                CREATE MATERIALIZED VIEW analytics.probe_max AS
                  SELECT 1 AS k, coalesce(max(id), 0) AS last_id FROM public.probes, pg_sleep(0.2);
                CREATE UNIQUE INDEX ON analytics.probe_max (k);
                """);
        Path config =
                Files.writeString(
                        dir.resolve("orchestrator.yml"),
                        fixture.yaml(
                                dir.resolve("state-unused"),
                                """
                                defaults:
                                  debounce: 200ms
                                  max-delay: 1s
                                discovery:
                                  schemas: [analytics]
                                """),
                        StandardCharsets.UTF_8);
        var results =
                new TopicTail<>(fixture.bootstrap(), fixture.resultsTopic(), Topics.RESULT_SERDE);
        closeables.add(results);
        var signals =
                new TopicTail<>(
                        fixture.bootstrap(),
                        fixture.name() + "-signals",
                        new JsonSerde<>(JsonNode.class));
        closeables.add(signals);
        var a = start(config, dir, "a").awaitLog("Streaming changes of", READY);
        var b = start(config, dir, "b");
        var c = start(config, dir, "c");
        for (var standby : List.of(b, c)) {
            standby.awaitLog("Standing by: instance 'a' captures", READY)
                    .awaitLog("-> RUNNING", READY);
        }
        await("a STANDBY status naming the capturing instance")
                .atMost(WAIT)
                .until(
                        () ->
                                !signals.matching(
                                                s ->
                                                        "STANDBY".equals(s.path("state").asText())
                                                                && s.path("reason")
                                                                        .asText()
                                                                        .contains("'a'"))
                                        .isEmpty());
        var overlaps = sampleRefreshOverlaps(fixture);
        var probes = new CopyOnWriteArrayList<Probe>();
        var writer = writeProbes(fixture, probes);

        // when the capturing instance is killed with -9 under steady writes
        await("probes refreshed before the kill")
                .atMost(WAIT)
                .until(() -> probes.size() > 20 && !results.all().isEmpty());
        int resetsBefore = resets(signals);
        a.kill();
        Instant killedAt = Instant.now();
        var takeover =
                await("another instance streaming changes after the kill")
                        .atMost(WAIT)
                        .pollInterval(Duration.ofMillis(100))
                        .until(
                                () -> streamingAfterKill(b).or(() -> streamingAfterKill(c)),
                                Optional::isPresent)
                        .get();
        Duration takeoverTime = Duration.between(killedAt, Instant.now());
        await("writes go on after the takeover")
                .atMost(WAIT)
                .until(
                        () ->
                                probes.get(probes.size() - 1)
                                        .committedAt()
                                        .isAfter(killedAt.plusSeconds(20)));
        writer.close();
        assertThat(writer.failure()).as("probe writer failure").isEmpty();

        // then every probe is covered by a later successful refresh of each view
        long lastId = probes.get(probes.size() - 1).id();
        await("the views converge on the last probe " + lastId)
                .atMost(WAIT)
                .until(
                        () ->
                                fixture.count("SELECT last_id FROM analytics.probe_max") == lastId
                                        && fixture.count("SELECT n FROM analytics.probe_count")
                                                == fixture.count(
                                                        "SELECT count(*) FROM public.probes"));
        sampler.close();
        assertThat(sampler.failure()).as("overlap sampler failure").isEmpty();
        Duration worst = Duration.ZERO;
        for (var view : VIEWS) {
            var succeeded =
                    results.matching(r -> r.job().equals(view) && r.status() == Status.SUCCEEDED);
            for (var probe : probes) {
                var cover =
                        succeeded.stream()
                                .filter(r -> !r.startedAt().isBefore(probe.committedAt()))
                                .min(Comparator.comparing(RefreshResult::finishedAt));
                assertThat(cover)
                        .as("a SUCCEEDED refresh of %s started after probe %s", view, probe)
                        .isPresent();
                var lag = Duration.between(probe.committedAt(), cover.get().finishedAt());
                if (lag.compareTo(worst) > 0) {
                    worst = lag;
                }
            }
        }
        System.out.printf(
                "FAILOVER (3 instances, capturing one killed -9): capture streaming on '%s' %d ms"
                        + " after the kill; %d probes, worst commit-to-refresh %d ms;"
                        + " overlapping refreshes seen: %s%n",
                takeover, takeoverTime.toMillis(), probes.size(), worst.toMillis(), overlaps.get());
        assertThat(takeoverTime).as("capture taken over").isLessThan(TAKEOVER_PROMISE);
        assertThat(worst).as("worst commit-to-refresh time").isLessThan(FRESHNESS_PROMISE);
        assertThat(overlaps.get()).as("two refreshes of one view at once").isNull();
        assertThat(resets(signals)).as("capture resets after the kill").isEqualTo(resetsBefore);
        assertThat(
                        fixture.count(
                                "SELECT count(*) FROM pg_replication_slots WHERE slot_name = '"
                                        + fixture.slot()
                                        + "'"))
                .as("one slot")
                .isEqualTo(1);
        b.stop(WAIT);
        c.stop(WAIT);
        await("the slot released by the stopped instances")
                .atMost(WAIT)
                .until(
                        () ->
                                fixture.count(
                                                "SELECT count(*) FROM pg_replication_slots"
                                                        + " WHERE active AND slot_name = '"
                                                        + fixture.slot()
                                                        + "'")
                                        == 0);
        fixture.dropSlot();
    }

    private ChildOrchestrator start(Path config, Path dir, String instance) throws Exception {
        var child =
                ChildOrchestrator.start(
                        config,
                        logs().resolve(instance + ".log"),
                        Map.of(
                                "REFRESH_ORCHESTRATOR_INSTANCE_ID",
                                instance,
                                "REFRESH_ORCHESTRATOR_STREAMS_STATE_DIR",
                                dir.resolve("state-" + instance).toString()));
        closeables.add(child);
        return child;
    }

    private static Optional<String> streamingAfterKill(ChildOrchestrator child) {
        try {
            var log = child.log();
            return log.contains("takes over change capture") && log.contains("Streaming changes of")
                    ? Optional.of(log.contains("Instance 'b'") ? "b" : "c")
                    : Optional.empty();
        } catch (java.io.IOException e) {
            return Optional.empty();
        }
    }

    private static int resets(TopicTail<JsonNode> signals) {
        return signals.matching(s -> "CAPTURE_RESET".equals(s.path("type").asText())).size();
    }

    /** Inserts a probe every 100 ms, keeping its id and commit time. */
    private PacedTask writeProbes(OrchestratorFixture fixture, List<Probe> probes)
            throws java.sql.SQLException {
        var connection = fixture.connect();
        closeables.add(connection);
        var insert =
                connection.prepareStatement(
                        "INSERT INTO public.probes (note) VALUES ('p') RETURNING id");
        var now = connection.prepareStatement("SELECT clock_timestamp()");
        var writer =
                PacedTask.every(
                        Duration.ofMillis(100),
                        "probe-writer",
                        () -> {
                            long id;
                            try (var row = insert.executeQuery()) {
                                row.next();
                                id = row.getLong(1);
                            }
                            // autocommit: committed by now, so this is after the commit
                            try (var row = now.executeQuery()) {
                                row.next();
                                Timestamp at = row.getTimestamp(1);
                                probes.add(new Probe(id, at.toInstant()));
                            }
                        });
        closeables.add(writer);
        return writer;
    }

    /**
     * Samples {@code pg_stat_activity} every 20 ms; the reference holds the first moment two
     * refreshes of one view ran at once, null while none did.
     */
    private AtomicReference<String> sampleRefreshOverlaps(OrchestratorFixture fixture)
            throws java.sql.SQLException {
        var overlap = new AtomicReference<String>();
        var connection = fixture.connect();
        closeables.add(connection);
        var statement =
                connection.prepareStatement(
                        "SELECT substring(query from 'probe_[a-z]+'), count(*)"
                                + " FROM pg_stat_activity WHERE state = 'active'"
                                + " AND query ILIKE 'REFRESH MATERIALIZED VIEW%'"
                                + " GROUP BY 1 HAVING count(*) > 1");
        sampler =
                PacedTask.every(
                        Duration.ofMillis(20),
                        "overlap-sampler",
                        () -> {
                            if (overlap.get() != null) {
                                return;
                            }
                            try (var rows = statement.executeQuery()) {
                                if (rows.next()) {
                                    overlap.set(
                                            rows.getString(1)
                                                    + " x"
                                                    + rows.getInt(2)
                                                    + " at "
                                                    + Instant.now());
                                }
                            }
                        });
        closeables.add(sampler);
        return overlap;
    }

    /** Where the child processes' logs go: kept after the run, for diagnosis. */
    private static Path logs() throws java.io.IOException {
        return Files.createDirectories(Path.of("target", "it-logs", "FailoverIT"));
    }
}
