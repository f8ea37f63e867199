package io.refreshorchestrator.topology;

import static io.refreshorchestrator.topology.Jobs.DAILY_SALES;
import static io.refreshorchestrator.topology.Jobs.ORDERS;
import static io.refreshorchestrator.topology.Jobs.PLAYS;
import static io.refreshorchestrator.topology.Jobs.POPULAR_TRACKS;
import static org.assertj.core.api.Assertions.assertThat;

import io.refreshorchestrator.events.JobControl.Action;
import io.refreshorchestrator.events.Reason;
import java.time.Duration;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** pause / resume: a paused job collects its changes and fires once on resume. */
class PauseResumeTest {

    private static final Duration TICK = Duration.ofMillis(100);

    @Test
    void shouldFireAPausedJobOnceOnResume() {
        try (var topology = new TopologyHarness(Jobs.musicShop())) {
            // given daily_sales is paused, and three orders and a play arrive
            topology.control(DAILY_SALES, Action.PAUSE);
            for (int i = 0; i < 3; i++) {
                topology.insert(ORDERS);
                topology.advanceInSteps(Duration.ofSeconds(3), TICK);
            }
            topology.insert(PLAYS);

            // when well past the max delay
            topology.advanceInSteps(Duration.ofSeconds(20), TICK);

            // then only the other job was refreshed
            assertThat(topology.commands())
                    .singleElement()
                    .satisfies(c -> assertThat(c.job()).isEqualTo(POPULAR_TRACKS));
            assertThat(topology.pending().get(DAILY_SALES).count()).isEqualTo(3);

            // when it is resumed
            topology.control(DAILY_SALES, Action.RESUME);
            topology.advanceInSteps(Duration.ofSeconds(20), TICK);

            // then one command covers the three held changes, sent at once
            assertThat(topology.commands())
                    .singleElement()
                    .satisfies(
                            c -> {
                                assertThat(c.job()).isEqualTo(DAILY_SALES);
                                assertThat(c.changes().count()).isEqualTo(3);
                                assertThat(c.requestedAt())
                                        .isEqualTo(topology.now().minusSeconds(20));
                            });
            assertThat(topology.pending().get(DAILY_SALES)).isNull();
        }
    }

    @Test
    void shouldOweOneScheduledFireWhilePaused() {
        var graph = ScheduleTest.scheduled("30s", ZoneOffset.UTC);
        try (var topology = new TopologyHarness(graph)) {
            // given a job on a 30 s timer, paused
            topology.control("analytics.today", Action.PAUSE);

            // when two minutes pass (four fires)
            topology.advanceInSteps(Duration.ofMinutes(2), TICK);

            // then nothing fired
            assertThat(topology.commands()).isEmpty();

            // when it is resumed
            topology.control("analytics.today", Action.RESUME);

            // then one SCHEDULE command makes up for the missed fires
            assertThat(topology.commands())
                    .singleElement()
                    .satisfies(c -> assertThat(c.reason()).isEqualTo(Reason.SCHEDULE));

            // and the timer goes on as before
            topology.advanceInSteps(Duration.ofSeconds(30), TICK);
            assertThat(topology.commands()).hasSize(1);
        }
    }

    @Test
    void shouldIgnoreAResumeOfARunningJob() {
        try (var topology = new TopologyHarness(Jobs.musicShop())) {
            topology.insert(ORDERS);
            topology.control(DAILY_SALES, Action.RESUME);
            topology.advanceInSteps(Duration.ofMillis(500), TICK);
            assertThat(topology.commands()).isEmpty();
            topology.advanceInSteps(Duration.ofMillis(600), TICK);
            assertThat(topology.commands()).hasSize(1);
        }
    }

    @Test
    void shouldIgnoreAPauseAddressedToAnotherDeployment() {
        try (var topology = new TopologyHarness(Jobs.musicShop())) {
            // given a pause of daily_sales for another deployment sharing the control topic
            topology.control(DAILY_SALES, Action.PAUSE, "another-deployment");

            // when an order arrives and the max delay passes
            topology.insert(ORDERS);
            topology.advanceInSteps(Duration.ofSeconds(11), TICK);

            // then this deployment still commands the job
            assertThat(topology.commands())
                    .singleElement()
                    .satisfies(c -> assertThat(c.job()).isEqualTo(DAILY_SALES));
        }
    }

    @Test
    void shouldApplyAPauseThatNamesNoDeployment() {
        try (var topology = new TopologyHarness(Jobs.musicShop())) {
            // given a pause published by hand, without a deployment
            topology.control(DAILY_SALES, Action.PAUSE, null);

            // when an order arrives and the max delay passes
            topology.insert(ORDERS);
            topology.advanceInSteps(Duration.ofSeconds(11), TICK);

            // then the job is held
            assertThat(topology.commands()).isEmpty();
            assertThat(topology.pending().get(DAILY_SALES).count()).isEqualTo(1);
        }
    }
}
