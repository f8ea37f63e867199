package io.refreshorchestrator.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Whether a process still runs. Unlike {@link ProcessHandle#isAlive()}, a zombie (exited, its
 * status not yet collected) counts as gone: a daemonized postmaster is reparented to PID 1, and in
 * containers PID 1 may take seconds to reap it.
 */
final class ProcessLiveness {

    private static final boolean HAS_PROC = Files.isDirectory(Path.of("/proc/self"));

    private ProcessLiveness() {}

    static boolean isRunning(long pid) {
        if (!HAS_PROC) {
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        }
        try {
            // "pid (command) state ...": the command may contain spaces and parentheses.
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException | RuntimeException e) {
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        }
    }
}
