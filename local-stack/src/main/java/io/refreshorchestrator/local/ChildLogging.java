package io.refreshorchestrator.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Logging of a child JVM at INFO to its stdout (which its launcher sends to a log file), through a
 * generated Logback configuration that takes precedence over any {@code logback.xml} or {@code
 * logback-test.xml} on the shared classpath.
 */
final class ChildLogging {

    private static final String LOGBACK_XML =
            """
            <configuration>
              <appender name="STDOUT" class="ch.qos.logback.core.ConsoleAppender">
                <encoder>
                  <pattern>%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n</pattern>
                </encoder>
              </appender>
              <root level="INFO">
                <appender-ref ref="STDOUT"/>
              </root>
            </configuration>
            """;

    private ChildLogging() {}

    /** Writes the configuration into {@code directory}; returns the child's system properties. */
    static Map<String, String> configure(Path directory) {
        Path logback = directory.resolve("logback.xml");
        try {
            Files.writeString(logback, LOGBACK_XML);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + logback, e);
        }
        return Map.of("logback.configurationFile", logback.toString());
    }
}
