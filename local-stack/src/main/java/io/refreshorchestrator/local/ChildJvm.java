package io.refreshorchestrator.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Command lines and launches for a main class of this JVM's classpath in a child JVM: same {@code
 * java}, same classpath (so it also works from a shaded jar), output appended to a log file.
 */
final class ChildJvm {

    private ChildJvm() {}

    /** {@code java OPTIONS -Dname=value... -cp CLASSPATH MAIN ARGUMENTS}. */
    static List<String> command(
            List<String> jvmOptions,
            Map<String, String> systemProperties,
            String mainClass,
            List<String> arguments) {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable().toString());
        command.addAll(jvmOptions);
        systemProperties.forEach((name, value) -> command.add("-D" + name + "=" + value));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(arguments);
        return command;
    }

    /**
     * Starts {@code command} with stdout and stderr appended to {@code logFile} and stdin a pipe
     * from this JVM, which the child may watch to notice that this JVM is gone.
     */
    static Process start(List<String> command, Path logFile) {
        try {
            return new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + String.join(" ", command), e);
        }
    }

    /** The {@code java} launcher of this JVM. */
    static Path javaExecutable() {
        Path fromJavaHome = Path.of(System.getProperty("java.home"), "bin", "java");
        if (Files.isExecutable(fromJavaHome)) {
            return fromJavaHome;
        }
        return ProcessHandle.current()
                .info()
                .command()
                .map(Path::of)
                .orElseThrow(
                        () ->
                                new IllegalStateException(
                                        "Cannot find the java launcher of this JVM"));
    }
}
