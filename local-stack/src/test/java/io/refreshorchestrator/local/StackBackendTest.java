package io.refreshorchestrator.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StackBackendTest {

    @Test
    void shouldStayLocalWhenNothingIsSelected() {
        assertThat(StackBackend.parse(null)).isEqualTo(StackBackend.LOCAL);
        assertThat(StackBackend.parse("")).isEqualTo(StackBackend.LOCAL);
        assertThat(StackBackend.parse("  ")).isEqualTo(StackBackend.LOCAL);
    }

    @Test
    void shouldSelectEachBackendByItsNameInAnyCase() {
        assertThat(StackBackend.parse("local")).isEqualTo(StackBackend.LOCAL);
        assertThat(StackBackend.parse("containers")).isEqualTo(StackBackend.CONTAINERS);
        assertThat(StackBackend.parse(" Containers ")).isEqualTo(StackBackend.CONTAINERS);
    }

    @Test
    void shouldRejectAnUnknownBackendNamingTheValidOnes() {
        assertThatThrownBy(() -> StackBackend.parse("docker"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "-Dstack=docker names no test stack backend; use one of: local,"
                                + " containers (default local)");
    }

    @Test
    void shouldReadTheSystemProperty() {
        String before = System.getProperty(StackBackend.PROPERTY);
        try {
            System.setProperty(StackBackend.PROPERTY, "containers");
            assertThat(StackBackend.selected()).isEqualTo(StackBackend.CONTAINERS);
            System.clearProperty(StackBackend.PROPERTY);
            assertThat(StackBackend.selected()).isEqualTo(StackBackend.LOCAL);
        } finally {
            if (before == null) {
                System.clearProperty(StackBackend.PROPERTY);
            } else {
                System.setProperty(StackBackend.PROPERTY, before);
            }
        }
    }
}
