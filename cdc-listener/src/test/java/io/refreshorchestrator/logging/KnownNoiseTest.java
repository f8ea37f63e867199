package io.refreshorchestrator.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;

/** Only the one known warning is dropped; the same logger's others and other loggers' pass. */
class KnownNoiseTest {

    @Test
    void shouldDropOnlyTheGlobalThreadWarningOfStreamsConfig() {
        // given a logging context with the filter, as logback.xml registers it
        var context = new LoggerContext();
        var filter = new KnownNoise();
        filter.start();
        context.addTurboFilter(filter);
        var appender = new ListAppender<ILoggingEvent>();
        appender.setContext(context);
        appender.start();
        var streamsConfig = context.getLogger(KnownNoise.LOGGER);
        streamsConfig.addAppender(appender);
        var other = context.getLogger("org.apache.kafka.streams.KafkaStreams");
        other.addAppender(appender);

        // when Kafka Streams logs the known warning, another warning, and the text elsewhere
        streamsConfig.warn(
                KnownNoise.MESSAGE
                        + ". It's recommended to set `processing.exception.handler.global"
                        + ".enabled` to true to enable it.");
        streamsConfig.warn("Unexpected user-specified consumer config: enable.auto.commit");
        other.warn(KnownNoise.MESSAGE);

        // then only the known warning of StreamsConfig is gone
        assertThat(appender.list)
                .extracting(ILoggingEvent::getFormattedMessage)
                .containsExactly(
                        "Unexpected user-specified consumer config: enable.auto.commit",
                        KnownNoise.MESSAGE);
    }
}
