package io.refreshorchestrator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HistoryConfigTest {

    private static final String BASE =
            """
            postgres:
              database: app
              user: orchestrator
            jobs:
              - view: analytics.popular_tracks
                sources: [public.plays]
            """;

    private static OrchestratorConfig load(String yaml, Map<String, String> env) {
        return OrchestratorConfigLoader.read(ConfigReader.fromYaml(yaml, "test.yml", env));
    }

    @Test
    void shouldKeepNoHistoryByDefaultAndThirtyDaysWhenOn() {
        // when
        var history = load(BASE, Map.of()).history();

        // then
        assertThat(history.enabled()).isFalse();
        assertThat(history.retention()).isEqualTo(Duration.ofDays(30));
    }

    @Test
    void shouldReadTheSectionAndItsEnvironmentOverride() {
        // given
        var yaml = BASE + "history:\n  enabled: true\n  retention: 7d\n";

        // when
        var history = load(yaml, Map.of("REFRESH_ORCHESTRATOR_HISTORY_RETENTION", "12h")).history();

        // then
        assertThat(history.enabled()).isTrue();
        assertThat(history.retention()).isEqualTo(Duration.ofHours(12));
    }

    @Test
    void shouldRejectUnknownKeysAndARetentionUnderAMinute() {
        var yaml = BASE + "history:\n  enabeld: true\n  retention: 10s\n";

        assertThatThrownBy(() -> load(yaml, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("history.enabeld")
                .hasMessageContaining("history.retention");
    }
}
