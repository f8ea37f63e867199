package io.refreshorchestrator.executor;

import static org.assertj.core.api.Assertions.assertThat;

import io.refreshorchestrator.discovery.RelationName;
import io.refreshorchestrator.events.RefreshMode;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModePlannerTest {

    private static final RelationName VIEW = new RelationName("analytics", "popular_tracks");

    private static ViewFacts.Index uniqueOnPlainColumns() {
        return new ViewFacts.Index("ux", true, true, true, true, false, false, 1);
    }

    @Test
    void shouldRefreshConcurrentlyWhenPopulatedWithUsableUniqueIndex() {
        // given
        var facts = new ViewFacts(VIEW, true, List.of(uniqueOnPlainColumns()));

        // when
        RefreshPlan plan = ModePlanner.plan(facts);

        // then
        assertThat(plan.mode()).isEqualTo(RefreshMode.CONCURRENTLY);
        assertThat(plan.concurrently()).isTrue();
        assertThat(plan.detail()).isNull();
    }

    @Test
    void shouldPopulateWithPlainRefreshWhenNeverPopulatedEvenWithUniqueIndex() {
        var facts = new ViewFacts(VIEW, false, List.of(uniqueOnPlainColumns()));

        RefreshPlan plan = ModePlanner.plan(facts);

        assertThat(plan.mode()).isEqualTo(RefreshMode.BLOCKING);
        assertThat(plan.detail()).isEqualTo("not populated: a plain REFRESH populates it");
    }

    @Test
    void shouldBlockWhenThereIsNoIndex() {
        RefreshPlan plan = ModePlanner.plan(new ViewFacts(VIEW, true, List.of()));

        assertThat(plan.mode()).isEqualTo(RefreshMode.BLOCKING);
        assertThat(plan.detail()).isEqualTo("no unique index on plain columns without WHERE");
    }

    @Test
    void shouldBlockWhenNoUniqueIndexIsUsable() {
        // given: every index misses exactly one requirement
        var notUnique = new ViewFacts.Index("a", false, true, true, true, false, false, 1);
        var invalid = new ViewFacts.Index("b", true, false, true, true, false, false, 1);
        var deferrable = new ViewFacts.Index("c", true, true, false, true, false, false, 1);
        var hash = new ViewFacts.Index("d", true, true, true, false, false, false, 1);
        var onExpression = new ViewFacts.Index("e", true, true, true, true, true, false, 1);
        var partial = new ViewFacts.Index("f", true, true, true, true, false, true, 1);
        var noKeys = new ViewFacts.Index("g", true, true, true, true, false, false, 0);
        var facts =
                new ViewFacts(
                        VIEW,
                        true,
                        List.of(
                                notUnique,
                                invalid,
                                deferrable,
                                hash,
                                onExpression,
                                partial,
                                noKeys));

        // when
        RefreshPlan plan = ModePlanner.plan(facts);

        // then
        assertThat(plan.mode()).isEqualTo(RefreshMode.BLOCKING);
        assertThat(plan.detail()).isEqualTo(ModePlanner.NO_UNIQUE_INDEX);
    }

    @Test
    void shouldUseConcurrentlyWhenOneOfSeveralIndexesIsUsable() {
        var partial = new ViewFacts.Index("partial", true, true, true, true, false, true, 1);
        var facts = new ViewFacts(VIEW, true, List.of(partial, uniqueOnPlainColumns()));

        assertThat(ModePlanner.plan(facts).mode()).isEqualTo(RefreshMode.CONCURRENTLY);
    }
}
