package io.refreshorchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.refreshorchestrator.events.Json;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CaptureReportTest {

    private static final Instant T0 = Instant.parse("2026-11-29T02:00:00Z");

    @Test
    void shouldShowTheCapturingInstanceEvenWhenAStandbyReportedLater() {
        // given: a captures, b and c stand by and reported after it
        var reports =
                Map.of(
                        "a", report("a", "STREAMING", 0),
                        "b", report("b", "STANDBY", 5),
                        "c", report("c", "STANDBY", 6));

        // when / then
        assertThat(CaptureReport.capturing(reports))
                .hasValueSatisfying(r -> assertThat(r.get("instance").asText()).isEqualTo("a"));
        assertThat(CaptureReport.standingBy(reports, T0)).containsExactly("b", "c");
    }

    @Test
    void shouldNotLetAStoppedStandbyHideTheInstanceThatTookOver() {
        // given: a was killed (its last report says STREAMING), b took over, c was stopped
        var reports =
                Map.of(
                        "a", report("a", "STREAMING", 0),
                        "b", report("b", "STREAMING", 20),
                        "c", report("c", "STOPPED", 30));

        assertThat(CaptureReport.capturing(reports))
                .hasValueSatisfying(r -> assertThat(r.get("instance").asText()).isEqualTo("b"));
        assertThat(CaptureReport.standingBy(reports, T0)).isEmpty();
    }

    @Test
    void shouldLeaveOutStandbysThatStoppedReporting() {
        var reports = Map.of("b", report("b", "STANDBY", 5), "c", report("c", "STANDBY", 100));

        assertThat(CaptureReport.standingBy(reports, T0.plusSeconds(60))).containsExactly("c");
    }

    private static JsonNode report(String instance, String state, int secondsAfterT0) {
        return Json.mapper()
                .createObjectNode()
                .put("type", "CAPTURE_STATUS")
                .put("instance", instance)
                .put("state", state)
                .put("at", T0.plusSeconds(secondsAfterT0).toString());
    }
}
