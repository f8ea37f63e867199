package io.refreshorchestrator.executor;

import static org.assertj.core.api.Assertions.assertThat;

import io.refreshorchestrator.discovery.RelationName;
import io.refreshorchestrator.events.RefreshMode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What {@code plan} says about a view's mode is what a run does. */
class PlannedModesTest {

    private static final RelationName VIEW = new RelationName("analytics", "popular_tracks");
    private static final ViewFacts.Index UNIQUE =
            new ViewFacts.Index("popular_tracks_pk", true, true, true, true, false, false, 1);

    @Test
    void shouldNameTheUniqueIndexThatAllowsConcurrently() {
        var choice = PlannedModes.choose(new ViewFacts(VIEW, true, List.of(UNIQUE)));

        assertThat(choice.mode()).isEqualTo(RefreshMode.CONCURRENTLY);
        assertThat(choice.why()).contains("popular_tracks_pk");
    }

    @Test
    void shouldPopulateANeverPopulatedViewWhateverTheConfigurationForces() {
        // given a view never populated, configured with mode: concurrently
        var facts = new ViewFacts(VIEW, false, List.of(UNIQUE));

        // when
        var choice = PlannedModes.choose(facts, RefreshMode.CONCURRENTLY);

        // then plan says what the run will do: a plain REFRESH that populates it
        assertThat(choice.mode()).isEqualTo(RefreshMode.BLOCKING);
        assertThat(choice.why()).isEqualTo(ModePlanner.NOT_POPULATED);
    }

    @Test
    void shouldReportAForcedModeOnAPopulatedView() {
        var choice =
                PlannedModes.choose(
                        new ViewFacts(VIEW, true, List.of(UNIQUE)), RefreshMode.BLOCKING);

        assertThat(choice.mode()).isEqualTo(RefreshMode.BLOCKING);
        assertThat(choice.why()).isEqualTo("forced by the configuration");
    }
}
