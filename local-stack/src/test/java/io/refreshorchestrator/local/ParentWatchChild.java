package io.refreshorchestrator.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/** A child JVM for {@link ParentWatchTest}: watches its parent, then waits forever. */
public final class ParentWatchChild {

    private ParentWatchChild() {}

    public static void main(String[] args) throws InterruptedException {
        Path marker = Path.of(args[0]);
        ParentWatch.start(
                System.in,
                () -> {
                    try {
                        Files.createFile(marker);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
        new CountDownLatch(1).await();
    }
}
