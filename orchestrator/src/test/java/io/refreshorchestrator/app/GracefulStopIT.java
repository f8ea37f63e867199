package io.refreshorchestrator.app;

import static io.refreshorchestrator.app.OrchestratorFixture.scaled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.refreshorchestrator.local.LocalStack;
import io.refreshorchestrator.local.LocalStackExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM stops {@code run} gracefully, and its exit status says so: 0, as {@code run --help}
 * promises and service managers expect, not the 143 of a JVM ended by the signal.
 */
@ExtendWith(LocalStackExtension.class)
class GracefulStopIT {

    private static final Duration READY = scaled(Duration.ofSeconds(120));

    @Test
    void shouldExitZeroAfterAGracefulStopOnSigterm(LocalStack stack, @TempDir Path dir)
            throws Exception {
        // given a running orchestrator process, with change capture
        String database = stack.postgres().createDatabase("stop");
        var fixture = new OrchestratorFixture(stack, database, "stop");
        fixture.execute(
                """
                CREATE TABLE public.stop_source (id bigserial PRIMARY KEY);
                CREATE SCHEMA analytics;
                CREATE MATERIALIZED VIEW analytics.stop_view AS
                  SELECT count(*) AS n FROM public.stop_source;
                """);
        Path config =
                Files.writeString(
                        dir.resolve("orchestrator.yml"),
                        fixture.yaml(
                                dir.resolve("state"), "jobs:\n  - view: analytics.stop_view\n"));
        try (var orchestrator =
                ChildOrchestrator.startWithShippedLogging(config, dir.resolve("run.log"))) {
            orchestrator.awaitLog("Refresh orchestrator started", READY);

            // when it gets SIGTERM
            int exitCode = orchestrator.stop(scaled(Duration.ofSeconds(60)));

            // then it closed every stage and exited with 0
            assertThat(exitCode)
                    .as("exit status after SIGTERM; log:%n%s", orchestrator.log())
                    .isZero();
            assertThat(orchestrator.logLines("Refresh orchestrator stopping")).hasSize(1);
            assertThat(orchestrator.logLines("Refresh orchestrator stopped")).hasSize(1);
            assertThat(orchestrator.logLines("Error while stopping")).isEmpty();
            assertThat(orchestrator.logLines(" ERROR ")).isEmpty();
        } finally {
            await("the replication slot dropped once the process let go of it")
                    .atMost(Duration.ofSeconds(30))
                    .ignoreExceptions()
                    .until(
                            () -> {
                                fixture.dropSlot();
                                return true;
                            });
        }
    }
}
