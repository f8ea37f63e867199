package io.refreshorchestrator.executor;

import static io.refreshorchestrator.executor.ExecutorHarness.scaled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.refreshorchestrator.config.PostgresSettings;
import io.refreshorchestrator.config.Secret;
import io.refreshorchestrator.discovery.JobAction;
import io.refreshorchestrator.discovery.JobGraph;
import io.refreshorchestrator.discovery.JobPolicy;
import io.refreshorchestrator.discovery.JobSpec;
import io.refreshorchestrator.discovery.RelationName;
import io.refreshorchestrator.events.ChangeSummary;
import io.refreshorchestrator.events.DeadLetter;
import io.refreshorchestrator.events.Reason;
import io.refreshorchestrator.events.RefreshCommand;
import io.refreshorchestrator.events.RefreshMode;
import io.refreshorchestrator.events.RefreshResult;
import io.refreshorchestrator.events.Status;
import io.refreshorchestrator.events.Topics;
import io.refreshorchestrator.local.KafkaBroker;
import io.refreshorchestrator.local.LocalStackExtension;
import io.refreshorchestrator.local.PostgresServer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The executor against a real Kafka broker and a real PostgreSQL: commands in through a plain
 * producer, results and dead letters out through read_committed consumers.
 */
@ExtendWith({QuietClientLogs.class, LocalStackExtension.class})
class ExecutorIT {

    private static final RelationName PLAYS = new RelationName("analytics", "plays");
    private static final RelationName POPULAR = new RelationName("analytics", "popular_tracks");
    private static final RelationName COUNTS = new RelationName("analytics", "play_counts");
    private static final RelationName NEVER_FILLED = new RelationName("analytics", "never_filled");
    private static final RelationName SLOW = new RelationName("analytics", "slow");
    private static final RelationName SLEEPY = new RelationName("analytics", "sleepy");
    private static final RelationName DROPPED = new RelationName("analytics", "dropped");
    private static final RelationName ODD = new RelationName("Odd \"Schema\"", "Top; DROP TABLE x");
    private static final JobPolicy SHORT_TIMEOUT =
            new JobPolicy(
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(10),
                    Duration.ofMillis(500),
                    Duration.ofSeconds(5));
    private static final JobPolicy SHORT_LOCK_TIMEOUT =
            new JobPolicy(
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(10),
                    Duration.ofSeconds(30),
                    Duration.ofMillis(200));
    private static final JobGraph JOBS =
            JobGraph.of(
                    List.of(
                            job(POPULAR, JobPolicy.DEFAULTS),
                            job(COUNTS, JobPolicy.DEFAULTS),
                            job(NEVER_FILLED, JobPolicy.DEFAULTS),
                            job(SLOW, SHORT_TIMEOUT),
                            job(SLEEPY, JobPolicy.DEFAULTS),
                            job(DROPPED, JobPolicy.DEFAULTS),
                            named("impatient", POPULAR, SHORT_LOCK_TIMEOUT),
                            named("odd", ODD, JobPolicy.DEFAULTS)));

    private static PostgresServer postgres;
    private static KafkaBroker kafka;
    private static String database;
    private static PostgresSettings postgresSettings;

    private final List<ExecutorHarness> harnesses = new ArrayList<>();

    private static JobSpec job(RelationName view, JobPolicy policy) {
        return JobSpec.refresh(view, Set.of(PLAYS), policy);
    }

    /** A refresh job whose name differs from its view's. */
    private static JobSpec named(String name, RelationName view, JobPolicy policy) {
        return new JobSpec(
                name,
                new JobAction.RefreshView(view, java.util.Optional.empty()),
                Set.of(PLAYS),
                Set.of(),
                policy,
                java.util.Optional.empty());
    }

    @BeforeAll
    static void createViews(PostgresServer server, KafkaBroker broker) throws SQLException {
        postgres = server;
        kafka = broker;
        database = server.createDatabase("executor_it");
        postgresSettings =
                new PostgresSettings(
                        server.host(),
                        server.port(),
                        database,
                        server.user(),
                        Secret.empty(),
                        Map.of());
        sql(
                """
                CREATE SCHEMA analytics;
                CREATE TABLE analytics.plays (track_id int NOT NULL);
                INSERT INTO analytics.plays SELECT g % 5 FROM generate_series(1, 100) g;
                CREATE MATERIALIZED VIEW analytics.popular_tracks AS
                    SELECT track_id, count(*) AS plays FROM analytics.plays GROUP BY track_id;
                CREATE UNIQUE INDEX ON analytics.popular_tracks (track_id);
                CREATE MATERIALIZED VIEW analytics.play_counts AS
                    SELECT count(*) AS plays FROM analytics.plays;
                CREATE UNIQUE INDEX ON analytics.play_counts ((plays + 0));
                CREATE MATERIALIZED VIEW analytics.never_filled AS
                    SELECT DISTINCT track_id FROM analytics.plays WITH NO DATA;
                CREATE UNIQUE INDEX ON analytics.never_filled (track_id);
                CREATE MATERIALIZED VIEW analytics.slow AS
                    SELECT 1 AS id FROM pg_sleep(5) WITH NO DATA;
                CREATE MATERIALIZED VIEW analytics.sleepy AS
                    SELECT 1 AS id FROM pg_sleep(2) WITH NO DATA;
                """);
        // Quoted by hand here: a text block cannot hold three quotes in a row.
        String odd = "\"Odd \"\"Schema\"\"\".\"Top; DROP TABLE x\"";
        sql(
                "CREATE SCHEMA \"Odd \"\"Schema\"\"\";"
                        + ("CREATE MATERIALIZED VIEW " + odd)
                        + " AS SELECT DISTINCT track_id FROM analytics.plays;"
                        + ("CREATE UNIQUE INDEX ON " + odd + " (track_id);"));
    }

    @AfterEach
    void closeExecutors() throws InterruptedException {
        for (ExecutorHarness harness : harnesses) {
            harness.close();
        }
    }

    private ExecutorHarness executor() {
        return executor(ExecutorSettings.defaults(), Map.of());
    }

    private ExecutorHarness executor(ExecutorSettings settings, Map<String, String> resultsConfig) {
        var harness = new ExecutorHarness(kafka, postgresSettings, JOBS, settings, resultsConfig);
        harnesses.add(harness);
        return harness;
    }

    @Test
    void shouldRefreshConcurrentlyWhenTheViewHasAUniqueIndex() throws Exception {
        // given: a new track played since the last refresh
        var executor = executor();
        sql("INSERT INTO analytics.plays VALUES (101), (101)");
        var firstChangeAt = Instant.now().minusMillis(250);
        var command =
                RefreshCommand.of(
                        UUID.randomUUID(),
                        POPULAR.toString(),
                        Reason.DATA_CHANGE,
                        Instant.now(),
                        "ExecutorIT",
                        new ChangeSummary(
                                2, List.of(PLAYS.toString()), firstChangeAt, null, null, null));

        // when
        executor.send(POPULAR.toString(), json(command));

        // then
        RefreshResult result =
                executor.results.first(
                        "a result for " + command.id(), r -> r.commandId().equals(command.id()));
        assertThat(result.status()).isEqualTo(Status.SUCCEEDED);
        assertThat(result.mode()).isEqualTo(RefreshMode.CONCURRENTLY);
        assertThat(result.detail()).isNull();
        assertThat(result.attempts()).isEqualTo(1);
        assertThat(result.reason()).isEqualTo(Reason.DATA_CHANGE);
        assertThat(result.startedAt()).isNotNull();
        assertThat(result.durationMs()).isNotNegative();
        assertThat(result.firstChangeAt()).isEqualTo(firstChangeAt);
        assertThat(result.freshnessLagMs())
                .isEqualTo(Duration.between(firstChangeAt, result.finishedAt()).toMillis());
        assertThat(queryLong("SELECT plays FROM analytics.popular_tracks WHERE track_id = 101"))
                .isEqualTo(2);
        assertThat(result.txId())
                .as("the refresh's transaction, which also wrote its last_success row")
                .isNotNull();
        assertThat(result.txId() & 0xFFFF_FFFFL)
                .isEqualTo(
                        queryLong(
                                "SELECT xmin::text::bigint FROM refresh_orchestrator.last_success"
                                        + " WHERE job = '"
                                        + POPULAR
                                        + "'"));
    }

    @Test
    void shouldRefreshBlockingWhenNoUniqueIndexIsOnPlainColumns() throws Exception {
        var executor = executor();
        sql("INSERT INTO analytics.plays VALUES (7)");
        long expected = queryLong("SELECT count(*) FROM analytics.plays");

        executor.send(COUNTS.toString(), "{\"job\":\"" + COUNTS + "\"}");

        RefreshResult result = executor.results.first("a result", r -> true);
        assertThat(result.status()).isEqualTo(Status.SUCCEEDED);
        assertThat(result.mode()).isEqualTo(RefreshMode.BLOCKING);
        assertThat(result.detail()).isEqualTo("no unique index on plain columns without WHERE");
        assertThat(queryLong("SELECT plays FROM analytics.play_counts")).isEqualTo(expected);
    }

    @Test
    void shouldPopulateAViewCreatedWithNoData() throws Exception {
        // given: the view cannot even be read yet
        var executor = executor();
        assertThatThrownBy(() -> queryLong("SELECT count(*) FROM analytics.never_filled"))
                .hasMessageContaining("has not been populated");

        // when
        executor.send(NEVER_FILLED.toString(), "{\"job\":\"" + NEVER_FILLED + "\"}");

        // then: a plain REFRESH, although a unique index exists, and the view is readable
        RefreshResult result = executor.results.first("a result", r -> true);
        assertThat(result.status()).isEqualTo(Status.SUCCEEDED);
        assertThat(result.mode()).isEqualTo(RefreshMode.BLOCKING);
        assertThat(result.detail()).isEqualTo("not populated: a plain REFRESH populates it");
        assertThat(queryLong("SELECT count(*) FROM analytics.never_filled")).isPositive();
    }

    @Test
    void shouldFillTheDefaultsOfABareCommand() throws Exception {
        var executor = executor();

        var sent = executor.send(null, "{\"job\":\"" + POPULAR + "\"}");

        RefreshResult result = executor.results.first("a result", r -> true);
        assertThat(result.status()).isEqualTo(Status.SUCCEEDED);
        assertThat(result.reason()).isEqualTo(Reason.MANUAL);
        assertThat(result.job()).isEqualTo(POPULAR.toString());
        assertThat(result.commandId())
                .isEqualTo(
                        UUID.nameUUIDFromBytes(
                                (executor.commandsTopic + "/0/" + sent.offset())
                                        .getBytes(StandardCharsets.UTF_8)));
        assertThat(result.requestedAt()).isEqualTo(Instant.ofEpochMilli(sent.timestamp()));
        assertThat(result.firstChangeAt()).isNull();
        assertThat(result.freshnessLagMs()).isNull();
    }

    @Test
    void shouldDeadLetterRecordsItCannotReadAndGoOnServing() throws Exception {
        // given
        var executor = executor();

        // when
        executor.send("x", "{not json");
        executor.send("y", "{\"reason\":\"MANUAL\"}");
        executor.send("z", "{\"job\":\"" + "x".repeat(70_000) + "\"}");
        executor.send(COUNTS.toString(), "{\"job\":\"" + COUNTS + "\"}");

        // then: the bad records kept with their reason and coordinates
        RefreshResult served = executor.results.first("the valid command's result", r -> true);
        assertThat(served.status()).isEqualTo(Status.SUCCEEDED);
        await("three dead letters")
                .atMost(scaled(Duration.ofSeconds(10)))
                .until(() -> executor.deadLetters.values().size() == 3);
        List<DeadLetter> letters = executor.deadLetters.values();
        assertThat(letters.get(0).reason()).contains("malformed JSON");
        assertThat(letters.get(0).value()).isEqualTo("{not json");
        assertThat(letters.get(0).sourceTopic()).isEqualTo(executor.commandsTopic);
        assertThat(letters.get(0).sourceOffset()).isZero();
        assertThat(letters.get(0).key()).isEqualTo("x");
        assertThat(letters.get(1).reason()).contains("missing required field 'job'");
        assertThat(letters.get(1).sourceOffset()).isEqualTo(1);
        assertThat(letters.get(2).reason())
                .isEqualTo(
                        "command of 70010 bytes exceeds the limit of 65536 bytes (value kept"
                                + " truncated to the limit)");
        assertThat(letters.get(2).value()).hasSize(65_536);
        assertThat(executor.results.values()).hasSize(1);
        await("the group to commit past all four records")
                .atMost(scaled(Duration.ofSeconds(10)))
                .until(executor::committedOffset, offset -> offset == 4);
    }

    @Test
    void shouldRejectAnUnknownJob() {
        var executor = executor();

        executor.send("analytics.nope", "{\"job\":\"analytics.nope\"}");

        RefreshResult result = executor.results.first("a result", r -> true);
        assertThat(result.status()).isEqualTo(Status.REJECTED);
        assertThat(result.error().message()).isEqualTo("unknown job 'analytics.nope'");
        assertThat(result.attempts()).isZero();
        assertThat(result.startedAt()).isNull();
        DeadLetter letter = executor.deadLetters.first("a dead letter", d -> true);
        assertThat(letter.reason()).isEqualTo("unknown job 'analytics.nope'");
    }

    @Test
    void shouldCommitOnlyPastRecordsWhoseResultWasAcknowledged() throws Exception {
        // given: a results topic that rejects every result (records over 100 bytes)
        var executor =
                executor(
                        ExecutorSettings.defaults()
                                .withRetries(5, Duration.ofMillis(200), Duration.ofSeconds(1)),
                        Map.of("max.message.bytes", "100"));

        // when
        executor.send(COUNTS.toString(), "{\"job\":\"" + COUNTS + "\"}");

        // then: the refresh runs, but without an acknowledged result nothing is committed
        await("the offset to stay uncommitted while the result is not acknowledged")
                .during(scaled(Duration.ofSeconds(3)))
                .atMost(scaled(Duration.ofSeconds(5)))
                .until(executor::committedOffset, offset -> offset == -1);
        assertThat(executor.results.values()).isEmpty();

        // when: the topic accepts results again
        setTopicConfig(executor.resultsTopic, "max.message.bytes", "1048588");

        // then: the same result goes out, then the offset moves past its record
        assertThat(executor.results.first("the delayed result", r -> true).status())
                .isEqualTo(Status.SUCCEEDED);
        await("the offset to move past the record once its result is acknowledged")
                .atMost(scaled(Duration.ofSeconds(10)))
                .until(executor::committedOffset, offset -> offset == 1);

        // and the executor goes on serving
        executor.send(COUNTS.toString(), "{\"job\":\"" + COUNTS + "\"}");
        await("the next command to be committed")
                .atMost(scaled(Duration.ofSeconds(10)))
                .until(executor::committedOffset, offset -> offset == 2);
        assertThat(executor.results.values()).hasSize(2);
    }

    @Test
    void shouldReportTimedOutWhenTheRefreshOutrunsTheJobTimeout() {
        var executor = executor();

        executor.send(SLOW.toString(), "{\"job\":\"" + SLOW + "\"}");

        RefreshResult result = executor.results.first("a result", r -> true);
        assertThat(result.status()).isEqualTo(Status.TIMED_OUT);
        assertThat(result.error().sqlState()).isEqualTo("57014");
        assertThat(result.attempts()).isEqualTo(1);
        assertThat(result.durationMs()).isBetween(400L, 4_000L);
    }

    @Test
    void shouldFailAtOnceWhenTheViewDoesNotExist() {
        var executor = executor();

        executor.send(DROPPED.toString(), "{\"job\":\"" + DROPPED + "\"}");

        RefreshResult result = executor.results.first("a result", r -> true);
        assertThat(result.status()).isEqualTo(Status.FAILED);
        assertThat(result.error().sqlState()).isEqualTo("42P01");
        assertThat(result.error().message()).contains("analytics.dropped does not exist");
        assertThat(result.attempts()).isEqualTo(1);
    }

    @Test
    void shouldRetryWhileTheViewIsLockedThenSucceed() throws Exception {
        // given: another session mid-refresh of the view, a job waiting 200 ms per attempt
        var executor =
                executor(
                        ExecutorSettings.defaults()
                                .withRetries(30, Duration.ofMillis(100), Duration.ofMillis(300)),
                        Map.of());
        try (Connection locker = postgres.connect(database)) {
            locker.setAutoCommit(false);
            holdRefreshLock(locker);

            // when
            executor.send("impatient", "{\"job\":\"impatient\"}");
            await("no result while the lock is held")
                    .during(scaled(Duration.ofSeconds(1)))
                    .atMost(scaled(Duration.ofSeconds(3)))
                    .until(() -> executor.results.values().isEmpty());
            locker.rollback();
        }

        // then
        RefreshResult result = executor.results.first("a result", r -> true);
        assertThat(result.status()).isEqualTo(Status.SUCCEEDED);
        assertThat(result.attempts()).isGreaterThan(1);
    }

    @Test
    void shouldFailWithTheLockErrorOnceAttemptsAreExhausted() throws Exception {
        var executor =
                executor(
                        ExecutorSettings.defaults()
                                .withRetries(3, Duration.ofMillis(50), Duration.ofMillis(100)),
                        Map.of());
        try (Connection locker = postgres.connect(database)) {
            locker.setAutoCommit(false);
            holdRefreshLock(locker);

            executor.send("impatient", "{\"job\":\"impatient\"}");

            RefreshResult result = executor.results.first("a result", r -> true);
            assertThat(result.status()).isEqualTo(Status.FAILED);
            assertThat(result.attempts()).isEqualTo(3);
            assertThat(result.error().sqlState()).isEqualTo("55P03");
            assertThat(result.mode()).isEqualTo(RefreshMode.CONCURRENTLY);
            locker.rollback();
        }
    }

    @Test
    void shouldQuoteCatalogNamesSoOddNamesAreJustNames() throws Exception {
        // given: a view named "Odd ""Schema"""."Top; DROP TABLE x"
        var executor = executor();
        sql("INSERT INTO analytics.plays VALUES (404)");

        // when
        executor.send("odd", "{\"job\":\"odd\"}");

        // then
        RefreshResult result = executor.results.first("a result", r -> true);
        assertThat(result.status()).isEqualTo(Status.SUCCEEDED);
        assertThat(result.mode()).isEqualTo(RefreshMode.CONCURRENTLY);
        assertThat(
                        queryLong(
                                "SELECT count(*) FROM \"Odd \"\"Schema\"\"\".\"Top; DROP TABLE x\""
                                        + " WHERE track_id = 404"))
                .isEqualTo(1);
    }

    @Test
    void shouldWaitUntilTheTriggeringTransactionIsVisible() throws Exception {
        // given: a change whose transaction has not committed yet
        var executor = executor();
        try (Connection writer = postgres.connect(database)) {
            writer.setAutoCommit(false);
            long txId = insertReturningXid(writer, 202);
            executor.send(POPULAR.toString(), json(dataChange(txId)));

            // then: no refresh while it is invisible
            await("no result while the transaction is open")
                    .during(scaled(Duration.ofSeconds(1)))
                    .atMost(scaled(Duration.ofSeconds(3)))
                    .until(() -> executor.results.values().isEmpty());

            // when
            Instant beforeCommit = Instant.now();
            writer.commit();

            // then: the refresh started after the commit and saw the change
            RefreshResult result = executor.results.first("a result", r -> true);
            assertThat(result.status()).isEqualTo(Status.SUCCEEDED);
            assertThat(result.startedAt()).isAfterOrEqualTo(beforeCommit);
            assertThat(result.detail()).isNull();
        }
        assertThat(queryLong("SELECT plays FROM analytics.popular_tracks WHERE track_id = 202"))
                .isEqualTo(1);
    }

    @Test
    void shouldWaitUntilEveryUpstreamRefreshACascadeCarriesIsVisible() throws Exception {
        // given: a cascade carrying an upstream refresh whose transaction has not committed yet
        var executor = executor();
        try (Connection upstream = postgres.connect(database)) {
            upstream.setAutoCommit(false);
            long refreshTxId = insertReturningXid(upstream, 505);
            Instant now = Instant.now();
            var cascade =
                    RefreshCommand.of(
                            UUID.randomUUID(),
                            POPULAR.toString(),
                            Reason.CASCADE,
                            now,
                            "ExecutorIT",
                            new ChangeSummary(
                                    1,
                                    List.of("analytics.upstream"),
                                    now,
                                    now,
                                    null,
                                    null,
                                    Map.of("analytics.upstream", refreshTxId)));
            executor.send(POPULAR.toString(), json(cascade));

            // then: no refresh while it is invisible
            await("no result while the upstream transaction is open")
                    .during(scaled(Duration.ofSeconds(1)))
                    .atMost(scaled(Duration.ofSeconds(3)))
                    .until(() -> executor.results.values().isEmpty());

            // when
            Instant beforeCommit = Instant.now();
            upstream.commit();

            // then
            RefreshResult result = executor.results.first("a result", r -> true);
            assertThat(result.status()).isEqualTo(Status.SUCCEEDED);
            assertThat(result.startedAt()).isAfterOrEqualTo(beforeCommit);
            assertThat(result.detail()).isNull();
        }
        assertThat(queryLong("SELECT plays FROM analytics.popular_tracks WHERE track_id = 505"))
                .isEqualTo(1);
    }

    @Test
    void shouldRefreshAnywayOnceTheVisibilityWaitIsOver() throws Exception {
        var executor =
                executor(
                        ExecutorSettings.defaults().withVisibilityWait(Duration.ofMillis(500)),
                        Map.of());
        try (Connection writer = postgres.connect(database)) {
            writer.setAutoCommit(false);
            long txId = insertReturningXid(writer, 303);

            executor.send(POPULAR.toString(), json(dataChange(txId)));

            RefreshResult result = executor.results.first("a result", r -> true);
            assertThat(result.status()).isEqualTo(Status.SUCCEEDED);
            assertThat(result.detail())
                    .isEqualTo(
                            "transaction "
                                    + txId
                                    + " not visible after 500 ms: refreshed without waiting"
                                    + " longer");
            writer.rollback();
        }
    }

    @Test
    void shouldRideOutADatabaseRestart() throws Exception {
        // given
        var executor =
                executor(
                        ExecutorSettings.defaults()
                                .withRetries(20, Duration.ofMillis(200), Duration.ofSeconds(1)),
                        Map.of());
        postgres.stop();
        try {
            // when: a command arrives while the database is down
            executor.send(COUNTS.toString(), "{\"job\":\"" + COUNTS + "\"}");
            await("no result while the database is down")
                    .during(scaled(Duration.ofSeconds(2)))
                    .atMost(scaled(Duration.ofSeconds(4)))
                    .until(() -> executor.results.values().isEmpty());
        } finally {
            postgres.restart();
        }

        // then
        RefreshResult result = executor.results.first("a result after the restart", r -> true);
        assertThat(result.status()).isEqualTo(Status.SUCCEEDED);
        assertThat(executor.executorAlive()).isTrue();
    }

    @Test
    void shouldRideOutABrokerCrashDuringARefresh() throws Exception {
        // given: a refresh under way (it takes 2 s)
        var executor =
                executor(
                        ExecutorSettings.defaults()
                                .withRetries(5, Duration.ofMillis(200), Duration.ofSeconds(1)),
                        Map.of());
        executor.send(SLEEPY.toString(), "{\"job\":\"" + SLEEPY + "\"}");
        await("the refresh to be running")
                .atMost(scaled(Duration.ofSeconds(15)))
                .until(() -> refreshesRunning() == 1);

        // when: the broker crashes, and comes back only after the refresh finished
        kafka.kill();
        try {
            await("the refresh to finish while the broker is down")
                    .atMost(scaled(Duration.ofSeconds(15)))
                    .until(() -> refreshesRunning() == 0);
        } finally {
            kafka.restart();
        }

        // then: the result is published and the command committed, by the same executor
        RefreshResult result = executor.results.first("the result after the crash", r -> true);
        assertThat(result.status()).isEqualTo(Status.SUCCEEDED);
        await("the offset to move past the command")
                .atMost(scaled(Duration.ofSeconds(30)))
                .until(executor::committedOffset, offset -> offset == 1);
        assertThat(executor.executorAlive()).isTrue();
    }

    /** A plain REFRESH left uncommitted holds the view's ACCESS EXCLUSIVE lock. */
    private static void holdRefreshLock(Connection locker) throws SQLException {
        try (var statement = locker.createStatement()) {
            statement.execute("REFRESH MATERIALIZED VIEW analytics.popular_tracks");
        }
    }

    private static long refreshesRunning() throws SQLException {
        return queryLong(
                "SELECT count(*) FROM pg_stat_activity"
                        + " WHERE state = 'active' AND query LIKE 'REFRESH MATERIALIZED VIEW%'");
    }

    private static void setTopicConfig(String topic, String name, String value) throws Exception {
        kafka.admin()
                .incrementalAlterConfigs(
                        Map.of(
                                new ConfigResource(ConfigResource.Type.TOPIC, topic),
                                List.of(
                                        new AlterConfigOp(
                                                new ConfigEntry(name, value),
                                                AlterConfigOp.OpType.SET))))
                .all()
                .get();
    }

    private static RefreshCommand dataChange(long txId) {
        Instant now = Instant.now();
        return RefreshCommand.of(
                UUID.randomUUID(),
                POPULAR.toString(),
                Reason.DATA_CHANGE,
                now,
                "ExecutorIT",
                new ChangeSummary(1, List.of(PLAYS.toString()), now, now, txId, null));
    }

    /** Inserts a play and returns the 32-bit xid of its transaction, as Debezium reports it. */
    private static long insertReturningXid(Connection writer, int trackId) throws SQLException {
        try (var statement = writer.createStatement()) {
            statement.execute("INSERT INTO analytics.plays VALUES (" + trackId + ")");
            try (var row = statement.executeQuery("SELECT pg_current_xact_id()::text")) {
                row.next();
                return Long.parseLong(row.getString(1)) & 0xFFFF_FFFFL;
            }
        }
    }

    private static String json(RefreshCommand command) {
        return new String(Topics.COMMAND_SERDE.write(command), StandardCharsets.UTF_8);
    }

    private static void sql(String statements) throws SQLException {
        try (Connection connection = postgres.connect(database);
                var statement = connection.createStatement()) {
            statement.execute(statements);
        }
    }

    private static long queryLong(String query) throws SQLException {
        try (Connection connection = postgres.connect(database);
                var statement = connection.createStatement();
                var row = statement.executeQuery(query)) {
            row.next();
            return row.getLong(1);
        }
    }
}
