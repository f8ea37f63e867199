package io.refreshorchestrator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpConfigTest {

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
    void shouldListenOnLoopbackWithTheWriteEndpointsOffByDefault() {
        // when
        var http = load(BASE, Map.of()).http();

        // then
        assertThat(http.enabled()).isTrue();
        assertThat(http.bind()).isEqualTo("127.0.0.1");
        assertThat(http.port()).isEqualTo(8080);
        assertThat(http.token().isEmpty()).isTrue();
        assertThat(http.statsWindow()).isEqualTo(Duration.ofHours(24));
    }

    @Test
    void shouldReadTheTokenFromTheNamedVariableAndNeverShowIt() {
        // given
        var yaml = BASE + "http:\n  port: 9091\n  token-env: API_TOKEN\n  stats-window: 1h\n";

        // when
        var http = load(yaml, Map.of("API_TOKEN", "s3cret-token")).http();

        // then
        assertThat(http.port()).isEqualTo(9091);
        assertThat(http.token().reveal()).isEqualTo("s3cret-token");
        assertThat(http.toString()).doesNotContain("s3cret-token");
        assertThat(http.statsWindow()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void shouldReadTheTokenFromAFile(@TempDir Path dir) throws Exception {
        // given
        var file = Files.writeString(dir.resolve("token"), "from-file\n");

        // when
        var http = load(BASE + "http:\n  token-file: " + file + "\n", Map.of()).http();

        // then
        assertThat(http.token().reveal()).isEqualTo("from-file");
    }

    @Test
    void shouldRejectATokenInTheFileAMissingVariableAndUnknownKeys() {
        // given
        var yaml =
                BASE
                        + "http:\n  token: plain-text\n  token-env: NOT_SET\n  port: 70000\n"
                        + "  colour: blue\n";

        // when / then
        assertThatThrownBy(() -> load(yaml, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("http.token: a token is never written in the configuration")
                .hasMessageContaining("http.token-env: environment variable 'NOT_SET' is not set")
                .hasMessageContaining("http.port")
                .hasMessageContaining("http.colour")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("plain-text"));
    }
}
