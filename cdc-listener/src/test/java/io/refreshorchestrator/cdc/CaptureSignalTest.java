package io.refreshorchestrator.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CaptureSignalTest {

    @Test
    void shouldSerializeToTheDocumentedJson() throws Exception {
        var signal =
                CaptureSignal.captureReset(
                        CaptureSignal.Reason.SLOT_CREATED,
                        "refresh_orchestrator",
                        "refresh_orchestrator",
                        List.of("public.plays"),
                        Instant.parse("2025-01-01T00:00:00Z"));

        var json = SignalPublisher.toJson(signal);

        assertThat(SignalPublisher.JSON.readTree(json))
                .isEqualTo(
                        SignalPublisher.JSON.readTree(
                                """
                                {"version":1,"type":"CAPTURE_RESET","reason":"SLOT_CREATED",
                                 "slot":"refresh_orchestrator","publication":"refresh_orchestrator",
                                 "tables":["public.plays"],"at":"2025-01-01T00:00:00Z"}
                                """));
    }

    @Test
    void shouldReadBackIgnoringUnknownFields() throws Exception {
        var json =
                """
                {"version":1,"type":"CAPTURE_RESET","reason":"SLOT_INVALIDATED","slot":"s",
                 "publication":"p","tables":["public.plays"],"at":"2025-01-01T00:00:00Z","later":true}
                """;

        var signal = SignalPublisher.JSON.readValue(json, CaptureSignal.class);

        assertThat(signal.reason()).isEqualTo(CaptureSignal.Reason.SLOT_INVALIDATED);
        assertThat(signal.tables()).containsExactly("public.plays");
        assertThat(signal.at()).isEqualTo(Instant.parse("2025-01-01T00:00:00Z"));
    }
}
