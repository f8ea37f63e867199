package io.refreshorchestrator.app;

import io.refreshorchestrator.config.Durations;
import io.refreshorchestrator.config.KafkaSettings;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * Tells at once whether the Kafka cluster answers, and waits a bounded time for one that does not:
 * one line when the broker does not answer its first request, one error when it never answers,
 * instead of a timeout deep inside a client after a minute of reconnect warnings.
 */
public final class BrokerReachability {

    /** How long the first request may take before the broker is reported unreachable. */
    static final Duration FIRST_ANSWER = Duration.ofSeconds(3);

    private BrokerReachability() {}

    /**
     * Returns once the cluster at {@code kafka} answers a metadata request.
     *
     * @param waiting told once, in one line, when the first request got no answer within {@link
     *     #FIRST_ANSWER} (or {@code timeout}, if shorter) and the wait goes on
     * @param timeoutKey what sets {@code timeout}, named in the messages (e.g. {@code
     *     kafka.start-timeout})
     * @throws BrokerUnreachableException when no answer came within {@code timeout}, or the client
     *     cannot be created at all (an address that does not resolve, bad client properties)
     */
    public static void await(
            KafkaSettings kafka, Duration timeout, String timeoutKey, Consumer<String> waiting)
            throws InterruptedException {
        var address = kafka.bootstrapServers();
        Map<String, Object> config = new HashMap<>(kafka.properties());
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, address);
        config.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "refresh-orchestrator-reachability");
        long deadline = System.nanoTime() + timeout.toNanos();
        try (var admin = Admin.create(config)) {
            Duration first = FIRST_ANSWER.compareTo(timeout) < 0 ? FIRST_ANSWER : timeout;
            if (answers(admin, first, address)) {
                return;
            }
            waiting.accept(
                    "Kafka broker at "
                            + address
                            + " is unreachable; waiting up to "
                            + Durations.format(timeout)
                            + " ("
                            + timeoutKey
                            + ")");
            long left = deadline - System.nanoTime();
            if (left > 0 && answers(admin, Duration.ofNanos(left), address)) {
                return;
            }
        } catch (KafkaException e) {
            throw new BrokerUnreachableException(
                    "Kafka broker at " + address + " cannot be reached: " + e.getMessage());
        }
        throw new BrokerUnreachableException(
                "Kafka broker at "
                        + address
                        + " is unreachable: no answer within "
                        + Durations.format(timeout)
                        + " ("
                        + timeoutKey
                        + ")");
    }

    private static boolean answers(Admin admin, Duration timeout, String address)
            throws InterruptedException {
        int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        try {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs(millis)).clusterId().get();
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TimeoutException) {
                return false;
            }
            // e.g. an authentication failure: waiting will not help
            throw new BrokerUnreachableException(
                    "Kafka broker at "
                            + address
                            + " refused the client: "
                            + e.getCause().getMessage());
        }
    }

    /** The broker did not answer in time, or cannot be asked at all; the message says which. */
    public static final class BrokerUnreachableException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BrokerUnreachableException(String message) {
            super(message);
        }
    }
}
