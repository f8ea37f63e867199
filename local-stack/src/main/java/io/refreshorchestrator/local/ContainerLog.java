package io.refreshorchestrator.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;
import org.testcontainers.containers.output.OutputFrame;

/**
 * A container's output appended to a file, so a container-backed service has a {@code logFile()}
 * like a local one (failure messages quote its tail).
 */
final class ContainerLog implements Consumer<OutputFrame> {

    private final Path file;

    ContainerLog(Path file) {
        this.file = file;
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, "", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the container log " + file, e);
        }
    }

    Path file() {
        return file;
    }

    @Override
    public synchronized void accept(OutputFrame frame) {
        String text = frame.getUtf8String();
        if (text == null || text.isEmpty()) {
            return;
        }
        try {
            Files.writeString(file, text, StandardOpenOption.APPEND);
        } catch (IOException e) {
            // The log is a diagnostic aid: a write that fails loses a line, not the service.
        }
    }
}
