package io.refreshorchestrator.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Crash and lifecycle of a dedicated broker: the shared one must keep running for other tests. */
class KafkaBrokerIT {

    @Test
    void shouldLeaveNoProcessWhenKilledKeepDataForARestartAndDeleteItOnClose() throws Exception {
        var broker = KafkaBroker.start();
        try {
            // given a record written before the crash
            broker.createTopic("before-crash", 1);
            send(broker, "before-crash", "survivor");
            long pid = broker.pid();

            // when
            broker.kill();

            // then
            assertThat(broker.isRunning()).isFalse();
            assertThat(ProcessLiveness.isRunning(pid)).isFalse();

            // when
            broker.restart();

            // then
            assertThat(readAll(broker, "before-crash")).containsExactly("survivor");
        } finally {
            broker.close();
        }
        assertThat(broker.isRunning()).isFalse();
        assertThat(broker.directory()).doesNotExist();
    }

    @Test
    void shouldFindItsDataAndPortAgainInAKeptDirectory(@TempDir Path dir) throws Exception {
        // given a broker in a kept directory that wrote a record and stopped
        Path kept = dir.resolve("kafka");
        String address;
        try (var broker = KafkaBroker.startIn(kept, KafkaBrokerOptions.defaults())) {
            broker.createTopic("kept", 1);
            send(broker, "kept", "survivor");
            address = broker.bootstrapServers();
        }
        assertThat(kept.resolve("data/meta.properties")).exists();

        // when a new broker starts in that directory
        try (var broker = KafkaBroker.startIn(kept, KafkaBrokerOptions.defaults())) {
            // then it has the record, on the port it had
            assertThat(broker.bootstrapServers()).isEqualTo(address);
            assertThat(readAll(broker, "kept")).containsExactly("survivor");
        }
        assertThat(kept).exists();
    }

    @Test
    void shouldExplainAFailedStartWithTheBrokerLog() {
        var options = KafkaBrokerOptions.defaults().withBrokerProperty("num.io.threads", "0");

        assertThatThrownBy(() -> KafkaBroker.start(options))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("num.io.threads");
    }

    private static void send(KafkaBroker broker, String topic, String value) throws Exception {
        try (var producer =
                new KafkaProducer<>(
                        Map.<String, Object>of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                broker.bootstrapServers(),
                                ProducerConfig.ACKS_CONFIG,
                                "all"),
                        new StringSerializer(),
                        new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, value)).get();
        }
    }

    private static List<String> readAll(KafkaBroker broker, String topic) {
        try (var consumer =
                new KafkaConsumer<>(
                        Map.<String, Object>of(
                                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                        new StringDeserializer(),
                        new StringDeserializer())) {
            var partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end =
                    consumer.endOffsets(List.of(partition), Duration.ofSeconds(30)).get(partition);
            var values = new ArrayList<String>();
            await("all " + end + " records of " + topic)
                    .atMost(Duration.ofSeconds(30))
                    .pollInSameThread()
                    .until(
                            () -> {
                                consumer.poll(Duration.ofMillis(200))
                                        .forEach(record -> values.add(record.value()));
                                return consumer.position(partition) >= end;
                            });
            return values;
        }
    }
}
