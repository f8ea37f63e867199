package io.refreshorchestrator.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.TopologyDescription.Node;
import org.junit.jupiter.api.Test;

/** The shape of the topology, as Kafka Streams describes it. */
class RefreshTopologyTest {

    @Test
    void shouldDescribeRouteAndCascadeDebounceAndCaptureResetAsThreeSubtopologies() {
        // given the topology of the music shop
        TopologyDescription description =
                RefreshTopology.build(Jobs.musicShop(), TopologyHarness.settings()).describe();

        // then: route changes, controls and run durations → repartition; results and routed
        // changes → cascade repartition; cascade gate and debounce with their stores; signals
        assertThat(description.subtopologies()).hasSize(3);
        assertThat(description.globalStores()).isEmpty();
        Set<String> sources = new HashSet<>();
        Set<String> sinks = new HashSet<>();
        Set<String> stores = new HashSet<>();
        for (var subtopology : description.subtopologies()) {
            for (Node node : subtopology.nodes()) {
                if (node instanceof TopologyDescription.Source source) {
                    sources.add(
                            source.topicPattern() != null
                                    ? "pattern " + source.topicPattern().pattern()
                                    : String.join(",", source.topicSet()));
                }
                if (node instanceof TopologyDescription.Sink sink) {
                    sinks.add(sink.topic());
                }
                if (node instanceof TopologyDescription.Processor processor) {
                    stores.addAll(processor.stores());
                }
            }
        }
        assertThat(sources)
                .containsExactlyInAnyOrder(
                        "pattern \\Qpg\\E\\.[^.]+\\..+",
                        "pattern \\Qrefresh-control\\E",
                        "pattern \\Qrefresh-results\\E",
                        "changes-by-job-repartition",
                        "cascade-by-job-repartition",
                        "pattern \\Qcapture-signals\\E");
        assertThat(sinks)
                .containsExactlyInAnyOrder(
                        "changes-by-job-repartition",
                        "cascade-by-job-repartition",
                        "refresh-commands",
                        "refresh-dlq");
        assertThat(stores)
                .containsExactlyInAnyOrder(
                        RefreshTopology.PENDING_STORE,
                        RefreshTopology.DUE_INDEX_STORE,
                        RefreshTopology.JOB_STATE_STORE,
                        RefreshTopology.SCHEDULE_INDEX_STORE,
                        RefreshTopology.CASCADE_STORE);
    }

    @Test
    void shouldBuildTheSameTopologyTwice() {
        // a pure function: same graph and settings, same topology
        var settings = TopologyHarness.settings();
        assertThat(RefreshTopology.build(Jobs.musicShop(), settings).describe())
                .isEqualTo(RefreshTopology.build(Jobs.musicShop(), settings).describe());
    }
}
