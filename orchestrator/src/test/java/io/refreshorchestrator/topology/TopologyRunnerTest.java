package io.refreshorchestrator.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.refreshorchestrator.config.KafkaSettings;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.kafka.streams.KafkaStreams.State;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner's lifecycle without a broker; running on a real one is for an integration test. */
class TopologyRunnerTest {

    @TempDir Path stateDir;

    @Test
    void shouldDoNothingUntilStartedAndCloseCleanly() throws InterruptedException {
        // given a runner for a broker that is not there
        var settings = StreamsSettings.of("runner-test", KafkaSettings.of("127.0.0.1:9"), stateDir);
        var runner =
                new TopologyRunner(
                        RefreshTopology.build(Jobs.musicShop(), TopologyHarness.settings()),
                        settings);

        // then it is created, not running
        assertThat(runner.state()).isEqualTo(State.CREATED);
        assertThat(runner.awaitRunning(Duration.ofMillis(50))).isFalse();

        // when closed
        // then it stops at once
        assertThat(runner.close(Duration.ofSeconds(10))).isTrue();
        assertThat(runner.state()).isEqualTo(State.NOT_RUNNING);
    }
}
