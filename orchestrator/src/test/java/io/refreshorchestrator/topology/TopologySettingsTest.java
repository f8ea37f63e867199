package io.refreshorchestrator.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.refreshorchestrator.events.Topics;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class TopologySettingsTest {

    @Test
    void shouldMatchTheChangeTopicsOfThePrefixOnly() {
        Pattern topics = TopologySettings.changeTopicPattern("pg");

        assertThat("pg.public.tracks").matches(topics);
        assertThat("pg.Sales.Orders.2026").matches(topics);
        assertThat("pg.transaction").doesNotMatch(topics);
        assertThat("pgx.public.tracks").doesNotMatch(topics);
        assertThat("pg-public-tracks").doesNotMatch(topics);
        assertThat("__debezium-heartbeat.pg").doesNotMatch(topics);
        assertThat("a.b.c").matches(TopologySettings.changeTopicPattern("a"));
        assertThat("axb.c").doesNotMatch(TopologySettings.changeTopicPattern("a.b"));
    }

    @Test
    void shouldDefaultToAPunctuationEvery100MsAndSixJobPartitions() {
        var settings = TopologySettings.of("pg", "capture-signals", Topics.defaults());

        assertThat(settings.punctuationInterval()).isEqualTo(Duration.ofMillis(100));
        assertThat(settings.jobPartitions()).isEqualTo(6);
        assertThat(settings.withJobPartitions(12).jobPartitions()).isEqualTo(12);
    }

    @Test
    void shouldRejectAPatternThatWouldReadItsOwnTopics() {
        assertThatThrownBy(() -> TopologySettings.of("pg", "pg.cdc.signals", Topics.defaults()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pg.cdc.signals");
        assertThatThrownBy(
                        () ->
                                TopologySettings.of(
                                        "refresh",
                                        "signals",
                                        Topics.named("refresh.v1.commands", "r", "d")))
                .hasMessageContaining("refresh.v1.commands");
    }

    @Test
    void shouldRejectNonsense() {
        var settings = TopologySettings.of("pg", "capture-signals", Topics.defaults());

        assertThatThrownBy(() -> settings.withPunctuationInterval(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> settings.withJobPartitions(0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TopologySettings.changeTopicPattern(""))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
