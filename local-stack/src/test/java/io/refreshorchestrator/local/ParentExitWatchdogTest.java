package io.refreshorchestrator.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParentExitWatchdogTest {

    @TempDir Path root;

    @Test
    void shouldRunTheStopCommandAndDeleteTheDirectoryWhenTheParentIsGone() throws Exception {
        // given
        Path serviceDirectory = Files.createDirectories(root.resolve("service/data"));
        Path stopped = root.resolve("stopped");
        var watchdog =
                ParentExitWatchdog.start(
                        List.of("touch", stopped.toString()), serviceDirectory.getParent());

        // when
        watchdog.trigger();

        // then
        await("the watchdog to stop the service and delete its directory")
                .atMost(Duration.ofSeconds(10))
                .until(() -> Files.exists(stopped) && !Files.exists(serviceDirectory.getParent()));
        await("the watchdog to exit")
                .atMost(Duration.ofSeconds(10))
                .until(() -> !watchdog.isAlive());
    }

    @Test
    void shouldDoNothingOnceDisarmed() {
        // given
        Path serviceDirectory = root.resolve("service");
        Path stopped = root.resolve("stopped");
        var watchdog =
                ParentExitWatchdog.start(List.of("touch", stopped.toString()), serviceDirectory);

        // when
        watchdog.disarm();

        // then
        assertThat(watchdog.isAlive()).isFalse();
        assertThat(stopped).doesNotExist();
    }
}
