package io.refreshorchestrator.local;

import java.nio.file.Path;

/**
 * Entry point of the child JVM that {@link KafkaBroker} starts: runs {@code kafka.Kafka} with the
 * given {@code server.properties}, and halts as soon as the parent JVM is gone (its end of the
 * stdin pipe closed), deleting the broker's directory named by the system property {@value
 * #CLEANUP_DIRECTORY_PROPERTY}, so no broker outlives the tests that started it.
 */
public final class KafkaBrokerMain {

    static final String CLEANUP_DIRECTORY_PROPERTY = "refresh.local.cleanupDirectory";

    private KafkaBrokerMain() {}

    public static void main(String[] args) {
        String cleanupDirectory = System.getProperty(CLEANUP_DIRECTORY_PROPERTY);
        ParentWatch.start(System.in, () -> deleteBestEffort(cleanupDirectory));
        kafka.Kafka.main(args);
    }

    private static void deleteBestEffort(String directory) {
        if (directory == null) {
            return;
        }
        // The broker still runs and may create files while they are deleted: try a few times.
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                Directories.deleteRecursively(Path.of(directory));
                return;
            } catch (RuntimeException e) {
                System.err.println("Cannot delete " + directory + " yet: " + e);
            }
        }
    }
}
