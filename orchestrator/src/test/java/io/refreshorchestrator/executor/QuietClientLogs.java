package io.refreshorchestrator.executor;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * Raises the Kafka, HikariCP and pgjdbc loggers to WARN/INFO before anything starts: at the
 * unconfigured DEBUG default their chatter drowns the executor's own lines in the test log.
 */
public final class QuietClientLogs implements BeforeAllCallback {

    @Override
    public void beforeAll(ExtensionContext context) {
        level("org.apache.kafka", Level.WARN);
        level("kafka", Level.WARN);
        level("com.zaxxer.hikari", Level.INFO);
        level("org.postgresql", Level.INFO);
        level("org.awaitility", Level.INFO);
    }

    private static void level(String name, Level level) {
        ((Logger) LoggerFactory.getLogger(name)).setLevel(level);
    }
}
