package io.refreshorchestrator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.refreshorchestrator.discovery.DeclaredJob;
import io.refreshorchestrator.discovery.JobAction;
import io.refreshorchestrator.discovery.RelationName;
import io.refreshorchestrator.events.JobKind;
import io.refreshorchestrator.events.RefreshMode;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OrchestratorConfigLoaderTest {

    private static final String VALID =
            """
            postgres:
              host: db.internal
              database: app
              user: orchestrator
            kafka:
              bootstrap-servers: broker:9092
            defaults:
              debounce: 2s
              max-delay: 20s
            jobs:
              - view: analytics.popular_tracks
                sources: [public.plays, public.tracks]
                max-delay: 5s
              - view: analytics.daily_active_listeners
                sources: [public.plays]
            """;

    private static OrchestratorConfig load(String yaml, Map<String, String> env) {
        return OrchestratorConfigLoader.read(ConfigReader.fromYaml(yaml, "test.yml", env));
    }

    @Test
    void shouldReadJobsWithDefaultsAndOverrides() {
        // given / when
        var config = load(VALID, Map.of("PGPASSWORD", "s3cret"));

        // then
        var declared = config.jobs().declared();
        assertThat(declared).extracting(DeclaredJob::path).containsExactly("jobs[0]", "jobs[1]");
        var popular = declared.get(0).spec();
        assertThat(popular.view()).isEqualTo(new RelationName("analytics", "popular_tracks"));
        assertThat(popular.sources())
                .containsExactlyInAnyOrder(
                        RelationName.parse("public.plays"), RelationName.parse("public.tracks"));
        assertThat(popular.policy().debounce()).isEqualTo(Duration.ofSeconds(2));
        assertThat(popular.policy().maxDelay()).isEqualTo(Duration.ofSeconds(5));
        var daily = declared.get(1).spec();
        assertThat(daily.policy().maxDelay()).isEqualTo(Duration.ofSeconds(20));
        assertThat(config.jobs().defaults().debounce()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.jobs().discovery().enabled()).isFalse();
        assertThat(config.postgres().password().reveal()).isEqualTo("s3cret");
    }

    @Test
    void shouldLeaveTheCapturedTablesToDiscovery() {
        var config = load(VALID, Map.of());

        assertThat(config.cdc().tables()).isEmpty();
        assertThat(config.cdcEnabled()).isTrue();
        assertThat(config.kafka()).isPresent();
    }

    @Test
    void shouldReadDiscoveryWithoutAnyJob() {
        // given
        var yaml =
                VALID.substring(0, VALID.indexOf("jobs:"))
                        + """
                        discovery:
                          schemas: [analytics, "Reporting"]
                          exclude: [analytics.tmp_*]
                        """;

        // when
        var config = load(yaml, Map.of());

        // then
        var discovery = config.jobs().discovery();
        assertThat(discovery.schemas()).containsExactly("analytics", "Reporting");
        assertThat(discovery.selects(RelationName.parse("analytics.daily"))).isTrue();
        assertThat(discovery.selects(RelationName.parse("analytics.tmp_x"))).isFalse();
        assertThat(discovery.selects(RelationName.parse("public.daily"))).isFalse();
        assertThat(config.jobs().declared()).isEmpty();
    }

    @Test
    void shouldAcceptAViewWithoutSourcesAndNamesWithSpacesAndQuotes() {
        var yaml =
                VALID.substring(0, VALID.indexOf("jobs:"))
                        + """
                        jobs:
                          - view: analytics.Daily Stats
                          - view: 'analytics.a"b'
                        """;

        var declared = load(yaml, Map.of()).jobs().declared();

        assertThat(declared)
                .extracting(job -> job.spec().name())
                .containsExactly("analytics.Daily Stats", "analytics.a\"b");
        assertThat(declared.get(0).spec().sources()).isEmpty();
    }

    @Test
    void shouldApplyEnvironmentOverrides() {
        var config =
                load(
                        VALID,
                        Map.of(
                                "REFRESH_ORCHESTRATOR_KAFKA_BOOTSTRAP_SERVERS", "other:9093",
                                "REFRESH_ORCHESTRATOR_TOPICS_COMMANDS", "team-a.refresh-commands",
                                "REFRESH_ORCHESTRATOR_CDC_ENABLED", "false"));

        assertThat(config.kafka().orElseThrow().bootstrapServers()).isEqualTo("other:9093");
        assertThat(config.topics().commands()).isEqualTo("team-a.refresh-commands");
        assertThat(config.cdcEnabled()).isFalse();
    }

    @Test
    void shouldReadTheControlTopicLikeTheOtherTopics() {
        // given a control topic in the file and a bad one from the environment
        var yaml = VALID + "topics:\n  control: team-a.refresh-control\n";

        // when / then
        assertThat(load(yaml, Map.of()).topics().control()).isEqualTo("team-a.refresh-control");
        assertThat(load(VALID, Map.of()).topics().control()).isEqualTo("refresh-control");
        assertThatThrownBy(
                        () ->
                                load(
                                        yaml,
                                        Map.of(
                                                "REFRESH_ORCHESTRATOR_TOPICS_CONTROL",
                                                "bad topic!")))
                .isInstanceOfSatisfying(
                        ConfigException.class,
                        e ->
                                assertThat(e.problems())
                                        .singleElement()
                                        .satisfies(
                                                p ->
                                                        assertThat(p)
                                                                .startsWith(
                                                                        "topics.control: 'bad"
                                                                                + " topic!'")));
    }

    @Test
    void shouldStartAnEmbeddedBrokerWhenNoKafkaIsConfigured() {
        var config =
                load(VALID.replace("kafka:\n  bootstrap-servers: broker:9092\n", ""), Map.of());

        assertThat(config.kafka()).isEmpty();
    }

    @Test
    void shouldListEveryProblemWithItsPath() {
        var yaml =
                """
                postgres:
                  port: 99999
                  user: orchestrator
                topics:
                  commands: "bad topic!"
                defaults:
                  debounce: 5 parsecs
                jobs:
                  - view: analytics.ok
                    sources: [public.plays]
                  - view: no_schema
                    sources: [nodot]
                  - view: analytics.slow
                    sources: [public.plays]
                    debounce: 10s
                    max-delay: 1s
                    colour: blue
                  - view: analytics.ok
                    sources: [public.plays]
                """;

        assertThatThrownBy(() -> load(yaml, Map.of()))
                .isInstanceOf(ConfigException.class)
                .satisfies(
                        e ->
                                assertThat(((ConfigException) e).problems())
                                        .anySatisfy(p -> assertThat(p).startsWith("postgres.port:"))
                                        .anySatisfy(
                                                p -> assertThat(p).startsWith("postgres.database:"))
                                        .anySatisfy(
                                                p -> assertThat(p).startsWith("topics.commands:"))
                                        .anySatisfy(
                                                p -> assertThat(p).startsWith("defaults.debounce:"))
                                        .anySatisfy(p -> assertThat(p).startsWith("jobs[1].view:"))
                                        .anySatisfy(
                                                p ->
                                                        assertThat(p)
                                                                .startsWith("jobs[1].sources[0]:"))
                                        .anySatisfy(
                                                p -> assertThat(p).startsWith("jobs[2].max-delay:"))
                                        .anySatisfy(
                                                p -> assertThat(p).startsWith("jobs[2].colour:"))
                                        .anySatisfy(
                                                p ->
                                                        assertThat(p)
                                                                .startsWith("jobs[3].view:")
                                                                .contains("twice")));
    }

    @Test
    void shouldRequireAtLeastOneJob() {
        var yaml = VALID.substring(0, VALID.indexOf("defaults:"));

        assertThatThrownBy(() -> load(yaml, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("jobs: list at least one job")
                .hasMessageContaining("or set discovery.schemas");
    }

    @Test
    void shouldReadSqlAndHttpJobsAndAForcedMode() {
        // given
        var yaml =
                VALID.replace("    max-delay: 5s\n", "    max-delay: 5s\n    mode: blocking\n")
                        + """
                          - name: rollup_daily_usage
                            sql: "SELECT rollup_daily_usage()"
                            timeout: 5m
                          - name: notify_billing
                            http:
                              method: post
                              url: https://billing.internal/hooks/usage
                              headers: {Authorization: "Bearer ${env:API_TOKEN}"}
                              body: '{"ping":true}'
                              timeout: 3s
                        """;

        // when
        var config = load(yaml, Map.of());

        // then
        var popular = config.jobs().job("analytics.popular_tracks").orElseThrow();
        assertThat(((JobAction.RefreshView) popular.action()).mode())
                .contains(RefreshMode.BLOCKING);
        var rollup = config.jobs().job("rollup_daily_usage").orElseThrow();
        assertThat(rollup.action()).isEqualTo(new JobAction.RunSql("SELECT rollup_daily_usage()"));
        assertThat(rollup.kind()).isEqualTo(JobKind.SQL);
        assertThat(rollup.policy().timeout()).isEqualTo(Duration.ofMinutes(5));
        var http = (JobAction.CallHttp) config.jobs().job("notify_billing").orElseThrow().action();
        assertThat(http.method()).isEqualTo("POST");
        assertThat(http.url()).hasToString("https://billing.internal/hooks/usage");
        // the secret stays a reference, resolved by the executor when it sends
        assertThat(http.headers()).containsEntry("Authorization", "Bearer ${env:API_TOKEN}");
        assertThat(http.body()).isEqualTo("{\"ping\":true}");
        assertThat(http.timeout()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void shouldListProblemsOfSqlAndHttpJobs() {
        var yaml =
                VALID
                        + """
                          - name: both
                            sql: "SELECT 1"
                            http: {url: "https://x"}
                          - name: bad_url
                            http: {url: "ftp://x", verb: GET}
                          - view: analytics.x
                            sources: [public.plays]
                            mode: sometimes
                        """;

        assertThatThrownBy(() -> load(yaml, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("jobs[2].sql: a job runs either sql or http")
                .hasMessageContaining("jobs[3].http.url: must be an http:// or https:// URL")
                .hasMessageContaining("jobs[3].http.verb")
                .hasMessageContaining("jobs[4].mode: must be concurrently or blocking");
    }
}
