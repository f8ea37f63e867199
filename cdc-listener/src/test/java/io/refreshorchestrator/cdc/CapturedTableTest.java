package io.refreshorchestrator.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CapturedTableTest {

    @Test
    void shouldSplitAtTheFirstDotKeepingExactNames() {
        var table = CapturedTable.parse("Sales.Order.Lines");

        assertThat(table.schema()).isEqualTo("Sales");
        assertThat(table.table()).isEqualTo("Order.Lines");
        assertThat(table.qualifiedName()).isEqualTo("Sales.Order.Lines");
    }

    @ParameterizedTest
    @ValueSource(strings = {"plays", ".plays", "public.", ""})
    void shouldRejectNamesWithoutSchema(String name) {
        assertThatThrownBy(() -> CapturedTable.parse(name))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a schema-qualified table name: '" + name + "'");
    }
}
