package io.refreshorchestrator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The configuration reference in the README is a file the orchestrator accepts as it stands. */
class ReadmeConfigTest {

    private static final Path README = Path.of("..", "README.md");

    @Test
    void shouldAcceptTheReadmeConfigurationExample() throws IOException {
        // given the first YAML block of the README's Configuration section
        String yaml = configurationExample();

        // when
        var config =
                OrchestratorConfigLoader.read(
                        ConfigReader.fromYaml(yaml, "README.md", Map.of("PGPASSWORD", "x")));

        // then every section reached the configuration, the executor's keys from one block
        assertThat(config.executor().maxConcurrentRefreshes()).isEqualTo(2);
        assertThat(config.executor().visibilityWait()).hasSeconds(10);
        assertThat(config.jobs().discovery().schemas()).containsExactly("analytics");
    }

    @Test
    void shouldRejectTheOrchestratorSectionsGivenTwiceOrMisspelt() {
        // given the trial's mistakes: a repeated executor section and a misspelt discovery
        var yaml =
                """
                postgres:
                  database: app
                  user: orchestrator
                executor:
                  max-attempts: 3
                discoverie:
                  schemas: [analytics]
                executor:
                  visibility-wait: 5s
                """;

        // when / then both are listed with the other problems, each with its path
        assertThatThrownBy(
                        () ->
                                OrchestratorConfigLoader.read(
                                        ConfigReader.fromYaml(yaml, "ext.yml", Map.of())))
                .isInstanceOfSatisfying(
                        ConfigException.class,
                        e ->
                                assertThat(e.problems())
                                        .startsWith(
                                                "executor: given more than once (lines 4 and 8):"
                                                        + " only one may be set, merge them",
                                                "discoverie: unknown section (known: [cdc,"
                                                        + " defaults, discovery, executor, history,"
                                                        + " http,"
                                                        + " instance-id, jobs, kafka, postgres,"
                                                        + " shutdown-timeout, streams, topics])"));
    }

    private static String configurationExample() throws IOException {
        String readme = Files.readString(README);
        int section = readme.indexOf("\n## Configuration");
        int start = readme.indexOf("```yaml\n", section) + "```yaml\n".length();
        return readme.substring(start, readme.indexOf("```", start));
    }
}
