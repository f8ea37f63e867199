package io.refreshorchestrator.benchmark.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;

/** The machine a comparison ran on, for the report. */
record MachineInfo(
        int cores,
        long memoryMiB,
        String java,
        String postgres,
        String kafka,
        String loadBefore,
        String loadAfter) {

    static MachineInfo of(Connection connection, String loadBefore) throws SQLException {
        String postgres;
        try (ResultSet row = connection.createStatement().executeQuery("SHOW server_version")) {
            row.next();
            postgres = row.getString(1);
        }
        return new MachineInfo(
                Runtime.getRuntime().availableProcessors(),
                totalMemoryMiB(),
                System.getProperty("java.vm.name") + " " + Runtime.version(),
                postgres,
                org.apache.kafka.common.utils.AppInfoParser.getVersion(),
                loadBefore,
                "");
    }

    MachineInfo withLoadAfter(String load) {
        return new MachineInfo(cores, memoryMiB, java, postgres, kafka, loadBefore, load);
    }

    /** The 1, 5 and 15 minute load averages, e.g. {@code 3.10 2.80 2.05}. */
    static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static long totalMemoryMiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // reported as 0: unknown
        }
        return 0;
    }
}
