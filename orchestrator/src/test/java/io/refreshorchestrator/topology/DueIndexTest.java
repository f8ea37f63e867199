package io.refreshorchestrator.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The deadline index reads what is due, earliest first, and nothing else. */
class DueIndexTest {

    private DueIndex index;

    @BeforeEach
    void setUp() {
        KeyValueStore<Bytes, String> store =
                Stores.keyValueStoreBuilder(
                                Stores.inMemoryKeyValueStore("index"),
                                Serdes.Bytes(),
                                Serdes.String())
                        .withLoggingDisabled()
                        .build();
        store.init(new MockProcessorContext<>().getStateStoreContext(), store);
        index = new DueIndex(store);
    }

    @Test
    void shouldReadOnlyTheDueEntriesEarliestFirst() {
        // given 1000 jobs with deadlines spread over 1000 s, inserted in random order
        long base = Instant.parse("2026-03-02T10:00:00Z").toEpochMilli();
        List<DueIndex.Entry> all = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            all.add(new DueIndex.Entry(base + 1000L * i, "analytics.view_" + i));
        }
        List<DueIndex.Entry> shuffled = new ArrayList<>(all);
        java.util.Collections.shuffle(shuffled, new Random(42));
        shuffled.forEach(e -> index.add(Instant.ofEpochMilli(e.deadlineMillis()), e.job()));

        // when asking what is due at the 10th deadline
        List<DueIndex.Entry> due = index.dueAt(base + 9_000);

        // then exactly the first ten come back, in deadline order
        assertThat(due).isEqualTo(all.subList(0, 10));
    }

    @Test
    void shouldOrderDeadlinesByValueNotByTheirLastByte() {
        // given deadlines around byte boundaries, where signed-byte order would be wrong
        long[] deadlines = {127, 128, 255, 256, 65_535, 65_536, 1L << 40};
        for (long deadline : deadlines) {
            index.add(Instant.ofEpochMilli(deadline), "job-" + deadline);
        }

        // then they come back in numeric order, each due from its own millisecond on
        assertThat(index.dueAt(Long.MAX_VALUE))
                .isSortedAccordingTo(Comparator.comparingLong(DueIndex.Entry::deadlineMillis))
                .hasSize(deadlines.length);
        assertThat(index.dueAt(255))
                .extracting(DueIndex.Entry::job)
                .containsExactly("job-127", "job-128", "job-255");
    }

    @Test
    void shouldForgetRemovedEntries() {
        Instant deadline = Instant.ofEpochMilli(5_000);
        index.add(deadline, "a");
        index.add(deadline, "b");

        index.remove(deadline, "a");

        assertThat(index.dueAt(5_000)).containsExactly(new DueIndex.Entry(5_000, "b"));
    }
}
