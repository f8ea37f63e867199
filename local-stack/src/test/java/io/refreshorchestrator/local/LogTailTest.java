package io.refreshorchestrator.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogTailTest {

    @TempDir Path directory;

    @Test
    void shouldKeepOnlyTheLastLines() throws Exception {
        // given
        Path log = directory.resolve("server.log");
        Files.writeString(log, lines(1, 100));

        // when
        String tail = LogTail.of(log, 3);

        // then
        assertThat(tail).endsWith("line 98\nline 99\nline 100").doesNotContain("line 97\n");
        assertThat(tail).startsWith("--- last 3 lines of " + log);
    }

    @Test
    void shouldDropTheCutFirstLineOfAHugeLog() throws Exception {
        // given
        Path log = directory.resolve("huge.log");
        Files.writeString(log, "x".repeat(100_000) + "\n" + lines(1, 3));

        // when
        var lines = LogTail.lastLines(log, 1_000);

        // then
        assertThat(lines).containsExactly("line 1", "line 2", "line 3");
    }

    @Test
    void shouldSaySoWhenThereIsNoLog() {
        assertThat(LogTail.of(directory.resolve("missing.log"), 10)).startsWith("(no log at ");
    }

    @Test
    void shouldReturnWhatWasAppendedSinceAnOffset() throws Exception {
        // given
        Path log = directory.resolve("server.log");
        Files.writeString(log, "old failure\n");
        long offset = Files.size(log);
        Files.writeString(log, "new start\n", java.nio.file.StandardOpenOption.APPEND);

        // when / then
        assertThat(LogTail.since(log, offset)).isEqualTo("new start\n");
    }

    private static String lines(int from, int to) {
        return IntStream.rangeClosed(from, to)
                .mapToObj(i -> "line " + i)
                .collect(Collectors.joining("\n", "", "\n"));
    }
}
