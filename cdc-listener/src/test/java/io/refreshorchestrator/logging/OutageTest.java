package io.refreshorchestrator.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class OutageTest {

    private final AtomicLong now = new AtomicLong();
    private final Logger logger = (Logger) LoggerFactory.getLogger("outage-test");
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Outage outage = new Outage(logger, "Kafka broker at host:1", now::get);

    @BeforeEach
    void capture() {
        appender.start();
        logger.addAppender(appender);
        logger.setLevel(Level.INFO);
    }

    @AfterEach
    void release() {
        logger.detachAppender(appender);
    }

    @Test
    void shouldWarnOnceWhenAnOutageStartsAndRemindEveryThirtySeconds() {
        // given an outage whose attempts fail every 100 ms for 75 s
        for (long ms = 0; ms <= 75_000; ms += 100) {
            now.set(Duration.ofMillis(ms).toNanos());
            outage.failed("timed out");
        }

        // then one WARN at the start and a reminder at 30 s and 60 s
        assertThat(lines())
                .containsExactly(
                        "WARN Kafka broker at host:1 is unreachable: timed out; retrying (a"
                                + " reminder every 30 s while it lasts)",
                        "WARN Kafka broker at host:1 still unreachable after 30.0 s: timed out",
                        "WARN Kafka broker at host:1 still unreachable after 60.0 s: timed out");
        assertThat(outage.active()).isTrue();
    }

    @Test
    void shouldSayOnceWithItsLengthWhenAnOutageEnds() {
        // given an outage of 10.4 s
        outage.failed("timed out");
        now.set(Duration.ofMillis(10_400).toNanos());

        // when attempts succeed again
        outage.recovered();
        outage.recovered();

        // then one INFO with the length, and the next failure is a new outage
        assertThat(lines()).endsWith("INFO Kafka broker at host:1 is reachable again after 10.4 s");
        assertThat(outage.active()).isFalse();
        outage.failed("refused");
        assertThat(lines()).hasSize(3).last().asString().startsWith("WARN");
    }

    @Test
    void shouldSayNothingWhileAttemptsSucceed() {
        outage.recovered();
        outage.recovered();
        assertThat(lines()).isEmpty();
    }

    private List<String> lines() {
        return appender.list.stream()
                .map(e -> e.getLevel() + " " + e.getFormattedMessage())
                .toList();
    }
}
