package io.refreshorchestrator.benchmark.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * CPU time and peak resident memory of a process, read from Linux's {@code /proc}: {@code utime +
 * stime} of {@code stat} (in clock ticks of 10 ms) and {@code VmHWM} of {@code status}.
 */
record ProcessUsage(double cpuSeconds, long peakRssBytes) {

    private static final double TICKS_PER_SECOND = 100.0;

    /** The usage of {@code pid} now, or empty when it cannot be read (no /proc, process gone). */
    static Optional<ProcessUsage> of(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // fields after the command name, which is in parentheses and may contain spaces
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            long peakKib = 0;
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    peakKib = Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
            return Optional.of(new ProcessUsage(ticks / TICKS_PER_SECOND, peakKib * 1024));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** CPU spent since {@code earlier}, with this peak. */
    ProcessUsage since(ProcessUsage earlier) {
        return new ProcessUsage(cpuSeconds - earlier.cpuSeconds, peakRssBytes);
    }
}
