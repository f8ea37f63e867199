package io.refreshorchestrator.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.refreshorchestrator.discovery.JobSchedule;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class SchedulesTest {

    private static final ZoneId UTC = ZoneOffset.UTC;
    private static final Instant T = Instant.parse("2026-03-02T10:07:13Z");

    @Test
    void shouldComputeTheNextFireOfAFiveFieldCron() {
        assertThat(Schedules.nextFire(new JobSchedule("*/15 * * * *", UTC), T))
                .isEqualTo(Instant.parse("2026-03-02T10:15:00Z"));
    }

    @Test
    void shouldComputeTheNextFireOfASixFieldCronWithSeconds() {
        assertThat(Schedules.nextFire(new JobSchedule("*/20 * * * * *", UTC), T))
                .isEqualTo(Instant.parse("2026-03-02T10:07:20Z"));
    }

    @Test
    void shouldFireStrictlyAfterTheGivenInstant() {
        Instant onTheDot = Instant.parse("2026-03-02T10:15:00Z");
        assertThat(Schedules.nextFire(new JobSchedule("*/15 * * * *", UTC), onTheDot))
                .isEqualTo(Instant.parse("2026-03-02T10:30:00Z"));
    }

    @Test
    void shouldAcceptMacros() {
        assertThat(Schedules.nextFire(new JobSchedule("@hourly", UTC), T))
                .isEqualTo(Instant.parse("2026-03-02T11:00:00Z"));
        assertThat(Schedules.nextFire(new JobSchedule("@daily", UTC), T))
                .isEqualTo(Instant.parse("2026-03-03T00:00:00Z"));
    }

    @Test
    void shouldAlignFixedIntervalsOnTheEpoch() {
        assertThat(Schedules.nextFire(new JobSchedule("30s", UTC), T))
                .isEqualTo(Instant.parse("2026-03-02T10:07:30Z"));
        assertThat(Schedules.nextFire(new JobSchedule("PT5M", UTC), T))
                .isEqualTo(Instant.parse("2026-03-02T10:10:00Z"));
    }

    @Test
    void shouldFollowDaylightSavingShiftsOfTheZone() {
        // given 09:00 every day in New York, which moves from UTC-5 to UTC-4 on 2026-03-08
        var schedule = new JobSchedule("0 9 * * *", ZoneId.of("America/New_York"));

        // then it fires at 14:00Z before the shift and 13:00Z after
        assertThat(Schedules.nextFire(schedule, Instant.parse("2026-03-07T00:00:00Z")))
                .isEqualTo(Instant.parse("2026-03-07T14:00:00Z"));
        assertThat(Schedules.nextFire(schedule, Instant.parse("2026-03-08T00:00:00Z")))
                .isEqualTo(Instant.parse("2026-03-08T13:00:00Z"));
    }

    @Test
    void shouldNameWhatIsWrongWithAnInvalidSchedule() {
        assertThat(Schedules.problem("* * *")).get().asString().contains("3 fields");
        assertThat(Schedules.problem("@often")).get().asString().contains("unknown macro");
        assertThat(Schedules.problem("61 * * * *")).get().asString().contains("invalid cron");
        assertThat(Schedules.problem("10ms")).get().asString().contains("shorter than");
        assertThat(Schedules.problem("0 0 * * 1-5")).isEmpty();
        assertThatThrownBy(() -> Schedules.parse("", UTC))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
