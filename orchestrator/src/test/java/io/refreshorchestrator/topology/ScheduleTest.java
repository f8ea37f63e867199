package io.refreshorchestrator.topology;

import static io.refreshorchestrator.topology.TopologyHarness.START;
import static org.assertj.core.api.Assertions.assertThat;

import io.refreshorchestrator.discovery.JobAction;
import io.refreshorchestrator.discovery.JobGraph;
import io.refreshorchestrator.discovery.JobSchedule;
import io.refreshorchestrator.discovery.JobSpec;
import io.refreshorchestrator.discovery.RelationName;
import io.refreshorchestrator.events.Reason;
import io.refreshorchestrator.events.RefreshCommand;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The timer fallback: scheduled jobs fire at their instants, and once after downtime. */
class ScheduleTest {

    private static final Duration TICK = Duration.ofMillis(100);
    private static final String JOB = "analytics.today";

    static JobGraph scheduled(String expression, ZoneId zone) {
        var view = RelationName.parse(JOB);
        return JobGraph.of(
                List.of(
                        new JobSpec(
                                JOB,
                                new JobAction.RefreshView(view, Optional.empty()),
                                Set.of(),
                                Set.of(),
                                Jobs.policy(Jobs.DEBOUNCE, Jobs.MAX_DELAY),
                                Optional.of(new JobSchedule(expression, zone)))));
    }

    @Test
    void shouldFireASecondsLevelCronAtItsInstants() {
        try (var topology = new TopologyHarness(scheduled("*/15 * * * * *", ZoneOffset.UTC))) {
            // given a schedule every 15 seconds; after the first punctuation its next fire is known
            topology.advance(TICK);
            assertThat(topology.jobStates().get(JOB).nextFireAt()).isEqualTo(START.plusSeconds(15));

            // when 46 seconds pass
            topology.advanceInSteps(Duration.ofSeconds(46), TICK);

            // then it fired at :15, :30 and :45, with reason SCHEDULE
            List<RefreshCommand> commands = topology.commands();
            assertThat(commands)
                    .extracting(RefreshCommand::requestedAt)
                    .containsExactly(
                            START.plusSeconds(15), START.plusSeconds(30), START.plusSeconds(45));
            assertThat(commands)
                    .allMatch(c -> c.reason() == Reason.SCHEDULE && c.job().equals(JOB));
            assertThat(commands).extracting(RefreshCommand::id).doesNotHaveDuplicates();
            assertThat(topology.jobStates().get(JOB).nextFireAt()).isEqualTo(START.plusSeconds(60));
        }
    }

    @Test
    void shouldFireACronInAZoneThatShiftsForDaylightSavingAtTheRightInstants() {
        // given 09:00 every day in New York, which moves from UTC-5 to UTC-4 on 2026-03-08
        Instant friday = Instant.parse("2026-03-06T00:00:00Z");
        var graph = scheduled("0 9 * * *", ZoneId.of("America/New_York"));
        try (var topology = new TopologyHarness(graph, friday)) {
            // when four days pass, punctuating every minute
            topology.advanceInSteps(Duration.ofDays(4), Duration.ofMinutes(1));

            // then it fired at 14:00Z before the shift and at 13:00Z after it
            assertThat(topology.commands())
                    .extracting(RefreshCommand::requestedAt)
                    .containsExactly(
                            Instant.parse("2026-03-06T14:00:00Z"),
                            Instant.parse("2026-03-07T14:00:00Z"),
                            Instant.parse("2026-03-08T13:00:00Z"),
                            Instant.parse("2026-03-09T13:00:00Z"));
        }
    }

    @Test
    void shouldFireAScheduleMissedDuringDowntimeOnce() {
        try (var topology = new TopologyHarness(scheduled("@hourly", ZoneOffset.UTC))) {
            // given an hourly job whose next fire (11:00) is in the store
            topology.advance(TICK);
            assertThat(topology.jobStates().get(JOB).nextFireAt())
                    .isEqualTo(Instant.parse("2026-03-02T11:00:00Z"));

            // when no punctuation runs for five hours (the process was down), then one does
            topology.advance(Duration.ofHours(5));

            // then the five missed fires are made up by one command
            assertThat(topology.commands())
                    .singleElement()
                    .satisfies(c -> assertThat(c.reason()).isEqualTo(Reason.SCHEDULE));

            // and the schedule goes on from now: next at 16:00, once
            assertThat(topology.jobStates().get(JOB).nextFireAt())
                    .isEqualTo(Instant.parse("2026-03-02T16:00:00Z"));
            List<RefreshCommand> later = new ArrayList<>();
            // (the punctuations now run at 100 ms past each minute)
            topology.advanceInSteps(Duration.ofHours(1), Duration.ofMinutes(1));
            later.addAll(topology.commands());
            assertThat(later)
                    .extracting(RefreshCommand::requestedAt)
                    .containsExactly(Instant.parse("2026-03-02T16:00:00.100Z"));
        }
    }

    @Test
    void shouldKeepDebouncingTheChangesOfAScheduledView() {
        // given a view with sources and a daily schedule
        var view = RelationName.parse(Jobs.DAILY_SALES);
        var graph =
                JobGraph.of(
                        List.of(
                                new JobSpec(
                                        Jobs.DAILY_SALES,
                                        new JobAction.RefreshView(view, Optional.empty()),
                                        Set.of(Jobs.ORDERS),
                                        Set.of(),
                                        Jobs.policy(Jobs.DEBOUNCE, Jobs.MAX_DELAY),
                                        Optional.of(new JobSchedule("@daily", ZoneOffset.UTC)))));
        try (var topology = new TopologyHarness(graph)) {
            // when an order arrives
            topology.insert(Jobs.ORDERS);
            topology.advanceInSteps(Duration.ofSeconds(2), TICK);

            // then it is refreshed for the change, the schedule waits for midnight
            assertThat(topology.commands())
                    .singleElement()
                    .satisfies(c -> assertThat(c.reason()).isEqualTo(Reason.DATA_CHANGE));
            assertThat(topology.jobStates().get(Jobs.DAILY_SALES).nextFireAt())
                    .isEqualTo(Instant.parse("2026-03-03T00:00:00Z"));
        }
    }

    @Test
    void shouldApplyAScheduleChangedInTheConfigurationAtRestartWithoutLosingPendingWork() {
        // given the state an earlier run left: an hourly schedule due at 11:00, and a change
        // pending for the job, due at 10:00:01
        var graph = scheduled("*/10 * * * *", ZoneOffset.UTC);
        try (var topology = new TopologyHarness(graph)) {
            JobState earlier =
                    JobState.NEW.scheduled(
                            new JobSchedule("@hourly", ZoneOffset.UTC),
                            Instant.parse("2026-03-02T11:00:00Z"));
            topology.jobStates().put(JOB, earlier);
            topology.schedules().put(DueIndex.key(earlier.nextFireAt().toEpochMilli(), JOB), JOB);
            var change = new TableChange(RelationName.parse("public.tracks"), START, 7L, 42L);
            var pending =
                    PendingChanges.first(change, START, Jobs.policy(Jobs.DEBOUNCE, Jobs.MAX_DELAY));
            topology.pending().put(JOB, pending);
            topology.dueIndex().put(DueIndex.key(pending.deadline().toEpochMilli(), JOB), JOB);

            // when it starts with the schedule changed to every 10 minutes
            topology.advanceInSteps(Duration.ofSeconds(2), TICK);

            // then the pending change is still commanded, and the new schedule is in force
            assertThat(topology.commands())
                    .singleElement()
                    .satisfies(c -> assertThat(c.reason()).isEqualTo(Reason.DATA_CHANGE));
            assertThat(topology.jobStates().get(JOB).nextFireAt())
                    .isEqualTo(Instant.parse("2026-03-02T10:10:00Z"));
            topology.advanceInSteps(Duration.ofHours(1), Duration.ofMinutes(1));
            List<RefreshCommand> scheduled = topology.commands();
            assertThat(scheduled).hasSize(6);
            assertThat(scheduled.get(0).requestedAt())
                    .isBetween(
                            Instant.parse("2026-03-02T10:10:00Z"),
                            Instant.parse("2026-03-02T10:11:00Z"));
        }
    }
}
