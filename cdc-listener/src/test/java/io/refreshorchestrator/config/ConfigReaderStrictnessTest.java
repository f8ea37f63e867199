package io.refreshorchestrator.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** A key given twice and an unknown section are problems with their path, listed with the rest. */
class ConfigReaderStrictnessTest {

    private static ConfigReader read(String yaml) {
        return ConfigReader.fromYaml(yaml, "test.yml", Map.of());
    }

    @Test
    void shouldReportATopLevelKeyGivenTwiceWithBothLines() {
        // given the same section twice: a YAML reader keeps only the second
        var yaml =
                """
                executor:
                  group-id: first
                kafka:
                  bootstrap-servers: broker:9092
                executor:
                  max-attempts: 3
                """;

        // when
        var reader = read(yaml);

        // then
        assertThat(reader.problems())
                .containsExactly(
                        "executor: given more than once (lines 1 and 5): only one may be set,"
                                + " merge them");
    }

    @Test
    void shouldReportRepeatedKeysAtEveryDepthWithTheirPath() {
        // given repeats inside a section, inside a list element and inside a nested mapping
        var yaml =
                """
                postgres:
                  host: a
                  host: b
                jobs:
                  - view: analytics.a
                  - view: analytics.b
                    debounce: 1s
                    debounce: 2s
                    http:
                      headers: {X-A: "1", X-A: "2"}
                """;

        // when
        var reader = read(yaml);

        // then
        assertThat(reader.problems())
                .containsExactly(
                        "postgres.host: given more than once (lines 2 and 3): only one may be set,"
                                + " merge them",
                        "jobs[1].debounce: given more than once (lines 7 and 8): only one may be"
                                + " set, merge them",
                        "jobs[1].http.headers.X-A: given more than once (lines 10 and 10): only"
                                + " one may be set, merge them");
    }

    @Test
    void shouldAcceptTheSameKeyInDifferentMappings() {
        // given the same key in sibling mappings and list elements
        var yaml =
                """
                postgres:
                  host: a
                kafka:
                  properties: {host: b}
                jobs:
                  - view: analytics.a
                  - view: analytics.b
                """;

        // when / then
        assertThat(read(yaml).problems()).isEmpty();
    }

    @Test
    void shouldReportUnknownSectionsAndAcceptTheKnownOnes() {
        // given a typo of a section and a stray key next to known sections
        var yaml =
                """
                postgres:
                  database: app
                foo: bar
                discoverie:
                  schemas: [analytics]
                jobs: []
                """;
        var reader = read(yaml);

        // when
        reader.rejectUnknownSections(ConfigSections.ALL);

        // then
        String known =
                "(known: [cdc, defaults, discovery, executor, history, http, instance-id, jobs, kafka, postgres,"
                        + " shutdown-timeout, streams, topics])";
        assertThat(reader.problems())
                .containsExactly(
                        "foo: unknown section " + known, "discoverie: unknown section " + known);
    }
}
