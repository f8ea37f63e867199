package io.refreshorchestrator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.refreshorchestrator.discovery.JobSchedule;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** target-lag, refresh-budget, leading-edge, schedule and timezone in the configuration file. */
class TimingConfigTest {

    private static final String HEAD =
            """
            postgres:
              database: app
              user: orchestrator
            kafka:
              bootstrap-servers: broker:9092
            """;

    private static OrchestratorConfig load(String yaml) {
        return OrchestratorConfigLoader.read(ConfigReader.fromYaml(HEAD + yaml, "t.yml", Map.of()));
    }

    @Test
    void shouldDeriveDebounceAndMaxDelayFromTargetLag() {
        var config =
                load(
                        """
                        defaults:
                          target-lag: 1m
                        jobs:
                          - view: analytics.a
                            sources: [public.plays]
                          - view: analytics.b
                            sources: [public.plays]
                            target-lag: 10s
                            debounce: 500ms
                          - view: analytics.c
                            sources: [public.plays]
                            debounce: 1s
                            max-delay: 3s
                        """);

        var a = config.jobs().job("analytics.a").orElseThrow().policy();
        assertThat(a.debounce()).isEqualTo(Duration.ofSeconds(6));
        assertThat(a.maxDelay()).isEqualTo(Duration.ofSeconds(30));
        assertThat(a.targetLag()).contains(Duration.ofMinutes(1));
        var b = config.jobs().job("analytics.b").orElseThrow().policy();
        assertThat(b.debounce()).isEqualTo(Duration.ofMillis(500));
        assertThat(b.maxDelay()).isEqualTo(Duration.ofSeconds(5));
        var c = config.jobs().job("analytics.c").orElseThrow().policy();
        assertThat(c.maxDelay()).isEqualTo(Duration.ofSeconds(3));
        assertThat(c.targetLag()).isEmpty();
    }

    @Test
    void shouldReadPacingAndSchedules() {
        var config =
                load(
                        """
                        defaults:
                          leading-edge: true
                        jobs:
                          - view: analytics.heavy
                            sources: [public.plays]
                            refresh-budget: 25%
                          - view: analytics.today
                            schedule: "0 9 * * 1-5"
                            timezone: Europe/Berlin
                            leading-edge: false
                          - view: analytics.ticker
                            schedule: 30s
                        """);

        var heavy = config.jobs().job("analytics.heavy").orElseThrow();
        assertThat(heavy.policy().refreshBudget()).isEqualTo(0.25);
        assertThat(heavy.policy().leadingEdge()).isTrue();
        assertThat(heavy.schedule()).isEmpty();
        var today = config.jobs().job("analytics.today").orElseThrow();
        assertThat(today.sources()).isEmpty();
        assertThat(today.policy().leadingEdge()).isFalse();
        assertThat(today.schedule())
                .contains(new JobSchedule("0 9 * * 1-5", ZoneId.of("Europe/Berlin")));
        assertThat(config.jobs().job("analytics.ticker").orElseThrow().schedule())
                .contains(new JobSchedule("30s", ZoneOffset.UTC));
    }

    @Test
    void shouldListEveryTimingProblem() {
        assertThatThrownBy(
                        () ->
                                load(
                                        """
                                        jobs:
                                          - view: analytics.a
                                            sources: [public.plays]
                                            target-lag: 10s
                                            max-delay: 5s
                                            refresh-budget: 150%
                                          - view: analytics.b
                                            schedule: "61 * * * *"
                                            timezone: Mars/Olympus
                                        """))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("jobs[0].target-lag: set either target-lag")
                .hasMessageContaining("jobs[0].refresh-budget: '150%' must be a share")
                .hasMessageContaining("jobs[1].timezone: 'Mars/Olympus' is not a time zone");
    }
}
