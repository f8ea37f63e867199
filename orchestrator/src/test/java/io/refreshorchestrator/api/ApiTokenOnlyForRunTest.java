package io.refreshorchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Only {@code run} serves the HTTP API, so only {@code run} reads its token: the other commands
 * load a configuration naming {@code http.token-env} from a shell that lacks the variable. None of
 * these cases reaches Kafka or PostgreSQL.
 */
class ApiTokenOnlyForRunTest {

    /** A variable no test environment sets. */
    private static final String UNSET = "REFRESH_API_TOKEN_UNSET_9c41";

    @TempDir Path dir;

    private Path config;

    @BeforeEach
    void writeConfig() throws Exception {
        assertThat(System.getenv(UNSET)).as("precondition: %s is unset", UNSET).isNull();
        config =
                Files.writeString(
                        dir.resolve("orchestrator.yml"),
                        """
                        postgres:
                          host: 127.0.0.1
                          port: 1
                          database: app
                          user: orchestrator
                        jobs:
                          - view: analytics.a
                            sources: [public.plays]
                        http:
                          token-env: %s
                        """
                                .formatted(UNSET));
    }

    @Test
    void shouldRunTheCommandsThatNeedTheProcessWithoutTheTokenVariable() {
        for (var args :
                List.of(
                        List.of("trigger", "analytics.a"),
                        List.of("tail"),
                        List.of("pause", "analytics.a"),
                        List.of("resume", "analytics.a"),
                        List.of("status"))) {
            // when: no local orchestrator runs in the data directory
            var run = cli(args, "-c", config.toString(), "--data-dir", dir.toString());

            // then: the configuration loaded, the command got as far as looking for the process
            assertThat(run.exitCode()).as(run.both()).isEqualTo(1);
            assertThat(run.err())
                    .as(run.both())
                    .startsWith("no local orchestrator is running in " + dir)
                    .doesNotContain("token-env");
        }
    }

    @Test
    void shouldRunTheDatabaseCommandsWithoutTheTokenVariable() {
        for (var command : List.of("plan", "check")) {
            // when: the database does not answer
            var run = cli(List.of(command), "-c", config.toString());

            // then: the configuration loaded, the command got as far as the database
            assertThat(run.err()).as(run.both()).doesNotContain("token-env", "Invalid config");
            assertThat(run.both()).as(command).contains("127.0.0.1:1");
        }
    }

    @Test
    void shouldRefuseToRunWithoutTheTokenBeforeAnythingStarts() {
        // when
        var run = cli(List.of("run"), "-c", config.toString(), "--data-dir", dir.toString());

        // then: invalid configuration, named by key and variable, before the database is asked
        assertThat(run.exitCode()).as(run.both()).isEqualTo(2);
        assertThat(run.err())
                .as(run.both())
                .contains("http.token-env: environment variable '" + UNSET + "' is not set")
                .doesNotContain("127.0.0.1:1");
        assertThat(dir.resolve("instance.json")).doesNotExist();
    }

    @Test
    void shouldRefuseToRunWithAnUnreadableTokenFile() throws Exception {
        // given
        var missing = dir.resolve("no-such-token");
        Files.writeString(
                config,
                Files.readString(config).replace("token-env: " + UNSET, "token-file: " + missing));

        // when
        var run = cli(List.of("run"), "-c", config.toString(), "--data-dir", dir.toString());

        // then
        assertThat(run.exitCode()).as(run.both()).isEqualTo(2);
        assertThat(run.err())
                .as(run.both())
                .contains("http.token-file: cannot read token file '" + missing + "'");
    }

    private static CliRun cli(List<String> command, String... options) {
        var args = new java.util.ArrayList<>(command);
        args.addAll(List.of(options));
        return CliRun.of(args.toArray(String[]::new));
    }
}
