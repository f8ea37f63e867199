package io.refreshorchestrator.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DatabaseNamesTest {

    @Test
    void shouldStartWithTheSanitizedPrefix() {
        assertThat(DatabaseNames.unique("RefreshExecutorIT"))
                .matches("refreshexecutorit_\\d+_[0-9a-f]{6}");
        assertThat(DatabaseNames.unique("my-test.case")).startsWith("my_test_case_");
    }

    @Test
    void shouldAlwaysStartWithALetterOrUnderscore() {
        assertThat(DatabaseNames.sanitize("1st")).isEqualTo("db1st");
        assertThat(DatabaseNames.sanitize("")).isEqualTo("db");
        assertThat(DatabaseNames.sanitize(null)).isEqualTo("db");
    }

    @Test
    void shouldStayWithinPostgresqlIdentifierLength() {
        assertThat(DatabaseNames.unique("x".repeat(200)).length()).isLessThanOrEqualTo(63);
    }

    @Test
    void shouldNeverRepeatAName() {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            names.add(DatabaseNames.unique("t"));
        }
        assertThat(names).hasSize(1_000);
    }
}
