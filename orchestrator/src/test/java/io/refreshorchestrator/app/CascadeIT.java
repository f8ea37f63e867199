package io.refreshorchestrator.app;

import static io.refreshorchestrator.app.OrchestratorFixture.scaled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.refreshorchestrator.discovery.RelationName;
import io.refreshorchestrator.events.Reason;
import io.refreshorchestrator.events.RefreshCommand;
import io.refreshorchestrator.events.RefreshResult;
import io.refreshorchestrator.events.Status;
import io.refreshorchestrator.events.Topics;
import io.refreshorchestrator.local.LocalStack;
import io.refreshorchestrator.local.LocalStackExtension;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Discovered jobs on the real stack: cascades in dependency order (a chain, a diamond), a view
 * reading a table through a function, and views whose names need quoting.
 */
@ExtendWith(LocalStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CascadeIT {

    private static final Duration READY = scaled(Duration.ofSeconds(120));
    private static final Duration WAIT = scaled(Duration.ofSeconds(60));

    /** How long a diamond's bottom is watched for a second refresh (longer is only stricter). */
    private static final Duration HOLD = scaled(Duration.ofSeconds(4));

    private static final String SCHEMA =
            """
            CREATE TABLE public.canary (id int PRIMARY KEY);
            CREATE TABLE public.chain_source (id bigserial PRIMARY KEY, v int NOT NULL);
            CREATE TABLE public.diamond_source (id bigserial PRIMARY KEY, v int NOT NULL);
            CREATE TABLE public.hidden (id bigserial PRIMARY KEY, v int NOT NULL);
            CREATE TABLE public.names_source (id bigserial PRIMARY KEY, v int NOT NULL);
            CREATE TABLE public.shared_source (id bigserial PRIMARY KEY, v int NOT NULL);
            CREATE TABLE public.trace_source (id bigserial PRIMARY KEY, v int NOT NULL);

            CREATE SCHEMA chain;
            CREATE MATERIALIZED VIEW chain.a AS
              SELECT v, count(*) AS n FROM public.chain_source GROUP BY v;
            CREATE UNIQUE INDEX ON chain.a (v);
            CREATE MATERIALIZED VIEW chain.b AS SELECT v, n FROM chain.a;
            CREATE UNIQUE INDEX ON chain.b (v);
            CREATE MATERIALIZED VIEW chain.c AS SELECT v, n FROM chain.b;
            CREATE UNIQUE INDEX ON chain.c (v);

            CREATE SCHEMA diamond;
            CREATE MATERIALIZED VIEW diamond.a AS
              SELECT v, count(*) AS n FROM public.diamond_source GROUP BY v;
            CREATE UNIQUE INDEX ON diamond.a (v);
            CREATE MATERIALIZED VIEW diamond.b AS
              SELECT v, sum(id) AS total FROM public.diamond_source GROUP BY v;
            CREATE UNIQUE INDEX ON diamond.b (v);
            CREATE MATERIALIZED VIEW diamond.c AS
              SELECT a.v, a.n, b.total FROM diamond.a a JOIN diamond.b b USING (v);
            CREATE UNIQUE INDEX ON diamond.c (v);

            CREATE SCHEMA shared;
            CREATE MATERIALIZED VIEW shared.a AS
              SELECT v, count(*) AS n FROM public.shared_source GROUP BY v;
            CREATE UNIQUE INDEX ON shared.a (v);
            CREATE MATERIALIZED VIEW shared.b AS
              SELECT a.v, a.n, max(s.id) AS last_id
                FROM shared.a a JOIN public.shared_source s USING (v) GROUP BY a.v, a.n;
            CREATE UNIQUE INDEX ON shared.b (v);

            CREATE SCHEMA trace;
            -- Waits while the test holds advisory lock 8008: holds a refresh of trace.daily.
            CREATE FUNCTION trace.gate() RETURNS int LANGUAGE plpgsql VOLATILE AS $$
              BEGIN PERFORM pg_advisory_xact_lock_shared(8008); RETURN 1; END $$;
            CREATE MATERIALIZED VIEW trace.daily AS
              SELECT s.v, count(*) AS n FROM public.trace_source s, trace.gate() g GROUP BY s.v;
            CREATE UNIQUE INDEX ON trace.daily (v);
            CREATE MATERIALIZED VIEW trace.weekly AS SELECT v, n FROM trace.daily;
            CREATE UNIQUE INDEX ON trace.weekly (v);

            CREATE SCHEMA fn;
            CREATE FUNCTION fn.hidden_rows() RETURNS bigint
              LANGUAGE sql STABLE AS 'SELECT count(*) FROM public.hidden';
            CREATE MATERIALIZED VIEW fn.via_function AS SELECT 1 AS id, fn.hidden_rows() AS n;
            CREATE UNIQUE INDEX ON fn.via_function (id);

            CREATE SCHEMA names;
            CREATE MATERIALIZED VIEW names."Daily Stats" AS
              SELECT v, count(*) AS n FROM public.names_source GROUP BY v;
            CREATE UNIQUE INDEX ON names."Daily Stats" (v);
            CREATE MATERIALIZED VIEW names."a""b" AS
              SELECT v, count(*) AS n FROM public.names_source GROUP BY v;
            CREATE MATERIALIZED VIEW names."Übersicht_Größe" AS
              SELECT count(*) AS n FROM public.names_source;
            """;

    private static final String JOB_SETTINGS =
            """
            defaults:
              debounce: 500ms
              max-delay: 3s
            discovery:
              schemas: [chain, diamond, shared, trace, fn, names]
            jobs:
              - view: fn.via_function
                sources: [public.hidden]
            """;

    private OrchestratorFixture fixture;
    private Orchestrator orchestrator;
    private Topics topics;
    private TopicTail<RefreshResult> results;
    private TopicTail<RefreshCommand> commands;

    @BeforeAll
    void start(LocalStack stack, @TempDir Path stateDir) throws Exception {
        fixture =
                new OrchestratorFixture(
                        stack, stack.postgres().createDatabase("cascade"), "cascade");
        fixture.execute(SCHEMA);
        var config = fixture.config(stateDir, JOB_SETTINGS, "CascadeIT");
        topics = config.topics().topics();
        orchestrator = Orchestrator.start(config);
        assertThat(orchestrator.awaitReady(READY))
                .as("capture streaming and topology running within %s", READY)
                .isTrue();
        results =
                new TopicTail<>(
                        fixture.bootstrap(), topics.refreshResults().name(), Topics.RESULT_SERDE);
        commands =
                new TopicTail<>(
                        fixture.bootstrap(), topics.refreshCommands().name(), Topics.COMMAND_SERDE);
        // The slot is new: the jobs at the top get a STARTUP refresh, the rest a cascade after.
        for (String job : List.of("chain.c", "diamond.c", "shared.b", "trace.weekly")) {
            await("the start-up cascade reached " + job)
                    .atMost(WAIT)
                    .until(() -> !results.matching(r -> r.job().equals(job)).isEmpty());
        }
    }

    @AfterAll
    void stop() throws Exception {
        if (orchestrator != null) {
            orchestrator.close();
        }
        if (results != null) {
            results.close();
        }
        if (commands != null) {
            commands.close();
        }
        try {
            fixture.dropSlot();
        } catch (SQLException e) {
            // already gone with the listener
        }
    }

    @Test
    void shouldDiscoverTheEdgesAndCaptureOnlyTheSourceTables() {
        var graph = orchestrator.jobs();

        assertThat(graph.job("chain.c").orElseThrow().upstream()).containsExactly("chain.b");
        assertThat(graph.job("diamond.c").orElseThrow().upstream())
                .containsExactlyInAnyOrder("diamond.a", "diamond.b");
        assertThat(graph.sourceTables())
                .extracting(Object::toString)
                .containsExactlyInAnyOrder(
                        "public.chain_source",
                        "public.diamond_source",
                        "public.hidden",
                        "public.names_source",
                        "public.shared_source",
                        "public.trace_source");
    }

    @Test
    void shouldRefreshAThreeLevelChainInOrderWithLagFromTheInsert() throws SQLException {
        // given
        Instant beforeInsert = Instant.now();
        fixture.execute("INSERT INTO public.chain_source (v) VALUES (101)");
        Instant committedAt = Instant.now();

        // when
        var a = awaitResult("chain.a", r -> r.startedAt().isAfter(committedAt));
        var b = awaitResult("chain.b", r -> a.firstChangeAt().equals(r.firstChangeAt()));
        var c = awaitResult("chain.c", r -> a.firstChangeAt().equals(r.firstChangeAt()));

        // then
        assertThat(a.reason()).isEqualTo(Reason.DATA_CHANGE);
        assertThat(a.firstChangeAt())
                .as("the insert's commit time")
                .isBetween(beforeInsert.minusSeconds(1), committedAt.plusSeconds(1));
        assertThat(b.reason()).isEqualTo(Reason.CASCADE);
        assertThat(b.startedAt()).isAfter(a.finishedAt());
        assertThat(c.reason()).isEqualTo(Reason.CASCADE);
        assertThat(c.startedAt()).isAfter(b.finishedAt());
        assertThat(c.freshnessLagMs())
                .isEqualTo(Duration.between(a.firstChangeAt(), c.finishedAt()).toMillis());
        assertThat(fixture.count("SELECT n FROM chain.c WHERE v = 101")).isEqualTo(1);
    }

    @Test
    void shouldRefreshTheBottomOfADiamondOncePerBurst() throws SQLException {
        // given: one burst of changes to the table under both sides
        fixture.execute(
                """
                INSERT INTO public.diamond_source (v) VALUES (7);
                INSERT INTO public.diamond_source (v) VALUES (7);
                INSERT INTO public.diamond_source (v) VALUES (8);
                """);
        Instant committedAt = Instant.now();

        // when
        var a = awaitResult("diamond.a", r -> r.startedAt().isAfter(committedAt));
        var b = awaitResult("diamond.b", r -> r.startedAt().isAfter(committedAt));
        Predicate<RefreshResult> afterTheBurst =
                r -> r.job().equals("diamond.c") && r.startedAt().isAfter(committedAt);
        await("a refresh of diamond.c after the burst")
                .atMost(WAIT)
                .until(() -> !results.matching(afterTheBurst).isEmpty());

        // then
        await("diamond.c refreshed exactly once for the burst, watched for " + HOLD)
                .during(HOLD)
                .atMost(HOLD.plus(WAIT))
                .until(() -> results.matching(afterTheBurst).size() == 1);
        var c = results.matching(afterTheBurst).get(0);
        assertThat(c.status()).isEqualTo(Status.SUCCEEDED);
        assertThat(c.startedAt()).isAfter(a.finishedAt()).isAfter(b.finishedAt());
        assertThat(c.firstChangeAt()).isEqualTo(a.firstChangeAt());
        assertThat(fixture.count("SELECT n FROM diamond.c WHERE v = 7")).isEqualTo(2);
    }

    @Test
    void shouldRefreshAViewReadingATableDirectlyAndThroughItsUpstreamOnceAfterTheUpstream()
            throws SQLException {
        // given: shared_source feeds shared.a and shared.b; shared.b is also built on shared.a
        fixture.execute("INSERT INTO public.shared_source (v) VALUES (3)");
        Instant committedAt = Instant.now();

        // when
        var a = awaitResult("shared.a", r -> r.startedAt().isAfter(committedAt));
        Predicate<RefreshResult> afterTheInsert =
                r -> r.job().equals("shared.b") && r.startedAt().isAfter(committedAt);
        await("a refresh of shared.b after the insert")
                .atMost(WAIT)
                .until(() -> !results.matching(afterTheInsert).isEmpty());

        // then: once, and after shared.a
        await("shared.b refreshed exactly once for the insert, watched for " + HOLD)
                .during(HOLD)
                .atMost(HOLD.plus(WAIT))
                .until(() -> results.matching(afterTheInsert).size() == 1);
        var b = results.matching(afterTheInsert).get(0);
        assertThat(b.reason()).isEqualTo(Reason.CASCADE);
        assertThat(b.startedAt()).isAfter(a.finishedAt());
        assertThat(fixture.count("SELECT n FROM shared.b WHERE v = 3")).isEqualTo(1);
    }

    /**
     * The trace of issue 8: a run of the downstream view that starts after the source commit but
     * before the upstream refresh committed read the old upstream view, so it must not cover the
     * cascade that refresh sends. The upstream refresh is held inside its query by an advisory lock
     * the test holds (well within the default lock-timeout) while the downstream view is refreshed
     * by hand.
     */
    @Test
    void shouldNotSkipACascadeAsCoveredByADownstreamRunThatReadTheUpstreamBeforeItsRefresh()
            throws Exception {
        Instant committedAt;
        UUID manualId = UUID.randomUUID();
        try (var holder = fixture.connect()) {
            // given: the next refresh of trace.daily waits inside its query
            holder.createStatement().execute("SELECT pg_advisory_lock(8008)");
            fixture.execute("INSERT INTO public.trace_source (v) VALUES (1)");
            committedAt = Instant.now();
            await("a refresh of trace.daily for the insert, held by the test's lock")
                    .atMost(WAIT)
                    .until(() -> waitingForTheGate() == 1);

            // when: trace.weekly is refreshed by hand in between, reading the old trace.daily
            fixture.send(
                    topics.refreshCommands().name(),
                    "trace.weekly",
                    "{\"job\":\"trace.weekly\",\"id\":\"" + manualId + "\"}");
            var manual =
                    results.awaitFirst(
                            "the manual refresh of trace.weekly",
                            WAIT,
                            r -> manualId.equals(r.commandId()));
            assertThat(manual.status()).isEqualTo(Status.SUCCEEDED);
            assertThat(manual.startedAt()).isAfter(committedAt);
            assertThat(fixture.count("SELECT count(*) FROM trace.weekly WHERE v = 1"))
                    .as("the manual run read trace.daily before its refresh committed")
                    .isZero();

            // and then the refresh of trace.daily commits
            holder.createStatement().execute("SELECT pg_advisory_unlock(8008)");
        }
        var daily = awaitResult("trace.daily", r -> r.startedAt().isAfter(committedAt));

        // then: the cascade runs, not SKIPPED as "covered by" the manual run
        Predicate<RefreshResult> cascade =
                r ->
                        r.job().equals("trace.weekly")
                                && r.reason() == Reason.CASCADE
                                && daily.firstChangeAt().equals(r.firstChangeAt());
        var weekly = results.awaitFirst("the cascade from trace.daily's refresh", WAIT, cascade);
        assertThat(weekly.status())
                .as("cascade result, detail: %s", weekly.detail())
                .isEqualTo(Status.SUCCEEDED);
        assertThat(weekly.startedAt()).isAfter(daily.finishedAt());
        var command =
                commands.awaitFirst(
                        "the cascaded command", WAIT, c -> weekly.commandId().equals(c.id()));
        assertThat(daily.txId()).as("the refresh's transaction, published").isNotNull();
        assertThat(command.changes().upstreamTxIds())
                .isEqualTo(Map.of("trace.daily", daily.txId()));
        assertThat(fixture.count("SELECT count(*) FROM trace.weekly WHERE v = 1")).isEqualTo(1);
        assertThat(
                        fixture.count(
                                """
                                SELECT count(*) FROM (
                                  (TABLE trace.weekly EXCEPT SELECT v, n FROM trace.daily)
                                  UNION ALL
                                  (SELECT v, n FROM trace.daily EXCEPT TABLE trace.weekly)) diff
                                """))
                .as("trace.weekly equals its query")
                .isZero();
    }

    /** Sessions waiting for the lock the test holds: the refresh of trace.daily it holds. */
    private long waitingForTheGate() throws SQLException {
        return fixture.count(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
                        + " AND classid = 0 AND objid = 8008 AND objsubid = 1");
    }

    @Test
    void shouldRefreshAViewReadingATableThroughAFunctionWhenTheConfigurationNamesIt()
            throws SQLException {
        // given
        fixture.execute("INSERT INTO public.hidden (v) VALUES (1), (2), (3)");
        Instant committedAt = Instant.now();

        // when: a run that started after the commit (its own, or one that covered it)
        awaitResult("fn.via_function", r -> r.startedAt().isAfter(committedAt));

        // then
        assertThat(orchestrator.jobs().jobsReading(RelationName.parse("public.hidden")))
                .containsExactly("fn.via_function");
        assertThat(fixture.count("SELECT n FROM fn.via_function")).isEqualTo(3);
    }

    @Test
    void shouldRefreshViewsWhoseNamesNeedQuoting() throws SQLException {
        // given
        fixture.execute("INSERT INTO public.names_source (v) VALUES (5)");
        Instant committedAt = Instant.now();

        // when / then
        for (String job : List.of("names.Daily Stats", "names.a\"b", "names.Übersicht_Größe")) {
            awaitResult(job, r -> r.startedAt().isAfter(committedAt));
        }
        assertThat(fixture.count("SELECT n FROM names.\"Daily Stats\" WHERE v = 5")).isEqualTo(1);
        assertThat(fixture.count("SELECT n FROM names.\"a\"\"b\" WHERE v = 5")).isEqualTo(1);
    }

    @Test
    void shouldRejectACommandForAnInjectedNameAndExecuteNothing() throws Exception {
        // given
        var id = UUID.randomUUID();
        String job = "x; DROP TABLE public.canary";

        // when
        fixture.send(
                topics.refreshCommands().name(),
                job,
                "{\"job\":\"" + job + "\",\"id\":\"" + id + "\"}");

        // then
        var result =
                results.awaitFirst(
                        "a result for the injected command", WAIT, r -> id.equals(r.commandId()));
        assertThat(result.status()).isEqualTo(Status.REJECTED);
        assertThat(result.startedAt()).as("nothing executed").isNull();
        assertThat(fixture.count("SELECT count(*) FROM public.canary"))
                .as("the table is still there")
                .isZero();
    }

    private RefreshResult awaitResult(String job, Predicate<RefreshResult> filter) {
        return results.awaitFirst(
                "a SUCCEEDED refresh of " + job,
                WAIT,
                r -> r.job().equals(job) && r.status() == Status.SUCCEEDED && filter.test(r));
    }
}
