package io.refreshorchestrator.app;

import io.refreshorchestrator.config.KafkaSettings;
import io.refreshorchestrator.logging.Outage;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the Kafka cluster every {@link #PERIOD} whether it answers, and reports an outage the way an
 * operator wants to read it ({@link Outage}): the Kafka clients' own per-attempt reconnect warnings
 * are silenced in the logging configuration, so this is where a broker outage shows.
 */
final class BrokerWatch implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerWatch.class);
    static final Duration PERIOD = Duration.ofSeconds(1);
    static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(3);

    private final Admin admin;
    private final Outage outage;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Thread thread;

    private BrokerWatch(KafkaSettings kafka) {
        Map<String, Object> config = new HashMap<>(kafka.properties());
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "refresh-orchestrator-broker-watch");
        this.admin = Admin.create(config);
        this.outage = new Outage(LOG, "Kafka broker at " + kafka.bootstrapServers());
        this.thread = new Thread(this::watch, "refresh-broker-watch");
        thread.setDaemon(true);
    }

    static BrokerWatch start(KafkaSettings kafka) {
        var watch = new BrokerWatch(kafka);
        watch.thread.start();
        return watch;
    }

    private void watch() {
        try {
            do {
                check();
            } while (!closed.await(PERIOD.toMillis(), TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void check() throws InterruptedException {
        long asked = System.nanoTime();
        try {
            admin.describeCluster(
                            new DescribeClusterOptions().timeoutMs((int) ANSWER_TIMEOUT.toMillis()))
                    .clusterId()
                    .get();
            outage.recovered();
        } catch (ExecutionException e) {
            outage.failed(
                    e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException
                            ? "no answer within " + ANSWER_TIMEOUT.toSeconds() + " s"
                            : String.valueOf(e.getCause().getMessage()),
                    asked);
        } catch (KafkaException e) {
            outage.failed(e.getMessage(), asked);
        }
    }

    @Override
    public void close() {
        closed.countDown();
        try {
            thread.join(ANSWER_TIMEOUT.plusSeconds(2).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        admin.close(Duration.ofSeconds(2));
    }
}
