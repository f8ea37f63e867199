package io.refreshorchestrator.app;

import static io.refreshorchestrator.app.OrchestratorFixture.scaled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.refreshorchestrator.local.LocalStack;
import io.refreshorchestrator.local.LocalStackExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two live processes with one instance-id: the broker fences one, which says so in one line and
 * exits with 1 instead of rejoining and fencing the other in turn.
 */
@ExtendWith(LocalStackExtension.class)
class DuplicateInstanceIdIT {

    private static final Duration READY = scaled(Duration.ofSeconds(120));
    private static final Duration WAIT = scaled(Duration.ofSeconds(60));

    @Test
    void shouldStopTheFencedProcessWithAClearMessage(LocalStack stack, @TempDir Path dir)
            throws Exception {
        // given a running orchestrator with instance-id twin
        String database = stack.postgres().createDatabase("twin");
        var fixture = new OrchestratorFixture(stack, database, "twin").withoutCapture();
        fixture.execute(
                """
                CREATE TABLE public.t (id int);
                CREATE SCHEMA analytics;
                CREATE MATERIALIZED VIEW analytics.twin_view AS SELECT count(*) AS n FROM public.t;
                """);
        Path config =
                Files.writeString(
                        dir.resolve("orchestrator.yml"),
                        fixture.yaml(
                                dir.resolve("state-unused"),
                                """
                                instance-id: twin
                                jobs:
                                  - view: analytics.twin_view
                                    sources: [public.t]
                                """),
                        StandardCharsets.UTF_8);
        try (var first = start(config, dir, "first");
                var second = start(config, dir, "second")) {
            // when both run at once
            first.awaitLog("Refresh orchestrator started", READY);
            second.awaitLog("Refresh orchestrator started", READY);

            // then one of them is fenced, says why, and exits with 1; the other runs on
            await("one of the twins stopped")
                    .atMost(WAIT)
                    .until(() -> !first.isAlive() || !second.isAlive());
            var fenced = first.isAlive() ? second : first;
            var survivor = first.isAlive() ? first : second;
            assertThat(fenced.stop(WAIT)).as("exit code of the fenced process").isEqualTo(1);
            assertThat(fenced.log()).contains("another live process uses instance-id 'twin'");
            assertThat(survivor.isAlive()).as("the other process runs on").isTrue();
        }
    }

    private static ChildOrchestrator start(Path config, Path dir, String name) throws Exception {
        return ChildOrchestrator.start(
                config,
                Files.createDirectories(Path.of("target", "it-logs", "DuplicateInstanceIdIT"))
                        .resolve(name + ".log"),
                Map.of(
                        "REFRESH_ORCHESTRATOR_STREAMS_STATE_DIR",
                        dir.resolve("state-" + name).toString()));
    }
}
