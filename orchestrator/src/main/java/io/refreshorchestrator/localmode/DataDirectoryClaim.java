package io.refreshorchestrator.localmode;

import io.refreshorchestrator.local.KafkaBroker;
import io.refreshorchestrator.local.KafkaBrokerOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local-mode process's hold on its data directory: the lock, the kept broker started there, and
 * the instance file it announces itself with once it runs and withdraws when it stops.
 */
public final class DataDirectoryClaim implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DataDirectoryClaim.class);

    private final DataDirectory directory;
    private final DataDirectory.Lock lock;
    private boolean announced;

    private DataDirectoryClaim(DataDirectory directory, DataDirectory.Lock lock) {
        this.directory = directory;
        this.lock = lock;
    }

    /**
     * Locks {@code directory} for this process.
     *
     * @throws DataDirectory.DataDirectoryInUseException when another process holds it
     */
    public static DataDirectoryClaim claim(DataDirectory directory) {
        return new DataDirectoryClaim(directory, directory.lock());
    }

    /** Starts the embedded broker on the directory's kept data. */
    public KafkaBroker startBroker() {
        LOG.info(
                "No kafka.bootstrap-servers configured: starting an embedded single-node broker"
                        + " with its data in {}",
                directory.kafka());
        return KafkaBroker.startIn(directory.kafka(), KafkaBrokerOptions.defaults());
    }

    /**
     * Writes the instance file.
     *
     * @param httpBind the HTTP API's bind address, null when it is off
     */
    public synchronized void announce(
            String kafkaBootstrapServers,
            String httpBind,
            int httpPort,
            String applicationId,
            String commandsTopic,
            String resultsTopic,
            String controlTopic,
            List<String> jobs) {
        String httpUrl = null;
        if (httpBind != null) {
            boolean anyAddress = httpBind.equals("0.0.0.0") || httpBind.equals("::");
            httpUrl = "http://" + (anyAddress ? "127.0.0.1" : httpBind) + ":" + httpPort;
        }
        InstanceFile.ofThisProcess(
                        Instant.now(),
                        kafkaBootstrapServers,
                        httpUrl,
                        applicationId,
                        commandsTopic,
                        resultsTopic,
                        controlTopic,
                        jobs)
                .write(directory.instanceFile());
        announced = true;
        LOG.info("Instance file {} written", directory.instanceFile());
    }

    /** Removes the instance file, so that no command finds a process that is going away. */
    public synchronized void withdraw() {
        if (!announced) {
            return;
        }
        announced = false;
        try {
            Files.deleteIfExists(directory.instanceFile());
        } catch (IOException e) {
            LOG.warn("Cannot delete {}: {}", directory.instanceFile(), e.toString());
        }
    }

    /** Withdraws the instance file and releases the lock. */
    @Override
    public void close() throws IOException {
        withdraw();
        lock.close();
    }
}
