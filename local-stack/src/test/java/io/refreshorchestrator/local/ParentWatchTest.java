package io.refreshorchestrator.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParentWatchTest {

    @TempDir Path directory;

    @Test
    void shouldRunTheCleanupAndHaltTheChildWhenItsStdinCloses() throws Exception {
        // given a child JVM that watches its parent and would otherwise wait forever
        Path marker = directory.resolve("cleaned-up");
        Path log = directory.resolve("child.log");
        var command =
                ChildJvm.command(
                        List.of(),
                        Map.of(),
                        ParentWatchChild.class.getName(),
                        List.of(marker.toString()));
        Process child = ChildJvm.start(command, log);

        // when the parent's end of the pipe closes, as when the parent dies
        child.getOutputStream().close();

        // then
        assertThat(child.waitFor(30, TimeUnit.SECONDS))
                .as("child exited; log: %s", LogTail.of(log, 20))
                .isTrue();
        assertThat(child.exitValue()).isEqualTo(1);
        assertThat(marker).exists();
    }
}
