package io.refreshorchestrator.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.refreshorchestrator.local.LocalStackExtension;
import io.refreshorchestrator.local.PostgresServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** Discovery on a real PostgreSQL: sources and edges of a learning-analytics schema. */
@ExtendWith(LocalStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CatalogDiscoveryIT {

    private PostgresServer postgres;
    private String database;

    @BeforeAll
    void createSchema(PostgresServer postgres) throws SQLException {
        this.postgres = postgres;
        database = postgres.createDatabase("discovery");
        try (var connection = connect()) {
            connection.createStatement().execute(resource("/discovery/learning-analytics.sql"));
            connection
                    .createStatement()
                    .execute(
                            """
                            CREATE FOREIGN DATA WRAPPER no_handler;
                            CREATE SERVER remote FOREIGN DATA WRAPPER no_handler;
                            CREATE FOREIGN TABLE learning.exchange_rates (currency text, rate numeric)
                              SERVER remote;
                            CREATE SCHEMA finance;
                            CREATE MATERIALIZED VIEW finance.priced_tracks AS
                              SELECT t.id, r.rate FROM learning.tracks t, learning.exchange_rates r
                              WITH NO DATA;
                            CREATE FUNCTION learning.user_count() RETURNS bigint
                              LANGUAGE sql STABLE AS 'SELECT count(*) FROM learning.users';
                            CREATE MATERIALIZED VIEW finance.user_total AS
                              SELECT learning.user_count() AS users;
                            """);
        }
    }

    @Test
    void shouldDiscoverTheLearningAnalyticsViewsWithTheirSourcesAndEdges() throws SQLException {
        // when
        DiscoveredGraph discovered;
        try (var connection = connect()) {
            discovered =
                    CatalogReader.discover(
                            connection,
                            new JobDeclarations(
                                    new DiscoverySettings(
                                            List.of("analytics"), List.of(), List.of()),
                                    JobPolicy.DEFAULTS,
                                    List.of()));
        }

        // then
        var graph = discovered.graph();
        assertThat(sourcesByJob(graph))
                .isEqualTo(
                        Map.of(
                                "analytics.daily_active_learning", Set.of("learning.lesson_events"),
                                "analytics.popular_tracks",
                                        Set.of("learning.tracks", "learning.track_enrollments"),
                                "analytics.streak_dropoffs",
                                        Set.of("learning.users", "learning.lesson_events"),
                                "analytics.quiz_completion_rates", Set.of("learning.quiz_attempts"),
                                "analytics.review_session_usage",
                                        Set.of("learning.review_sessions"),
                                "analytics.explanation_engagement",
                                        Set.of("learning.explanation_views"),
                                "analytics.learning_summary", Set.of()));
        assertThat(graph.job("analytics.learning_summary").orElseThrow().upstream())
                .containsExactlyInAnyOrder(
                        "analytics.daily_active_learning", "analytics.quiz_completion_rates");
        assertThat(graph.downstreamOf("analytics.quiz_completion_rates"))
                .containsExactly("analytics.learning_summary");
        var order = graph.topologicalOrder().stream().map(JobSpec::name).toList();
        assertThat(order.indexOf("analytics.learning_summary"))
                .isGreaterThan(order.indexOf("analytics.daily_active_learning"))
                .isGreaterThan(order.indexOf("analytics.quiz_completion_rates"));
        assertThat(graph.sourceTables())
                .extracting(RelationName::toString)
                .doesNotContain("learning.lesson_events_2026", "learning.recent_lesson_events");
        assertThat(discovered.warnings()).isEmpty();
    }

    @Test
    void shouldNoteForeignTablesAndFunctionsTheCatalogCannotSeeThrough() throws SQLException {
        DiscoveredGraph discovered;
        try (var connection = connect()) {
            discovered =
                    CatalogReader.discover(
                            connection,
                            new JobDeclarations(
                                    new DiscoverySettings(List.of("finance"), List.of(), List.of()),
                                    JobPolicy.DEFAULTS,
                                    List.of()));
        }

        var priced = discovered.notes().get("finance.priced_tracks");
        assertThat(priced.foreignSources())
                .containsExactly(RelationName.parse("learning.exchange_rates"));
        assertThat(discovered.graph().job("finance.priced_tracks").orElseThrow().sources())
                .containsExactly(RelationName.parse("learning.tracks"));
        assertThat(discovered.notes().get("finance.user_total").functions())
                .singleElement()
                .asString()
                .contains("user_count()");
        assertThat(discovered.graph().job("finance.user_total").orElseThrow().sources()).isEmpty();
        assertThat(discovered.warnings()).hasSize(2);
    }

    private static Map<String, Set<String>> sourcesByJob(JobGraph graph) {
        return graph.jobs().stream()
                .collect(
                        Collectors.toMap(
                                JobSpec::name,
                                job ->
                                        job.sources().stream()
                                                .map(RelationName::toString)
                                                .collect(Collectors.toSet())));
    }

    private Connection connect() throws SQLException {
        return postgres.connect(database);
    }

    private static String resource(String name) {
        try (var in = CatalogDiscoveryIT.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
