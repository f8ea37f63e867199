package io.refreshorchestrator.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaBrokerPropertiesTest {

    @Test
    void shouldDescribeASingleCombinedNodeOnLoopback() {
        // when
        var properties =
                KafkaBrokerProperties.render(9092, 9093, Path.of("/tmp/kafka/data"), Map.of());

        // then
        assertThat(properties)
                .containsEntry("process.roles", "broker,controller")
                .containsEntry("node.id", "1")
                .containsEntry("controller.quorum.voters", "1@127.0.0.1:9093")
                .containsEntry(
                        "listeners", "PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093")
                .containsEntry("advertised.listeners", "PLAINTEXT://127.0.0.1:9092")
                .containsEntry("controller.listener.names", "CONTROLLER")
                .containsEntry("inter.broker.listener.name", "PLAINTEXT")
                .containsEntry("log.dirs", "/tmp/kafka/data");
    }

    @Test
    void shouldMakeInternalTopicsWorkOnOneNode() {
        // when
        var properties = KafkaBrokerProperties.render(9092, 9093, Path.of("/data"), Map.of());

        // then
        assertThat(properties)
                .containsEntry("offsets.topic.replication.factor", "1")
                .containsEntry("transaction.state.log.replication.factor", "1")
                .containsEntry("transaction.state.log.min.isr", "1")
                .containsEntry("offsets.topic.num.partitions", "3")
                .containsEntry("transaction.state.log.num.partitions", "3")
                .containsEntry("group.initial.rebalance.delay.ms", "0")
                .doesNotContainKey("auto.create.topics.enable");
    }

    @Test
    void shouldLetOverridesWinAndAppendNewPropertiesSorted() {
        // when
        var properties =
                KafkaBrokerProperties.render(
                        9092,
                        9093,
                        Path.of("/data"),
                        Map.of(
                                "transaction.max.timeout.ms",
                                "60000",
                                "offsets.topic.num.partitions",
                                "1",
                                "auto.create.topics.enable",
                                "false"));

        // then
        assertThat(properties).containsEntry("offsets.topic.num.partitions", "1");
        assertThat(properties.keySet())
                .endsWith("auto.create.topics.enable", "transaction.max.timeout.ms");
    }

    @Test
    void shouldReadBackThePortsItWrote(@TempDir Path dir) {
        // given
        Path file = dir.resolve("server.properties");
        KafkaBrokerProperties.write(
                file, KafkaBrokerProperties.render(40123, 40124, dir.resolve("data"), Map.of()));

        // when / then
        assertThat(KafkaBrokerProperties.recordedPorts(file)).containsExactly(40123, 40124);
        assertThat(KafkaBrokerProperties.recordedPorts(dir.resolve("none"))).isNull();
    }

    @Test
    void shouldWriteTextThatJavaPropertiesReadsBack() throws Exception {
        // given
        var properties =
                KafkaBrokerProperties.render(
                        9092,
                        9093,
                        Path.of("C:\\kafka data"),
                        Map.of("a:b=c", "x=y # not a comment"));

        // when
        var read = new Properties();
        read.load(new StringReader(KafkaBrokerProperties.toText(properties)));

        // then
        assertThat(read).hasSize(properties.size());
        properties.forEach((name, value) -> assertThat(read.getProperty(name)).isEqualTo(value));
    }

    @Test
    void shouldAddASaslSslListenerNextToPlaintextWhenAsked() {
        // given
        var plain = KafkaBrokerProperties.render(9092, 9093, Path.of("/data"), Map.of());

        // when
        var secured =
                KafkaBrokerProperties.withSaslSsl(
                        plain, 9094, new SaslSslListener(Path.of("/tls/broker.p12"), "pw"));

        // then
        assertThat(secured)
                .containsEntry(
                        "listeners",
                        "PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093,"
                                + "SASL_SSL://127.0.0.1:9094")
                .containsEntry(
                        "advertised.listeners",
                        "PLAINTEXT://127.0.0.1:9092,SASL_SSL://127.0.0.1:9094")
                .containsEntry(
                        "listener.security.protocol.map",
                        "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL_SSL:SASL_SSL")
                .containsEntry("inter.broker.listener.name", "PLAINTEXT")
                .containsEntry(
                        "listener.name.sasl_ssl.sasl.enabled.mechanisms",
                        "SCRAM-SHA-256,SCRAM-SHA-512")
                .containsEntry("listener.name.sasl_ssl.ssl.keystore.location", "/tls/broker.p12")
                .containsKey("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config");
        assertThat(plain)
                .as("the plaintext defaults are untouched")
                .doesNotContainKey("listener.name.sasl_ssl.ssl.keystore.location")
                .containsEntry(
                        "listeners", "PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093");
    }
}
