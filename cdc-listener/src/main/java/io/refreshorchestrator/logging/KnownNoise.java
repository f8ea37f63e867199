package io.refreshorchestrator.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;

/**
 * Drops one warning Kafka Streams 4.3 logs on every start and no operator can act on: "Processing
 * exception handler is not enabled for the GlobalThread". The orchestrator sets {@code
 * processing.exception.handler.global.enabled=true}, but Kafka Streams also reads its configuration
 * again inside the main consumer's partition assignor, from the consumer's properties, which never
 * carry that key, and warns there. Every other warning of the same logger still shows. Registered
 * in {@code logback.xml}.
 */
public final class KnownNoise extends TurboFilter {

    static final String LOGGER = "org.apache.kafka.streams.StreamsConfig";
    static final String MESSAGE =
            "Processing exception handler is not enabled for the GlobalThread";

    @Override
    public FilterReply decide(
            Marker marker,
            Logger logger,
            Level level,
            String format,
            Object[] params,
            Throwable t) {
        return level == Level.WARN
                        && format != null
                        && format.startsWith(MESSAGE)
                        && LOGGER.equals(logger.getName())
                ? FilterReply.DENY
                : FilterReply.NEUTRAL;
    }
}
