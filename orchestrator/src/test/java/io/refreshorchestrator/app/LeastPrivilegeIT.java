package io.refreshorchestrator.app;

import static io.refreshorchestrator.app.OrchestratorFixture.scaled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.refreshorchestrator.events.RefreshResult;
import io.refreshorchestrator.events.Status;
import io.refreshorchestrator.events.Topics;
import io.refreshorchestrator.local.LocalStack;
import io.refreshorchestrator.local.LocalStackExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole {@code run} process (capture with heartbeats, topology, executor) as an ordinary role
 * holding exactly the privileges the README lists: the SQL block of its "PostgreSQL privileges"
 * section, read from README.md, is this test's setup, so the two cannot drift.
 */
@ExtendWith(LocalStackExtension.class)
class LeastPrivilegeIT {

    private static final Duration READY = scaled(Duration.ofSeconds(120));
    private static final Duration WAIT = scaled(Duration.ofSeconds(60));

    // The names the README's block uses.
    private static final String DATABASE = "app";
    private static final String ROLE = "refresh_orchestrator";
    private static final String VIEW = "analytics.popular_tracks";

    @Test
    void shouldRefreshEndToEndAsTheRoleTheReadmeSetsUp(LocalStack stack, @TempDir Path dir)
            throws Exception {
        // given the application's tables and view, made by a superuser
        try (var admin = stack.postgres().connect()) {
            admin.createStatement().execute("CREATE DATABASE " + DATABASE);
        }
        execute(
                stack,
                """
                CREATE TABLE public.plays (id bigserial PRIMARY KEY, track_id int NOT NULL);
                CREATE SCHEMA analytics;
                CREATE MATERIALIZED VIEW analytics.popular_tracks AS
                  SELECT track_id, count(*) AS plays FROM public.plays GROUP BY track_id;
                CREATE UNIQUE INDEX ON analytics.popular_tracks (track_id);
                """);

        // and the README's privilege setup, word for word
        execute(stack, ReadmeBlocks.sql("least-privilege-setup"));
        assertOnlyTheListedPrivileges(stack);

        String name = "leastpriv-" + UUID.randomUUID().toString().substring(0, 8);
        Path config = dir.resolve("orchestrator.yml");
        Files.writeString(config, yaml(stack, name, dir.resolve("state")));
        try (var results =
                        new TopicTail<>(
                                stack.kafka().bootstrapServers(),
                                name + "-results",
                                Topics.RESULT_SERDE);
                var orchestrator = ChildOrchestrator.start(config, dir.resolve("run.log"))) {
            orchestrator.awaitReady(READY);

            // then heartbeats move the slot while the tables are idle: the role may emit them
            long idleLsn = currentWalLsn(stack);
            await("the slot's confirmed position past " + idleLsn + " through heartbeats alone")
                    .atMost(WAIT)
                    .until(() -> confirmedFlushLsn(stack) >= idleLsn);

            // when a row is inserted
            execute(stack, "INSERT INTO public.plays (track_id) VALUES (7)");
            Instant committedAt = Instant.now();

            // then the view is refreshed by a run that started after the commit
            results.awaitFirst(
                    "a SUCCEEDED refresh of " + VIEW + " started after the insert",
                    WAIT,
                    (RefreshResult r) ->
                            r.job().equals(VIEW)
                                    && r.status() == Status.SUCCEEDED
                                    && r.startedAt().isAfter(committedAt));
            assertThat(
                            query(
                                    stack,
                                    "SELECT plays FROM analytics.popular_tracks WHERE track_id = 7"))
                    .containsExactly("1");
            assertThat(results.matching(r -> r.status() != Status.SUCCEEDED))
                    .as("no failed or rejected run")
                    .isEmpty();
            assertThat(orchestrator.log()).doesNotContainIgnoringCase("permission denied");
            orchestrator.stop(WAIT);
        } finally {
            execute(
                    stack,
                    "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots"
                            + " WHERE slot_name = 'refresh_orchestrator' AND NOT active");
        }
    }

    /** No superuser, no other attribute, one membership, no CREATE on the database. */
    private static void assertOnlyTheListedPrivileges(LocalStack stack) throws SQLException {
        assertThat(
                        query(
                                stack,
                                "SELECT concat_ws(',', rolsuper, rolcreatedb, rolcreaterole,"
                                        + " rolbypassrls, rolreplication, rolinherit)"
                                        + " FROM pg_roles WHERE rolname = '"
                                        + ROLE
                                        + "'"))
                .as("superuser, createdb, createrole, bypassrls, replication, inherit")
                .containsExactly("f,f,f,f,t,t");
        assertThat(
                        query(
                                stack,
                                "SELECT g.rolname FROM pg_auth_members m"
                                        + " JOIN pg_roles g ON g.oid = m.roleid"
                                        + " JOIN pg_roles r ON r.oid = m.member"
                                        + " WHERE r.rolname = '"
                                        + ROLE
                                        + "'"))
                .as("role memberships")
                .containsExactly("analytics_owner");
        assertThat(
                        query(
                                stack,
                                "SELECT concat_ws(',',"
                                        + " has_database_privilege('"
                                        + ROLE
                                        + "', 'app', 'CREATE'),"
                                        + " (SELECT rolsuper FROM pg_roles WHERE rolname ="
                                        + " 'analytics_owner'))"))
                .as("CREATE on the database, the group role a superuser")
                .containsExactly("f,f");
    }

    private static String yaml(LocalStack stack, String name, Path stateDir) {
        return """
                postgres:
                  host: %s
                  port: %d
                  database: %s
                  user: %s
                kafka:
                  bootstrap-servers: %s
                cdc:
                  topic-prefix: %s
                  offsets-topic: %s-offsets
                  signals-topic: %s-signals
                  poll-interval: 10ms
                  heartbeat-interval: 1s
                topics:
                  commands: %s-commands
                  results: %s-results
                  dlq: %s-dlq
                streams:
                  application-id: %s
                  state-dir: %s
                executor:
                  group-id: %s-executor
                defaults:
                  debounce: 200ms
                  max-delay: 2s
                discovery:
                  schemas: [analytics]
                """
                .formatted(
                        stack.postgres().host(),
                        stack.postgres().port(),
                        DATABASE,
                        ROLE,
                        stack.kafka().bootstrapServers(),
                        name.replace("-", ""),
                        name,
                        name,
                        name,
                        name,
                        name,
                        name,
                        stateDir,
                        name);
    }

    private static long currentWalLsn(LocalStack stack) throws SQLException {
        return Long.parseLong(query(stack, "SELECT pg_current_wal_lsn() - '0/0'::pg_lsn").get(0));
    }

    private static long confirmedFlushLsn(LocalStack stack) throws SQLException {
        var lsn =
                query(
                        stack,
                        "SELECT confirmed_flush_lsn - '0/0'::pg_lsn FROM pg_replication_slots"
                                + " WHERE slot_name = 'refresh_orchestrator'");
        return lsn.isEmpty() || lsn.get(0) == null ? -1 : Long.parseLong(lsn.get(0));
    }

    private static void execute(LocalStack stack, String sql) throws SQLException {
        try (Connection connection = stack.postgres().connect(DATABASE)) {
            connection.createStatement().execute(sql);
        }
    }

    private static List<String> query(LocalStack stack, String sql) throws SQLException {
        var values = new ArrayList<String>();
        try (Connection connection = stack.postgres().connect(DATABASE);
                var rows = connection.createStatement().executeQuery(sql)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }
}
