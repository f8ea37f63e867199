package io.refreshorchestrator.app;

import static io.refreshorchestrator.app.OrchestratorFixture.scaled;
import static org.assertj.core.api.Assertions.assertThat;

import io.refreshorchestrator.config.OrchestratorConfig;
import io.refreshorchestrator.events.RefreshResult;
import io.refreshorchestrator.events.Status;
import io.refreshorchestrator.events.Topics;
import io.refreshorchestrator.local.LocalStack;
import io.refreshorchestrator.local.LocalStackExtension;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The publication follows the discovered graph across restarts. */
@ExtendWith(LocalStackExtension.class)
class PublicationIT {

    private static final Duration READY = scaled(Duration.ofSeconds(120));
    private static final Duration WAIT = scaled(Duration.ofSeconds(60));

    private OrchestratorFixture fixture;

    @Test
    void shouldPublishExactlyTheSourceTablesOfTheJobsFoundAtEachStart(
            LocalStack stack, @TempDir Path stateDir) throws Exception {
        // given: one view on p1
        fixture =
                new OrchestratorFixture(
                        stack, stack.postgres().createDatabase("publication"), "pub");
        fixture.execute(
                """
                CREATE TABLE public.p1 (id bigserial PRIMARY KEY, v int NOT NULL);
                CREATE TABLE public.p2 (id bigserial PRIMARY KEY, v int NOT NULL);
                CREATE SCHEMA pub;
                CREATE MATERIALIZED VIEW pub.v1 AS SELECT count(*) AS n FROM public.p1;
                """);
        try (var first = start(stateDir)) {
            assertThat(published()).containsExactly("public.p1");
        }

        // when: the view on p1 is gone, one on p2 appeared
        fixture.execute(
                """
                DROP MATERIALIZED VIEW pub.v1;
                CREATE MATERIALIZED VIEW pub.v2 AS SELECT count(*) AS n FROM public.p2;
                CREATE UNIQUE INDEX ON pub.v2 (n);
                """);
        try (var second = start(stateDir);
                var results =
                        new TopicTail<>(
                                fixture.bootstrap(), fixture.resultsTopic(), Topics.RESULT_SERDE)) {
            // then
            assertThat(published()).containsExactly("public.p2");
            fixture.execute("INSERT INTO public.p2 (v) VALUES (1)");
            Instant committedAt = Instant.now();
            // Any successful run that started after the commit covers it: the start-up refresh
            // may, and then the insert's own command is SKIPPED as covered.
            results.awaitFirst(
                    "a refresh of pub.v2 started after the insert",
                    WAIT,
                    (RefreshResult r) ->
                            r.job().equals("pub.v2")
                                    && r.status() == Status.SUCCEEDED
                                    && r.startedAt().isAfter(committedAt));
        } finally {
            fixture.dropSlot();
        }
    }

    /**
     * Both starts share one application id, as a restarted deployment does: the topology leaves its
     * group on close, so the second start is assigned at once.
     */
    private Orchestrator start(Path stateDir) throws InterruptedException {
        var orchestrator = Orchestrator.start(config(stateDir));
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
        try (var connection = fixture.connect();
                var statement =
                        connection.prepareStatement(
                                "SELECT schemaname || '.' || tablename FROM pg_publication_tables"
                                        + " WHERE pubname = ?")) {
            statement.setString(1, fixture.slot());
            try (var rows = statement.executeQuery()) {
                while (rows.next()) {
                    tables.add(rows.getString(1));
                }
            }
        }
        return tables;
    }

    private OrchestratorConfig config(Path stateDir) {
        return fixture.config(
                stateDir,
                """
                defaults:
                  debounce: 200ms
                  max-delay: 2s
                discovery:
                  schemas: [pub]
                """,
                "PublicationIT");
    }
}
