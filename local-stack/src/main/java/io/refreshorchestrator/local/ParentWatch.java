package io.refreshorchestrator.local;

import java.io.IOException;
import java.io.InputStream;

/**
 * Halts a child JVM when its parent JVM is gone, even after a kill -9 of the parent: a daemon
 * thread reads stdin, a pipe only the parent holds open, until end of file.
 */
final class ParentWatch {

    private ParentWatch() {}

    /** Starts the watching thread; at end of file it runs {@code beforeHalt}, then halts. */
    static Thread start(InputStream stdin, Runnable beforeHalt) {
        var thread =
                new Thread(
                        () -> {
                            drain(stdin);
                            System.err.println("Parent process is gone (stdin closed): halting");
                            try {
                                beforeHalt.run();
                            } finally {
                                Runtime.getRuntime().halt(1);
                            }
                        },
                        "parent-watch");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static void drain(InputStream stdin) {
        byte[] buffer = new byte[256];
        try {
            while (stdin.read(buffer) >= 0) {
                // The parent never writes; anything it does write is ignored.
            }
        } catch (IOException e) {
            // A broken pipe means the parent is gone, like end of file.
        }
    }
}
