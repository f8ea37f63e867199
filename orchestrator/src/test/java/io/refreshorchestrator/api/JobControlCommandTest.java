package io.refreshorchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.refreshorchestrator.OrchestratorMain;
import io.refreshorchestrator.local.FreePorts;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
    void shouldSayThatNoLocalModeProcessRunsInTheDataDirectory() throws Exception {
        // given local mode (no kafka.bootstrap-servers) and an empty data directory
        Path config = Files.writeString(dir.resolve("o.yml"), JOBS);
        Path dataDir = dir.resolve("data");
        var err = new StringWriter();

        // when / then
        assertThat(
                        run(
                                err,
                                "resume",
                                "analytics.popular_tracks",
                                "-c",
                                config.toString(),
                                "--data-dir",
                                dataDir.toString()))
                .isEqualTo(1);
        assertThat(err.toString())
                .startsWith(
                        "no local orchestrator is running in "
                                + dataDir.toAbsolutePath()
                                + " (no instance.json there): start `run` with this"
                                + " configuration");
    }

    @Test
    void shouldPauseAListedJobWithoutTheDatabasePassword() throws Exception {
        // given a listed job, a password variable that is not set and no broker on the port
        int deadPort = FreePorts.pick();
        Path config =
                Files.writeString(
                        dir.resolve("o.yml"),
                        JOBS.replace(
                                        "  user: orchestrator\n",
                                        "  user: orchestrator\n  password-env: NO_SUCH_PASSWORD_VAR\n")
                                + "kafka:\n  bootstrap-servers: 127.0.0.1:"
                                + deadPort
                                + "\n");
        var err = new StringWriter();

        // when
        long started = System.nanoTime();
        int code = run(err, "pause", "analytics.popular_tracks", "--config", config.toString());
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        // then the job was accepted without the password, and the broker reported in one line
        assertThat(code).isEqualTo(1);
        assertThat(err.toString().strip())
                .isEqualTo(
                        "Kafka broker at 127.0.0.1:"
                                + deadPort
                                + " is unreachable: no answer within 10s (the commands' wait of"
                                + " 10s)");
        assertThat(took).as("gave up after the commands' wait").isLessThan(Duration.ofSeconds(25));
    }

    @Test
    void shouldRejectAJobNeitherListedNorDiscoverableWithoutTheDatabase() throws Exception {
        // given no discovery: only the listed jobs exist, and no database is configured to reach
        Path config = Files.writeString(dir.resolve("o.yml"), JOBS);
        var err = new StringWriter();

        // when / then
        assertThat(run(err, "resume", "analytics.customer_totals", "-c", config.toString()))
                .isEqualTo(2);
        assertThat(err.toString())
                .contains(
                        "no job 'analytics.customer_totals' in "
                                + config
                                + ": it is not listed under jobs:, and discovery.schemas is not"
                                + " set");
    }

    @Test
    void shouldSayThatADiscoveredJobNeedsTheDatabaseWhenItCannotBeRead() throws Exception {
        // given discovery and a database port where nothing listens
        int deadPort = FreePorts.pick();
        Path config =
                Files.writeString(
                        dir.resolve("o.yml"),
                        """
                        postgres:
                          host: 127.0.0.1
                          port: %d
                          database: app
                          user: orchestrator
                        kafka:
                          bootstrap-servers: 127.0.0.1:9
                        discovery:
                          schemas: [analytics]
                        """
                                .formatted(deadPort));
        var err = new StringWriter();

        // when / then
        assertThat(run(err, "pause", "analytics.customer_totals", "-c", config.toString()))
                .isEqualTo(1);
        assertThat(err.toString())
                .startsWith(
                        "job 'analytics.customer_totals' is not listed under jobs: in "
                                + config
                                + ", so only the catalog can tell whether discovery (schemas"
                                + " [analytics]) finds it, but cannot read the job graph from"
                                + " PostgreSQL at jdbc:postgresql://127.0.0.1:"
                                + deadPort
                                + "/app as user 'orchestrator': ")
                .contains("(a job listed under jobs: needs no database here)");
    }

    @Test
    void shouldSayThatADiscoveredJobNeedsThePassword() throws Exception {
        // given discovery, a configured Kafka (in local mode the running process's job list
        // decides) and a password variable that is not set
        Path config =
                Files.writeString(
                        dir.resolve("o.yml"),
                        """
                        postgres:
                          database: app
                          user: orchestrator
                          password-env: NO_SUCH_PASSWORD_VAR
                        kafka:
                          bootstrap-servers: 127.0.0.1:9
                        discovery:
                          schemas: [analytics]
                        """);
        var err = new StringWriter();

        // when / then
        assertThat(run(err, "resume", "analytics.customer_totals", "-c", config.toString()))
                .isEqualTo(2);
        assertThat(err.toString())
                .contains("which needs the database password")
                .contains(
                        "postgres.password-env: environment variable 'NO_SUCH_PASSWORD_VAR' is not set");
    }
}
