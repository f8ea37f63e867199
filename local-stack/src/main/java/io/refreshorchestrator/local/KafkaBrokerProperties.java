package io.refreshorchestrator.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders the {@code server.properties} of a single-node KRaft broker (broker and controller in one
 * process) on loopback ports.
 *
 * <p>Internal topics get one replica and few partitions so the broker starts fast and transactions
 * work on one node. A short broker session timeout lets a killed broker come back within seconds.
 * {@code auto.create.topics.enable} keeps Kafka's default ({@code true}), like a stock broker;
 * tests still create their topics explicitly, with the partitions they need.
 */
final class KafkaBrokerProperties {

    private KafkaBrokerProperties() {}

    /** The properties in a stable order: the defaults, then {@code overrides} sorted by name. */
    static Map<String, String> render(
            int port, int controllerPort, Path logDirectory, Map<String, String> overrides) {
        var properties = new LinkedHashMap<String, String>();
        properties.put("process.roles", "broker,controller");
        properties.put("node.id", "1");
        properties.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        properties.put(
                "listeners",
                "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        properties.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        properties.put(
                "listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        properties.put("controller.listener.names", "CONTROLLER");
        properties.put("inter.broker.listener.name", "PLAINTEXT");
        properties.put("log.dirs", logDirectory.toString());
        properties.put("num.partitions", "1");
        properties.put("offsets.topic.replication.factor", "1");
        properties.put("offsets.topic.num.partitions", "3");
        properties.put("transaction.state.log.replication.factor", "1");
        properties.put("transaction.state.log.min.isr", "1");
        properties.put("transaction.state.log.num.partitions", "3");
        properties.put("share.coordinator.state.topic.replication.factor", "1");
        properties.put("share.coordinator.state.topic.min.isr", "1");
        properties.put("share.coordinator.state.topic.num.partitions", "3");
        properties.put("group.initial.rebalance.delay.ms", "0");
        // After a kill -9 the restarted broker cannot register until the controller has fenced its
        // previous incarnation, i.e. after this session timeout (default 9 s): crash tests wait it.
        properties.put("broker.session.timeout.ms", "3000");
        properties.put("broker.heartbeat.interval.ms", "500");
        properties.putAll(new TreeMap<>(overrides));
        return properties;
    }

    /**
     * {@code properties} with a SASL_SSL listener on {@code port} added: SCRAM-SHA-256 and
     * SCRAM-SHA-512 over TLS with the listener's keystore. Inter-broker and controller traffic stay
     * as they are.
     */
    static Map<String, String> withSaslSsl(
            Map<String, String> properties, int port, SaslSslListener listener) {
        var secured = new LinkedHashMap<>(properties);
        var address = "SASL_SSL://127.0.0.1:" + port;
        secured.merge("listeners", address, (old, added) -> old + "," + added);
        secured.merge("advertised.listeners", address, (old, added) -> old + "," + added);
        secured.merge(
                "listener.security.protocol.map",
                "SASL_SSL:SASL_SSL",
                (old, added) -> old + "," + added);
        var prefix = "listener.name.sasl_ssl.";
        secured.put(prefix + "sasl.enabled.mechanisms", "SCRAM-SHA-256,SCRAM-SHA-512");
        for (var mechanism : new String[] {"scram-sha-256", "scram-sha-512"}) {
            secured.put(
                    prefix + mechanism + ".sasl.jaas.config",
                    "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        }
        secured.put(prefix + "ssl.keystore.type", "PKCS12");
        secured.put(prefix + "ssl.keystore.location", listener.keystore().toString());
        secured.put(prefix + "ssl.keystore.password", listener.keystorePassword());
        secured.put(prefix + "ssl.key.password", listener.keystorePassword());
        return secured;
    }

    /**
     * The PLAINTEXT and CONTROLLER ports of the {@code server.properties} written before, or null
     * when there is none (or it names no such listeners).
     */
    static int[] recordedPorts(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        var properties = new java.util.Properties();
        try (var reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
        int port = -1;
        int controllerPort = -1;
        for (var listener : properties.getProperty("listeners", "").split(",")) {
            int colon = listener.lastIndexOf(':');
            if (colon < 0) {
                continue;
            }
            try {
                int number = Integer.parseInt(listener.substring(colon + 1).trim());
                if (listener.startsWith("PLAINTEXT://")) {
                    port = number;
                } else if (listener.startsWith("CONTROLLER://")) {
                    controllerPort = number;
                }
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return port > 0 && controllerPort > 0 ? new int[] {port, controllerPort} : null;
    }

    /** Writes {@link #toText} to {@code file}. */
    static void write(Path file, Map<String, String> properties) {
        try {
            Files.writeString(file, toText(properties));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }

    /**
     * The properties file text; values and keys escaped as {@link java.util.Properties} reads them.
     */
    static String toText(Map<String, String> properties) {
        var text = new StringBuilder("# Generated by io.refreshorchestrator.local.KafkaBroker\n");
        properties.forEach(
                (name, value) ->
                        text.append(escape(name, true))
                                .append('=')
                                .append(escape(value, false))
                                .append('\n'));
        return text.toString();
    }

    private static String escape(String text, boolean key) {
        var escaped = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> escaped.append("\\\\");
                case '\n' -> escaped.append("\\n");
                case '\r' -> escaped.append("\\r");
                case '\t' -> escaped.append("\\t");
                case '=', ':', '#', '!' -> escaped.append(key ? "\\" + c : String.valueOf(c));
                case ' ' -> escaped.append(key || i == 0 ? "\\ " : " ");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
