package io.refreshorchestrator.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.refreshorchestrator.config.KafkaSettings;
import io.refreshorchestrator.local.FreePorts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An unreachable broker is said at once, in one line, and given up on after the timeout. */
class BrokerReachabilityTest {

    @Test
    void shouldSayAtOnceThatTheBrokerIsUnreachableAndGiveUpAfterTheTimeout() {
        // given an address where nothing listens
        String address = "127.0.0.1:" + FreePorts.pick();
        var kafka = KafkaSettings.of(address);
        List<String> lines = new ArrayList<>();
        List<Duration> saidAfter = new ArrayList<>();
        long started = System.nanoTime();

        // when / then
        assertThatThrownBy(
                        () ->
                                BrokerReachability.await(
                                        kafka,
                                        Duration.ofSeconds(6),
                                        "kafka.start-timeout",
                                        line -> {
                                            lines.add(line);
                                            saidAfter.add(
                                                    Duration.ofNanos(System.nanoTime() - started));
                                        }))
                .isInstanceOf(BrokerReachability.BrokerUnreachableException.class)
                .hasMessage(
                        "Kafka broker at "
                                + address
                                + " is unreachable: no answer within 6s (kafka.start-timeout)");
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(lines)
                .containsExactly(
                        "Kafka broker at "
                                + address
                                + " is unreachable; waiting up to 6s (kafka.start-timeout)");
        assertThat(saidAfter.get(0))
                .as("said after the first request's %s", BrokerReachability.FIRST_ANSWER)
                .isLessThan(BrokerReachability.FIRST_ANSWER.plusSeconds(2));
        assertThat(took)
                .as("waited the whole timeout")
                .isBetween(Duration.ofSeconds(6), Duration.ofSeconds(12));
    }

    @Test
    void shouldFailAtOnceForAnAddressThatDoesNotResolve() {
        // given a host name that cannot resolve
        var kafka = KafkaSettings.of("no-such-host.invalid:9092");

        // when / then
        assertThatThrownBy(
                        () ->
                                BrokerReachability.await(
                                        kafka,
                                        Duration.ofSeconds(30),
                                        "kafka.start-timeout",
                                        l -> {}))
                .isInstanceOf(BrokerReachability.BrokerUnreachableException.class)
                .hasMessageStartingWith(
                        "Kafka broker at no-such-host.invalid:9092 cannot be reached: ");
    }
}
