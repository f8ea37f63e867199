package io.refreshorchestrator.app;

import static io.refreshorchestrator.app.OrchestratorFixture.scaled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.refreshorchestrator.local.LocalStack;
import io.refreshorchestrator.local.LocalStackExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
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
        try (var orchestrator = OrchestratorProcess.run(config, dir.resolve("run.log"))) {
            await("the orchestrator started (log " + dir.resolve("run.log") + ")")
                    .atMost(READY)
                    .until(() -> !orchestrator.lines("Refresh orchestrator started").isEmpty());

            // when it gets SIGTERM
            orchestrator.terminate();

            // then it closes every stage and exits with 0
            assertThat(orchestrator.process().waitFor(60, TimeUnit.SECONDS))
                    .as("stopped within 60 s")
                    .isTrue();
            assertThat(orchestrator.process().exitValue())
                    .as("exit status after SIGTERM; output:%n%s", orchestrator.output())
                    .isZero();
            assertThat(orchestrator.lines("Refresh orchestrator stopping")).hasSize(1);
            assertThat(orchestrator.lines("Refresh orchestrator stopped")).hasSize(1);
            assertThat(orchestrator.lines("Error while stopping")).isEmpty();
            assertThat(orchestrator.lines(" ERROR ")).isEmpty();
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
