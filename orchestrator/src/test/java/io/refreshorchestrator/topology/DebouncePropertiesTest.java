package io.refreshorchestrator.topology;

import static io.refreshorchestrator.topology.Jobs.DAILY_SALES;
import static io.refreshorchestrator.topology.Jobs.ORDERS;
import static org.assertj.core.api.Assertions.assertThat;

import io.refreshorchestrator.discovery.JobGraph;
import io.refreshorchestrator.events.RefreshCommand;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Invariants of the debounce for any arrival pattern of one job's changes, run against the real
 * topology with punctuations exactly every interval, as a running instance aims to.
 */
class DebouncePropertiesTest {

    private static final Duration INTERVAL = Duration.ofMillis(100);

    /**
     * One change: how long after the previous it arrives, and how long before that it committed.
     */
    record Arrival(int gapMillis, int captureLagMillis) {}

    /** A change as it happened in one try: arrival and commit time. */
    private record Change(Instant arrivedAt, Instant committedAt) {}

    @Property(tries = 150)
    void everyChangeIsRefreshedInTimeAndCommandsAreSpacedByTheDebounce(
            @ForAll("arrivals") List<Arrival> arrivals,
            @ForAll @IntRange(min = 100, max = 2000) int debounceMillis,
            @ForAll @IntRange(min = 0, max = 4000) int maxDelayExtraMillis,
            @ForAll boolean leadingEdge) {
        // given one job with this policy, with or without the leading edge
        Duration debounce = Duration.ofMillis(debounceMillis);
        Duration maxDelay = debounce.plusMillis(maxDelayExtraMillis);
        var policy = Jobs.policy(debounce, maxDelay).withPacing(1.0, leadingEdge);
        JobGraph graph = JobGraph.of(List.of(Jobs.job(DAILY_SALES, policy, ORDERS)));
        List<Change> changes = new ArrayList<>();
        List<RefreshCommand> commands;
        try (var topology = new TopologyHarness(graph)) {
            var clock = new GridClock(topology);

            // when its changes arrive at these times (commit times earlier, or later on a
            // database clock ahead of ours)
            for (Arrival arrival : arrivals) {
                clock.advanceTo(topology.now().plusMillis(arrival.gapMillis()));
                Instant committedAt = topology.now().minusMillis(arrival.captureLagMillis());
                topology.change(
                        ORDERS, DebeziumEvent.insertInto(ORDERS).committedAt(committedAt).bare());
                changes.add(new Change(topology.now(), committedAt));
            }
            clock.advanceTo(topology.now().plus(maxDelay).plus(INTERVAL.multipliedBy(2)));
            commands = topology.commands();
        }

        // then the commands cover every change exactly once, in arrival order
        assertThat(commands.stream().mapToLong(c -> c.changes().count()).sum())
                .isEqualTo(changes.size());
        int next = 0;
        Instant previousAt = null;
        for (RefreshCommand command : commands) {
            List<Change> covered = changes.subList(next, next + (int) command.changes().count());
            next += covered.size();
            Instant at = command.requestedAt();
            Instant firstCommit =
                    covered.stream().map(Change::committedAt).min(Instant::compareTo).orElseThrow();
            assertThat(command.changes().firstChangeAt()).isEqualTo(firstCommit);

            // each covered change arrived before the command, and at most max delay plus one
            // punctuation interval before it
            for (Change change : covered) {
                assertThat(change.arrivedAt()).isBeforeOrEqualTo(at);
                assertThat(Duration.between(change.arrivedAt(), at))
                        .isLessThan(maxDelay.plus(INTERVAL));
            }

            // and a command closer than the debounce to the one before was forced by max delay
            Instant anchor = min(firstCommit, covered.get(0).arrivedAt());
            boolean forcedByMaxDelay = !at.isBefore(anchor.plus(maxDelay));
            if (previousAt != null && !forcedByMaxDelay) {
                assertThat(Duration.between(previousAt, at)).isGreaterThanOrEqualTo(debounce);
            }
            previousAt = at;
        }
    }

    @Provide
    Arbitrary<List<Arrival>> arrivals() {
        return Combinators.combine(
                        Arbitraries.integers().between(0, 2500),
                        Arbitraries.integers().between(-2000, 3000))
                .as(Arrival::new)
                .list()
                .ofMinSize(1)
                .ofMaxSize(40);
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    /**
     * Moves the wall clock through every punctuation time on the way, so each punctuation runs
     * exactly on time; arrivals between them are stops of their own.
     */
    private static final class GridClock {
        private final TopologyHarness topology;

        GridClock(TopologyHarness topology) {
            this.topology = topology;
        }

        void advanceTo(Instant target) {
            while (topology.now().isBefore(target)) {
                long sinceStart =
                        Duration.between(TopologyHarness.START, topology.now()).toMillis();
                Instant nextTick =
                        TopologyHarness.START.plusMillis(
                                (sinceStart / INTERVAL.toMillis() + 1) * INTERVAL.toMillis());
                Instant stop = nextTick.isBefore(target) ? nextTick : target;
                topology.advance(Duration.between(topology.now(), stop));
            }
        }
    }
}
