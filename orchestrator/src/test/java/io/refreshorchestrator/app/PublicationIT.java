package io.refreshorchestrator.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.refreshorchestrator.config.ConfigReader;
import io.refreshorchestrator.config.OrchestratorConfig;
import io.refreshorchestrator.config.OrchestratorConfigLoader;
import io.refreshorchestrator.events.RefreshResult;
import io.refreshorchestrator.events.Status;
import io.refreshorchestrator.events.Topics;
import io.refreshorchestrator.local.LocalStack;
import io.refreshorchestrator.local.LocalStackExtension;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The publication follows the discovered graph across restarts. */
@ExtendWith(LocalStackExtension.class)
class PublicationIT {

    private static final double FACTOR =
            Double.parseDouble(System.getProperty("it.timeout.factor", "1"));
    private static final Duration READY = scaled(Duration.ofSeconds(120));
    private static final Duration WAIT = scaled(Duration.ofSeconds(60));

    private LocalStack stack;
    private String database;
    private final String suffix = UUID.randomUUID().toString().substring(0, 8);

    @Test
    void shouldPublishExactlyTheSourceTablesOfTheJobsFoundAtEachStart(
            LocalStack stack, @TempDir Path stateDir) throws Exception {
        // given: one view on p1
        this.stack = stack;
        database = stack.postgres().createDatabase("publication");
        execute(
                """
                CREATE TABLE public.p1 (id bigserial PRIMARY KEY, v int NOT NULL);
                CREATE TABLE public.p2 (id bigserial PRIMARY KEY, v int NOT NULL);
                CREATE SCHEMA pub;
                CREATE MATERIALIZED VIEW pub.v1 AS SELECT count(*) AS n FROM public.p1;
                """);
        try (var first = start(stateDir, 1)) {
            assertThat(published()).containsExactly("public.p1");
        }

        // when: the view on p1 is gone, one on p2 appeared
        execute(
                """
                DROP MATERIALIZED VIEW pub.v1;
                CREATE MATERIALIZED VIEW pub.v2 AS SELECT count(*) AS n FROM public.p2;
                CREATE UNIQUE INDEX ON pub.v2 (n);
                """);
        try (var second = start(stateDir, 2);
                var results =
                        new TopicTail<>(
                                stack.kafka().bootstrapServers(),
                                "pub-" + suffix + "-refresh-results",
                                Topics.RESULT_SERDE)) {
            // then
            assertThat(published()).containsExactly("public.p2");
            execute("INSERT INTO public.p2 (v) VALUES (1)");
            Instant committedAt = Instant.now();
            // Any successful run that started after the commit covers it: the start-up refresh
            // may, and then the insert's own command is SKIPPED as covered.
            await("a refresh of pub.v2 started after the insert")
                    .atMost(WAIT)
                    .until(
                            () ->
                                    results.matching(
                                            (RefreshResult r) ->
                                                    r.job().equals("pub.v2")
                                                            && r.status() == Status.SUCCEEDED
                                                            && r.startedAt().isAfter(committedAt)),
                            found -> !found.isEmpty());
        } finally {
            execute("SELECT pg_drop_replication_slot('pub_" + suffix + "')");
        }
    }

    /**
     * Each start is a new Kafka Streams application: what is tested is capture, and a restarted
     * member of the same group would wait out the previous one's session timeout (45 s).
     */
    private Orchestrator start(Path stateDir, int run) throws InterruptedException {
        var orchestrator = Orchestrator.start(config(stateDir, run));
        try {
            assertThat(orchestrator.awaitReady(READY))
                    .as("capture streaming and topology running within %s", READY)
                    .isTrue();
            return orchestrator;
        } catch (RuntimeException | Error e) {
            orchestrator.close();
            throw e;
        }
    }

    private Set<String> published() throws SQLException {
        var tables = new HashSet<String>();
        try (var connection = connect();
                var statement =
                        connection.prepareStatement(
                                "SELECT schemaname || '.' || tablename FROM pg_publication_tables"
                                        + " WHERE pubname = ?")) {
            statement.setString(1, "pub_" + suffix);
            try (var rows = statement.executeQuery()) {
                while (rows.next()) {
                    tables.add(rows.getString(1));
                }
            }
        }
        return tables;
    }

    private OrchestratorConfig config(Path stateDir, int run) {
        var yaml =
                """
                postgres:
                  host: %1$s
                  port: %2$d
                  database: %3$s
                  user: %4$s
                kafka:
                  bootstrap-servers: %5$s
                cdc:
                  topic-prefix: pub%6$s
                  slot: pub_%6$s
                  publication: pub_%6$s
                  offsets-topic: pub-%6$s-offsets
                  signals-topic: pub-%6$s-signals
                  poll-interval: 10ms
                topics:
                  commands: pub-%6$s-refresh-commands
                  results: pub-%6$s-refresh-results
                  dlq: pub-%6$s-refresh-dlq
                streams:
                  application-id: pub-%6$s-%8$d
                  state-dir: %7$s
                executor:
                  group-id: pub-%6$s-executor
                defaults:
                  debounce: 200ms
                  max-delay: 2s
                discovery:
                  schemas: [pub]
                """
                        .formatted(
                                stack.postgres().host(),
                                stack.postgres().port(),
                                database,
                                stack.postgres().user(),
                                stack.kafka().bootstrapServers(),
                                suffix,
                                stateDir,
                                run);
        return OrchestratorConfigLoader.read(
                ConfigReader.fromYaml(yaml, "PublicationIT", Map.of()));
    }

    private void execute(String sql) throws SQLException {
        try (var connection = connect()) {
            connection.createStatement().execute(sql);
        }
    }

    private Connection connect() throws SQLException {
        return stack.postgres().connect(database);
    }

    private static Duration scaled(Duration duration) {
        return Duration.ofMillis((long) (duration.toMillis() * FACTOR));
    }
}
