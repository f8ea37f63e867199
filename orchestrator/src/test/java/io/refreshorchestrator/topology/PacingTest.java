package io.refreshorchestrator.topology;

import static io.refreshorchestrator.topology.Jobs.DAILY_SALES;
import static io.refreshorchestrator.topology.Jobs.ORDERS;
import static io.refreshorchestrator.topology.TopologyHarness.START;
import static org.assertj.core.api.Assertions.assertThat;

import io.refreshorchestrator.discovery.JobGraph;
import io.refreshorchestrator.discovery.JobPolicy;
import io.refreshorchestrator.events.JobControl;
import io.refreshorchestrator.events.RefreshCommand;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Cost-aware pacing: leading edge for idle views, refresh budget and target lag under load. */
class PacingTest {

    private static final Duration TICK = Duration.ofMillis(100);

    private static JobGraph oneJob(JobPolicy policy) {
        return JobGraph.of(List.of(Jobs.job(DAILY_SALES, policy, ORDERS)));
    }

    @Test
    void shouldCommandASingleChangeToAnIdleViewAtOnce() {
        var policy = Jobs.policy(Jobs.DEBOUNCE, Jobs.MAX_DELAY).withPacing(1.0, true);
        try (var topology = new TopologyHarness(oneJob(policy))) {
            // given an idle view with leading edge
            topology.advanceInSteps(Duration.ofSeconds(3), TICK);

            // when one change arrives
            topology.insert(ORDERS);
            Instant arrived = topology.now();

            // then it is commanded as it is read, without waiting for a punctuation
            assertThat(topology.commands())
                    .singleElement()
                    .satisfies(c -> assertThat(c.requestedAt()).isEqualTo(arrived));
            assertThat(topology.pending().get(DAILY_SALES)).isNull();
        }
    }

    @Test
    void shouldHoldTheLeadingChangeOfAPausedView() {
        var policy = Jobs.policy(Jobs.DEBOUNCE, Jobs.MAX_DELAY).withPacing(1.0, true);
        try (var topology = new TopologyHarness(oneJob(policy))) {
            // given an idle view with leading edge, paused
            topology.control(DAILY_SALES, JobControl.Action.PAUSE);

            // when one change arrives
            topology.insert(ORDERS);
            topology.advanceInSteps(Duration.ofSeconds(2), TICK);

            // then nothing is commanded while it is paused, and the change is held
            assertThat(topology.commands()).isEmpty();
            assertThat(topology.pending().get(DAILY_SALES)).isNotNull();
        }
    }

    @Test
    void shouldDebounceTheChangesThatFollowALeadingCommand() {
        var policy = Jobs.policy(Jobs.DEBOUNCE, Jobs.MAX_DELAY).withPacing(1.0, true);
        try (var topology = new TopologyHarness(oneJob(policy))) {
            // given a first change commanded at once
            topology.insert(ORDERS);
            topology.advance(TICK);
            assertThat(topology.commands()).hasSize(1);

            // when a second one follows 200 ms later
            topology.advanceInSteps(Duration.ofMillis(200), TICK);
            topology.insert(ORDERS);
            topology.advanceInSteps(Duration.ofMillis(900), TICK);

            // then it waits for the quiet period
            assertThat(topology.commands()).isEmpty();
            topology.advanceInSteps(Duration.ofMillis(100), TICK);
            assertThat(topology.commands()).hasSize(1);
        }
    }

    @Test
    void shouldSpaceCommandsOfAnExpensiveViewByItsRefreshBudget() {
        // given a view whose refreshes take 2 s, with a 25% budget (max delay 5 s)
        var policy = Jobs.policy(Jobs.DEBOUNCE, Jobs.MAX_DELAY).withPacing(0.25, true);
        Duration refresh = Duration.ofSeconds(2);
        List<RefreshCommand> commands = new ArrayList<>();
        List<Instant> resultsDue = new ArrayList<>();
        try (var topology = new TopologyHarness(oneJob(policy))) {
            // when it changes every 50 ms for a minute, and each command's result comes 2 s later
            while (topology.now().isBefore(START.plusSeconds(60))) {
                topology.insert(ORDERS);
                topology.advanceInSteps(Duration.ofMillis(50), TICK);
                for (RefreshCommand command : topology.commands()) {
                    commands.add(command);
                    resultsDue.add(command.requestedAt().plus(refresh));
                }
                while (!resultsDue.isEmpty() && !resultsDue.get(0).isAfter(topology.now())) {
                    resultsDue.remove(0);
                    topology.result(DAILY_SALES, refresh);
                }
            }
        }

        // then it is commanded no more than once per 8 s (2 s / 25%)
        assertThat(commands).hasSizeGreaterThanOrEqualTo(6);
        for (int i = 1; i < commands.size(); i++) {
            assertThat(
                            Duration.between(
                                    commands.get(i - 1).requestedAt(),
                                    commands.get(i).requestedAt()))
                    .isGreaterThanOrEqualTo(Duration.ofSeconds(8));
        }
    }

    @Test
    void shouldShortenTheMaxDelayByTheMeasuredRefreshDurationUnderATargetLag() {
        // given a 10 s target lag (debounce 1 s, max delay 5 s) and refreshes that take 7 s
        var policy =
                Jobs.policy(Jobs.DEBOUNCE, Jobs.MAX_DELAY).withTargetLag(Duration.ofSeconds(10));
        try (var topology = new TopologyHarness(oneJob(policy))) {
            topology.result(DAILY_SALES, Duration.ofSeconds(7));

            // when it changes every 50 ms
            List<RefreshCommand> commands = new ArrayList<>();
            while (topology.now().isBefore(START.plusSeconds(10))) {
                topology.insert(ORDERS);
                topology.advanceInSteps(Duration.ofMillis(50), TICK);
                commands.addAll(topology.commands());
            }

            // then it is commanded every 3 s (10 s - 7 s), not every 5 s
            assertThat(commands)
                    .extracting(RefreshCommand::requestedAt)
                    .containsExactly(
                            START.plusSeconds(3), START.plusSeconds(6), START.plusSeconds(9));
        }
    }
}
