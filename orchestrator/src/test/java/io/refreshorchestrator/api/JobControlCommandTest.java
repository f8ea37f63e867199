package io.refreshorchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.refreshorchestrator.OrchestratorMain;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** pause / resume refuse what they cannot do before they touch Kafka. */
class JobControlCommandTest {

    private static final String JOBS =
            """
            postgres:
              database: app
              user: orchestrator
            jobs:
              - view: analytics.popular_tracks
                sources: [public.plays]
            """;

    @TempDir Path dir;

    private int run(StringWriter err, String... args) {
        var cli = OrchestratorMain.commandLine();
        cli.setErr(new PrintWriter(err));
        cli.setOut(new PrintWriter(new StringWriter()));
        return cli.execute(args);
    }

    @Test
    void shouldRejectAnUnknownJob() throws Exception {
        Path config = Files.writeString(dir.resolve("o.yml"), JOBS);
        var err = new StringWriter();

        assertThat(run(err, "pause", "analytics.nope", "--config", config.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("no job 'analytics.nope'");
    }

    @Test
    void shouldExplainThatTheEmbeddedBrokerCannotBeReached() throws Exception {
        Path config = Files.writeString(dir.resolve("o.yml"), JOBS);
        var err = new StringWriter();

        assertThat(run(err, "resume", "analytics.popular_tracks", "-c", config.toString()))
                .isEqualTo(2);
        assertThat(err.toString()).contains("kafka.bootstrap-servers is not set");
    }
}
