package io.refreshorchestrator.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.LoggerFactory;

/**
 * The log's format: {@code text} (the shipped configuration's pattern, with date and zone) or
 * {@code json}, one JSON object per line from Logback's own {@link JsonEncoder} for log shippers.
 */
public enum LogFormat {
    TEXT,
    JSON;

    /** The format named {@code name} ({@code text} or {@code json}, any case), if it is one. */
    public static Optional<LogFormat> named(String name) {
        try {
            return Optional.of(valueOf(name.strip().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * Switches the console appenders of the root logger to this format; {@code TEXT} leaves the
     * configuration as it is.
     *
     * @return false when {@code JSON} found no appender to switch (a configuration of one's own
     *     without a console or file appender on the root logger)
     */
    public boolean apply() {
        if (this == TEXT || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return this == TEXT;
        }
        var root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        List<OutputStreamAppender<ILoggingEvent>> switched = new ArrayList<>();
        for (var it = root.iteratorForAppenders(); it.hasNext(); ) {
            Appender<ILoggingEvent> appender = it.next();
            if (appender instanceof OutputStreamAppender<ILoggingEvent> stream) {
                switched.add(stream);
            }
        }
        for (var appender : switched) {
            var encoder = new JsonEncoder();
            encoder.setContext(context);
            // the message as read ("took 12 ms"), not only its template and arguments
            encoder.setWithFormattedMessage(true);
            encoder.start();
            appender.stop();
            appender.setEncoder(encoder);
            appender.start();
        }
        return !switched.isEmpty();
    }
}
