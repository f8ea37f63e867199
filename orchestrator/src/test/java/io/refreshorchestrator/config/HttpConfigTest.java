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
        assertThat(http.token().isConfigured()).isFalse();
        assertThat(http.token().read().isEmpty()).isTrue();
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
        assertThat(http.token().read().reveal()).isEqualTo("s3cret-token");
        assertThat(http.toString())
                .contains("environment variable 'API_TOKEN'")
                .doesNotContain("s3cret-token");
        assertThat(http.statsWindow()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void shouldReadTheTokenFromAFile(@TempDir Path dir) throws Exception {
        // given
        var file = Files.writeString(dir.resolve("token"), "from-file\n");

        // when
        var http = load(BASE + "http:\n  token-file: " + file + "\n", Map.of()).http();

        // then
        assertThat(http.token().read().reveal()).isEqualTo("from-file");
    }

    @Test
    void shouldRejectATokenInTheFileBothSourcesAndUnknownKeys() {
        // given
        var yaml =
                BASE
                        + "http:\n  token: plain-text\n  token-env: NOT_SET\n  token-file: /t\n"
                        + "  port: 70000\n  colour: blue\n";

        // when / then
        assertThatThrownBy(() -> load(yaml, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("http.token: a token is never written in the configuration")
                .hasMessageContaining("http.token-file: set either token-env or token-file")
                .hasMessageContaining("http.port")
                .hasMessageContaining("http.colour")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("plain-text"));
    }

    @Test
    void shouldLoadAConfigurationNamingAnUnsetVariableAndOnlyFailWhenTheTokenIsRead() {
        // given: the shell of a CLI command, without the variable run's environment holds
        var yaml = BASE + "http:\n  token-env: REFRESH_API_TOKEN\n";

        // when
        var http = load(yaml, Map.of("PATH", "/usr/bin")).http();

        // then: loading works, reading the token (what run does) names the key and the variable
        assertThat(http.token().isConfigured()).isTrue();
        assertThatThrownBy(() -> http.token().read())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(
                        "http.token-env: environment variable 'REFRESH_API_TOKEN' is not set");
    }

    @Test
    void shouldRejectABlankVariableAndABlankOrMissingFileWithoutShowingTheirContent(
            @TempDir Path dir) throws Exception {
        // given
        var blankVariable =
                load(BASE + "http:\n  token-env: API_TOKEN\n", Map.of("API_TOKEN", "  "));
        var blankFile = Files.writeString(dir.resolve("blank"), " \n");
        var missingFile = dir.resolve("missing");

        // when / then
        assertThatThrownBy(() -> blankVariable.http().token().read())
                .hasMessageContaining("http.token-env: environment variable 'API_TOKEN' is empty");
        assertThatThrownBy(
                        () ->
                                load(BASE + "http:\n  token-file: " + blankFile + "\n", Map.of())
                                        .http()
                                        .token()
                                        .read())
                .hasMessageContaining("http.token-file: token file '" + blankFile + "' is empty");
        var fromMissing = load(BASE + "http:\n  token-file: " + missingFile + "\n", Map.of());
        assertThatThrownBy(() -> fromMissing.http().token().read())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(
                        "http.token-file: cannot read token file '"
                                + missingFile
                                + "': NoSuchFileException");
    }

    @Test
    void shouldNeverShowTheTokenOrTheRestOfTheEnvironment() {
        // given
        var env = Map.of("API_TOKEN", "s3cret-token", "PGPASSWORD", "db-secret");

        // when
        var config = load(BASE + "http:\n  token-env: API_TOKEN\n", env);

        // then
        assertThat(config.http().token().toString()).isEqualTo("environment variable 'API_TOKEN'");
        assertThat(config.toString()).doesNotContain("s3cret-token", "db-secret");
    }
}
