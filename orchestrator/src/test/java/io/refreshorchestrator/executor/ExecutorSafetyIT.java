package io.refreshorchestrator.executor;

import static io.refreshorchestrator.executor.ExecutorHarness.scaled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.refreshorchestrator.config.PostgresSettings;
import io.refreshorchestrator.config.Secret;
import io.refreshorchestrator.discovery.JobAction;
import io.refreshorchestrator.discovery.JobGraph;
import io.refreshorchestrator.discovery.JobPolicy;
import io.refreshorchestrator.discovery.JobSpec;
import io.refreshorchestrator.discovery.RelationName;
import io.refreshorchestrator.events.JobKind;
import io.refreshorchestrator.events.Reason;
import io.refreshorchestrator.events.RefreshCommand;
import io.refreshorchestrator.events.RefreshMode;
import io.refreshorchestrator.events.RefreshResult;
import io.refreshorchestrator.events.Status;
import io.refreshorchestrator.events.Topics;
import io.refreshorchestrator.local.KafkaBroker;
import io.refreshorchestrator.local.LocalStackExtension;
import io.refreshorchestrator.local.PostgresServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What makes the executor safe to point at a production database, on a real Kafka broker and a real
 * PostgreSQL: forced modes and duplicate rows, readers holding locks, parallel jobs, coalescing of
 * backlogs and redeliveries, SQL and HTTP jobs.
 */
@ExtendWith({QuietClientLogs.class, LocalStackExtension.class})
class ExecutorSafetyIT {

    private static final RelationName PLAYS = new RelationName("safety", "plays");
    private static final RelationName POPULAR = new RelationName("safety", "popular_tracks");
    private static final RelationName COUNTS = new RelationName("safety", "play_counts");
    private static final RelationName DUPLICATES = new RelationName("safety", "duplicates");
    private static final RelationName SLEEPY = new RelationName("safety", "sleepy");
    private static final JobPolicy SHORT_LOCK_TIMEOUT =
            new JobPolicy(
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(10),
                    Duration.ofSeconds(30),
                    Duration.ofMillis(200));
    private static final JobGraph JOBS =
            JobGraph.of(
                    List.of(
                            JobSpec.refresh(POPULAR, Set.of(PLAYS), JobPolicy.DEFAULTS),
                            JobSpec.refresh(COUNTS, Set.of(PLAYS), JobPolicy.DEFAULTS),
                            JobSpec.refresh(DUPLICATES, Set.of(PLAYS), JobPolicy.DEFAULTS),
                            JobSpec.refresh(SLEEPY, Set.of(PLAYS), JobPolicy.DEFAULTS),
                            refresh("forced_blocking", POPULAR, RefreshMode.BLOCKING),
                            job(
                                    "impatient_counts",
                                    new JobAction.RefreshView(COUNTS, Optional.empty()),
                                    SHORT_LOCK_TIMEOUT),
                            job(
                                    "rollup_daily_usage",
                                    new JobAction.RunSql("SELECT safety.rollup_daily_usage()"),
                                    JobPolicy.DEFAULTS)));

    private static PostgresServer postgres;
    private static KafkaBroker kafka;
    private static String database;
    private static PostgresSettings postgresSettings;

    private final List<ExecutorHarness> harnesses = new ArrayList<>();
    private HttpServer http;

    private static JobSpec refresh(String name, RelationName view, RefreshMode mode) {
        return job(name, new JobAction.RefreshView(view, Optional.of(mode)), JobPolicy.DEFAULTS);
    }

    private static JobSpec job(String name, JobAction action, JobPolicy policy) {
        return new JobSpec(name, action, Set.of(PLAYS), Set.of(), policy, Optional.empty());
    }

    @BeforeAll
    static void createViews(PostgresServer server, KafkaBroker broker) throws SQLException {
        postgres = server;
        kafka = broker;
        database = server.createDatabase("executor_safety_it");
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
                CREATE SCHEMA safety;
                CREATE TABLE safety.plays (track_id int NOT NULL);
                INSERT INTO safety.plays SELECT g % 5 FROM generate_series(1, 100) g;
                CREATE MATERIALIZED VIEW safety.popular_tracks AS
                    SELECT track_id, count(*) AS plays FROM safety.plays GROUP BY track_id;
                CREATE UNIQUE INDEX ON safety.popular_tracks (track_id);
                CREATE MATERIALIZED VIEW safety.play_counts AS
                    SELECT count(*) AS plays FROM safety.plays;
                CREATE TABLE safety.dup_source (id int NOT NULL);
                INSERT INTO safety.dup_source VALUES (1), (2);
                CREATE MATERIALIZED VIEW safety.duplicates AS SELECT id FROM safety.dup_source;
                CREATE UNIQUE INDEX ON safety.duplicates (id);
                CREATE MATERIALIZED VIEW safety.sleepy AS
                    SELECT 1 AS id FROM pg_sleep(0.5);
                CREATE TABLE safety.daily_usage (rolled_up_at timestamptz NOT NULL);
                CREATE FUNCTION safety.rollup_daily_usage() RETURNS void LANGUAGE sql AS
                    'INSERT INTO safety.daily_usage VALUES (clock_timestamp())';
                """);
    }

    @AfterEach
    void stop() throws InterruptedException {
        for (ExecutorHarness harness : harnesses) {
            harness.close();
        }
        if (http != null) {
            http.stop(0);
        }
    }

    private ExecutorHarness executor(JobGraph jobs, ExecutorSettings settings) {
        return executor(jobs, settings, 1, Map.of());
    }

    private ExecutorHarness executor(
            JobGraph jobs, ExecutorSettings settings, int partitions, Map<String, String> env) {
        var harness =
                new ExecutorHarness(
                        kafka, postgresSettings, jobs, settings, Map.of(), partitions, env);
        harnesses.add(harness);
        return harness;
    }

    @Test
    void shouldRefreshInTheForcedMode() {
        var executor = executor(JOBS, ExecutorSettings.defaults());

        executor.send("forced_blocking", "{\"job\":\"forced_blocking\"}");

        RefreshResult result = executor.results.first("a result", r -> true);
        assertThat(result.status()).isEqualTo(Status.SUCCEEDED);
        assertThat(result.mode()).isEqualTo(RefreshMode.BLOCKING);
        assertThat(result.detail()).isEqualTo("mode forced by configuration");
    }

    @Test
    void shouldFailAtOnceWhenConcurrentlyMeetsDuplicateRows() throws Exception {
        // given: the view's new data holds the same row twice
        var executor = executor(JOBS, ExecutorSettings.defaults());
        sql("INSERT INTO safety.dup_source VALUES (2)");

        // when
        executor.send(DUPLICATES.toString(), "{\"job\":\"" + DUPLICATES + "\"}");

        // then: one attempt, a classified failure, no retry loop
        RefreshResult result = executor.results.first("a result", r -> true);
        assertThat(result.status()).isEqualTo(Status.FAILED);
        assertThat(result.mode()).isEqualTo(RefreshMode.CONCURRENTLY);
        assertThat(result.attempts()).isEqualTo(1);
        assertThat(result.error().sqlState()).isIn("21000", "23505");
        assertThat(result.detail()).startsWith("duplicate rows: CONCURRENTLY cannot apply");
        sql("DELETE FROM safety.dup_source WHERE id = 2; INSERT INTO safety.dup_source VALUES (2)");
    }

    @Test
    void shouldRetryWhileAReaderHoldsTheViewThenSucceedOnceItLetsGo() throws Exception {
        // given: a reader in an open transaction on a view only a plain REFRESH can refresh
        var executor =
                executor(
                        JOBS,
                        ExecutorSettings.defaults()
                                .withRetries(50, Duration.ofMillis(100), Duration.ofMillis(300)));
        try (Connection reader = postgres.connect(database)) {
            reader.setAutoCommit(false);
            try (var statement = reader.createStatement()) {
                statement.executeQuery("SELECT * FROM safety.play_counts").close();
            }

            // when
            executor.send("impatient_counts", "{\"job\":\"impatient_counts\"}");
            // each attempt is a new REFRESH statement, waiting for the lock from its own start
            Set<String> waitingAttempts = new java.util.HashSet<>();
            await("a lock timeout to be retried while the reader holds the view")
                    .atMost(scaled(Duration.ofSeconds(15)))
                    .pollInterval(Duration.ofMillis(20))
                    .until(
                            () -> {
                                waitingAttempts.addAll(
                                        queryStrings(
                                                "SELECT query_start::text FROM pg_stat_activity"
                                                        + " WHERE wait_event_type = 'Lock' AND"
                                                        + " query LIKE 'REFRESH MATERIALIZED"
                                                        + " VIEW %play_counts%'"));
                                return waitingAttempts.size() >= 2;
                            });
            assertThat(executor.results.values()).isEmpty();
            reader.rollback();
        }

        // then
        RefreshResult result = executor.results.first("a result", r -> true);
        assertThat(result.status()).isEqualTo(Status.SUCCEEDED);
        assertThat(result.mode()).isEqualTo(RefreshMode.BLOCKING);
        assertThat(result.detail()).isEqualTo(ModePlanner.NO_UNIQUE_INDEX);
        assertThat(result.attempts()).isGreaterThan(1);
    }

    @Test
    void shouldNotLetOneBlockedViewHoldUpTheOthers() throws Exception {
        // given: a reader holds play_counts, so its plain refresh waits (lock-timeout 30 s)
        var executor = executor(JOBS, ExecutorSettings.defaults());
        try (Connection reader = postgres.connect(database)) {
            reader.setAutoCommit(false);
            try (var statement = reader.createStatement()) {
                statement.executeQuery("SELECT * FROM safety.play_counts").close();
            }
            executor.send(COUNTS.toString(), "{\"job\":\"" + COUNTS + "\"}");
            await("the play_counts refresh to wait for the reader")
                    .atMost(scaled(Duration.ofSeconds(15)))
                    .until(() -> queryLong(lockWaits("play_counts")) == 1);

            // when: another view's command arrives behind it on the same partition
            executor.send(POPULAR.toString(), "{\"job\":\"" + POPULAR + "\"}");

            // then: it runs meanwhile
            RefreshResult other = executor.results.first("the other view's result", r -> true);
            assertThat(other.job()).isEqualTo(POPULAR.toString());
            assertThat(other.status()).isEqualTo(Status.SUCCEEDED);
            assertThat(queryLong(lockWaits("play_counts"))).isEqualTo(1);
            assertThat(executor.committedOffset())
                    .as("nothing committed past the unfinished first command")
                    .isLessThan(1);
            reader.rollback();
        }
        RefreshResult blocked =
                executor.results.first(
                        "the blocked view's result", r -> r.job().equals(COUNTS.toString()));
        assertThat(blocked.status()).isEqualTo(Status.SUCCEEDED);
        await("both offsets committed once both results are acknowledged")
                .atMost(scaled(Duration.ofSeconds(10)))
                .until(executor::committedOffset, offset -> offset == 2);
    }

    @Test
    void shouldCoalesceABacklogOfAThousandCommandsIntoAHandfulOfRefreshes() throws Exception {
        // given: 1,000 commands for one view queued before the executor starts
        var executor =
                new ExecutorHarness(
                        kafka,
                        postgresSettings,
                        JOBS,
                        ExecutorSettings.defaults(),
                        Map.of(),
                        1,
                        Map.of(),
                        false);
        harnesses.add(executor);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            var id = UUID.randomUUID();
            ids.add(id.toString());
            executor.sendAsync(
                    POPULAR.toString(),
                    "{\"job\":\"" + POPULAR + "\",\"id\":\"" + id + "\",\"reason\":\"MANUAL\"}");
        }
        executor.flush();

        // when
        executor.start();
        await("a result for each of the 1,000 commands")
                .atMost(scaled(Duration.ofSeconds(120)))
                .until(() -> executor.results.values().size() >= 1_000);

        // then
        List<RefreshResult> results = executor.results.values();
        Map<Status, Long> byStatus =
                results.stream()
                        .collect(
                                Collectors.groupingBy(
                                        RefreshResult::status, Collectors.counting()));
        Set<String> refreshes =
                results.stream()
                        .filter(r -> r.status() == Status.SUCCEEDED)
                        .map(r -> r.commandId().toString())
                        .collect(Collectors.toSet());
        System.out.printf("1,000 queued commands: %s%n", byStatus);
        assertThat(results).hasSize(1_000);
        assertThat(refreshes).hasSizeBetween(1, 5);
        assertThat(byStatus.get(Status.SKIPPED)).isEqualTo(1_000L - refreshes.size());
        assertThat(results)
                .filteredOn(r -> r.status() == Status.SKIPPED)
                .allSatisfy(
                        r ->
                                assertThat(refreshes)
                                        .anySatisfy(
                                                id ->
                                                        assertThat(r.detail())
                                                                .startsWith(
                                                                        "covered by run " + id)));
        assertThat(results.stream().map(r -> r.commandId().toString()))
                .containsExactlyInAnyOrderElementsOf(ids);
    }

    @Test
    void shouldNeverRunARedeliveredCommandTwice() {
        // given: a command that ran
        var executor = executor(JOBS, ExecutorSettings.defaults());
        String command = "{\"job\":\"" + POPULAR + "\",\"id\":\"" + UUID.randomUUID() + "\"}";
        executor.send(POPULAR.toString(), command);
        RefreshResult first = executor.results.first("the first result", r -> true);
        assertThat(first.status()).isEqualTo(Status.SUCCEEDED);

        // when: the same command arrives again, as after a crash before the commit
        executor.send(POPULAR.toString(), command);

        // then
        RefreshResult second =
                executor.results.first("the second result", r -> r != first && !r.equals(first));
        assertThat(second.commandId()).isEqualTo(first.commandId());
        assertThat(second.detail()).startsWith("already ran as this command (redelivered)");
        // the run's own result again, SUCCEEDED so that it cascades, with the run's transaction:
        // nothing ran a second time
        assertThat(second.status()).isEqualTo(Status.SUCCEEDED);
        assertThat(second.txId()).isNotNull().isEqualTo(first.txId());
    }

    @Test
    void shouldRunASqlJobAndReportIt() throws Exception {
        var executor = executor(JOBS, ExecutorSettings.defaults());
        long before = queryLong("SELECT count(*) FROM safety.daily_usage");

        executor.send(
                "rollup_daily_usage",
                json(
                        RefreshCommand.of(
                                UUID.randomUUID(),
                                "rollup_daily_usage",
                                Reason.SCHEDULE,
                                Instant.now(),
                                "schedule",
                                null)));

        RefreshResult result = executor.results.first("a result", r -> true);
        assertThat(result.kind()).isEqualTo(JobKind.SQL);
        assertThat(result.status()).isEqualTo(Status.SUCCEEDED);
        assertThat(result.reason()).isEqualTo(Reason.SCHEDULE);
        assertThat(result.mode()).isNull();
        assertThat(queryLong("SELECT count(*) FROM safety.daily_usage")).isEqualTo(before + 1);
    }

    @Test
    void shouldCallAnHttpJobWithSecretsFromTheEnvironmentAndReportTheStatus() throws Exception {
        // given: a local HTTP server and a job whose token comes from the environment
        List<String> received = new CopyOnWriteArrayList<>();
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext(
                "/hooks/usage",
                exchange -> {
                    String body =
                            new String(
                                    exchange.getRequestBody().readAllBytes(),
                                    StandardCharsets.UTF_8);
                    received.add(
                            exchange.getRequestMethod()
                                    + " "
                                    + exchange.getRequestHeaders().getFirst("Authorization")
                                    + " "
                                    + body);
                    int status = body.contains("fail") ? 404 : 204;
                    exchange.sendResponseHeaders(status, -1);
                    exchange.close();
                });
        http.start();
        URI base = URI.create("http://127.0.0.1:" + http.getAddress().getPort() + "/hooks/usage");
        var jobs =
                JobGraph.of(
                        List.of(
                                job("notify", httpCall(base, "{\"ok\":true}"), JobPolicy.DEFAULTS),
                                job(
                                        "notify_wrong",
                                        httpCall(base, "{\"fail\":true}"),
                                        JobPolicy.DEFAULTS)));
        var executor =
                executor(jobs, ExecutorSettings.defaults(), 1, Map.of("API_TOKEN", "s3cret-42"));

        // when
        executor.send("notify", "{\"job\":\"notify\",\"reason\":\"SCHEDULE\"}");
        executor.send("notify_wrong", "{\"job\":\"notify_wrong\",\"reason\":\"SCHEDULE\"}");

        // then
        RefreshResult ok = executor.results.first("a result", r -> r.job().equals("notify"));
        assertThat(ok.kind()).isEqualTo(JobKind.HTTP);
        assertThat(ok.status()).isEqualTo(Status.SUCCEEDED);
        assertThat(ok.detail()).isEqualTo("HTTP 204");
        assertThat(received).contains("POST Bearer s3cret-42 {\"ok\":true}");
        RefreshResult wrong =
                executor.results.first("a result", r -> r.job().equals("notify_wrong"));
        assertThat(wrong.status()).isEqualTo(Status.FAILED);
        assertThat(wrong.attempts()).isEqualTo(1);
        assertThat(wrong.detail()).isEqualTo("HTTP 404");
        assertThat(executor.results.values().toString()).doesNotContain("s3cret");
    }

    @Test
    void shouldNeverRunTwoRefreshesOfOneViewAtOnceAcrossTwoInstances() throws Exception {
        // given: two executors in one group, each owning some of the three partitions
        var first = executor(JOBS, ExecutorSettings.defaults(), 3, Map.of());
        var second = new ExecutorHarness(first, postgresSettings, ExecutorSettings.defaults());
        harnesses.add(second);
        await("both instances to own partitions")
                .atMost(scaled(Duration.ofSeconds(30)))
                .until(() -> membersWithPartitions(first.groupId) == 2);
        String command = "{\"job\":\"" + SLEEPY + "\"}";
        int[] maxRunning = {0};
        int[] samplesRunning = {0};

        // when: waves of commands for one view (a 0.5 s refresh) on every partition at once
        for (int wave = 1; wave <= 4; wave++) {
            for (int partition = 0; partition < 3; partition++) {
                first.send(partition, null, command);
            }
            int expected = 3 * wave;
            await("results of wave " + wave + ", sampling pg_stat_activity meanwhile")
                    .atMost(scaled(Duration.ofSeconds(60)))
                    .pollInterval(Duration.ofMillis(20))
                    .until(
                            () -> {
                                int running =
                                        (int)
                                                queryLong(
                                                        "SELECT count(*) FROM pg_stat_activity"
                                                                + " WHERE state = 'active' AND"
                                                                + " query LIKE 'REFRESH"
                                                                + " MATERIALIZED VIEW %sleepy%'");
                                maxRunning[0] = Math.max(maxRunning[0], running);
                                samplesRunning[0] += running > 0 ? 1 : 0;
                                return first.results.values().size() >= expected;
                            });
        }

        // then
        List<RefreshResult> results = first.results.values();
        System.out.printf(
                "two instances: %d samples saw a refresh running, at most %d at once; %s%n",
                samplesRunning[0],
                maxRunning[0],
                results.stream()
                        .collect(
                                Collectors.groupingBy(
                                        RefreshResult::status, Collectors.counting())));
        assertThat(maxRunning[0]).isEqualTo(1);
        assertThat(samplesRunning[0]).isPositive();
        assertThat(results).hasSize(12);
        assertThat(results)
                .allSatisfy(r -> assertThat(r.status()).isIn(Status.SUCCEEDED, Status.SKIPPED));
    }

    @Test
    void shouldCoalesceACommandWithTheRunningRefreshElsewhereNotQueueIt() throws Exception {
        // given: instance A refreshing play_counts, held up by a reader mid-refresh
        var instanceA = executor(JOBS, ExecutorSettings.defaults());
        var instanceB = executor(JOBS, ExecutorSettings.defaults());
        try (Connection reader = postgres.connect(database)) {
            reader.setAutoCommit(false);
            try (var statement = reader.createStatement()) {
                statement.executeQuery("SELECT * FROM safety.play_counts").close();
            }
            var runningId = UUID.randomUUID();
            // after every earlier run of the job, before A's run starts
            Instant beforeA = Instant.now();
            instanceA.send(COUNTS.toString(), manualJson(runningId, beforeA));
            await("instance A's refresh to be under way")
                    .atMost(scaled(Duration.ofSeconds(15)))
                    .until(() -> queryLong(lockWaits("play_counts")) == 1);

            // when: instance B gets two commands, one requested before A's run started, one after
            var coveredId = UUID.randomUUID();
            var laterId = UUID.randomUUID();
            instanceB.send(COUNTS.toString(), manualJson(coveredId, beforeA));
            instanceB.send(COUNTS.toString(), manualJson(laterId, Instant.now()));
            await("instance B to wait for the job's lock, not refresh beside A")
                    .during(scaled(Duration.ofSeconds(1)))
                    .atMost(scaled(Duration.ofSeconds(3)))
                    .until(
                            () ->
                                    instanceB.results.values().isEmpty()
                                            && queryLong(lockWaits("play_counts")) == 1);
            reader.rollback();

            // then: the first is covered by A's run; the second needs a refresh of its own
            RefreshResult covered =
                    instanceB.results.first(
                            "the covered command's result", r -> r.commandId().equals(coveredId));
            assertThat(covered.status()).isEqualTo(Status.SKIPPED);
            assertThat(covered.detail()).startsWith("covered by run " + runningId);
            RefreshResult later =
                    instanceB.results.first(
                            "the later command's result", r -> r.commandId().equals(laterId));
            assertThat(later.status()).isEqualTo(Status.SUCCEEDED);
            assertThat(instanceA.results.first("A's result", r -> true).status())
                    .isEqualTo(Status.SUCCEEDED);
        }
    }

    private static String manualJson(UUID id, Instant requestedAt) {
        return json(
                RefreshCommand.of(id, COUNTS.toString(), Reason.MANUAL, requestedAt, "it", null));
    }

    @Test
    void shouldDelayWorkDuringADatabaseOutageAndLoseNone() throws Exception {
        // given: a stream of commands, some running when the database stops
        var executor =
                executor(
                        JOBS,
                        ExecutorSettings.defaults()
                                .withRetries(5, Duration.ofMillis(200), Duration.ofSeconds(2)));
        List<RefreshCommand> sent = new ArrayList<>();
        sendStream(executor, sent, 10);
        executor.results.first("a first refresh before the outage", r -> true);
        postgres.stop();
        try {
            // when: more commands arrive during a 20 s outage
            sendStream(executor, sent, 10);
            await("nothing to fail during the 20 s outage")
                    .during(Duration.ofSeconds(20))
                    .atMost(Duration.ofSeconds(25))
                    .until(
                            () ->
                                    executor.results.values().stream()
                                            .noneMatch(r -> r.status() == Status.FAILED));
        } finally {
            postgres.restart();
        }
        Instant restarted = Instant.now();
        sendStream(executor, sent, 10);

        // then: every command ends SUCCEEDED, or SKIPPED as covered
        await("a result for each of the 30 commands")
                .atMost(scaled(Duration.ofSeconds(90)))
                .until(() -> executor.results.values().size() >= 30);
        List<RefreshResult> results = executor.results.values();
        System.out.printf(
                "30 commands around a 20 s outage: %s; all results %d ms after the restart;"
                        + " at most %d attempts%n",
                results.stream()
                        .collect(
                                Collectors.groupingBy(
                                        RefreshResult::status, Collectors.counting())),
                Duration.between(restarted, Instant.now()).toMillis(),
                results.stream().mapToInt(RefreshResult::attempts).max().orElse(0));
        assertThat(results.stream().map(RefreshResult::commandId))
                .containsExactlyInAnyOrderElementsOf(
                        sent.stream().map(RefreshCommand::id).toList());
        assertThat(results)
                .allSatisfy(r -> assertThat(r.status()).isIn(Status.SUCCEEDED, Status.SKIPPED));
        assertThat(results)
                .filteredOn(r -> r.status() == Status.SKIPPED)
                .allSatisfy(r -> assertThat(r.detail()).startsWith("covered by run "));
        await("the offset to move past all 30 commands")
                .atMost(scaled(Duration.ofSeconds(30)))
                .until(executor::committedOffset, offset -> offset == 30);
    }

    private static void sendStream(ExecutorHarness executor, List<RefreshCommand> sent, int n) {
        for (int i = 0; i < n; i++) {
            String job = (i % 2 == 0 ? POPULAR : COUNTS).toString();
            var command =
                    RefreshCommand.of(
                            UUID.randomUUID(), job, Reason.MANUAL, Instant.now(), "it", null);
            sent.add(command);
            executor.sendAsync(job, json(command));
        }
        executor.flush();
    }

    private static int membersWithPartitions(String groupId) throws Exception {
        var group = kafka.admin().describeConsumerGroups(List.of(groupId)).all().get().get(groupId);
        return (int)
                group.members().stream()
                        .filter(m -> !m.assignment().topicPartitions().isEmpty())
                        .count();
    }

    private static JobAction.CallHttp httpCall(URI url, String body) {
        return new JobAction.CallHttp(
                "POST",
                url,
                Map.of("Authorization", "Bearer ${env:API_TOKEN}"),
                body,
                Duration.ofSeconds(5));
    }

    /** Sessions waiting for a lock on {@code view}. */
    static String lockWaits(String view) {
        return "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation"
                + " WHERE NOT l.granted AND c.relname = '"
                + view
                + "'";
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

    private static List<String> queryStrings(String query) throws SQLException {
        try (Connection connection = postgres.connect(database);
                var statement = connection.createStatement();
                var rows = statement.executeQuery(query)) {
            List<String> values = new ArrayList<>();
            while (rows.next()) {
                values.add(rows.getString(1));
            }
            return values;
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
