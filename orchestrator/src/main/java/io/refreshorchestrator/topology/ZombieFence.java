package io.refreshorchestrator.topology;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.ThreadMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Aborts, at start, the transactions a killed previous run of this instance left open. Under
 * exactly_once_v2 each stream thread's transactional id is {@code <application.id>-<process
 * id>-<thread>}, and Kafka Streams draws a new process id at every start when all stores are in
 * memory: the restart cannot fence its predecessor by itself, and a transaction the predecessor
 * left open holds every read_committed reader of its partitions (the topology's own repartition
 * topic, the executor's commands) until the broker times it out, 10 s or more later. So the running
 * topology writes its transactional ids to a file in the state directory, and the next start calls
 * {@code initTransactions()} once with each of them: the broker aborts the open transaction at once
 * and fences the old producer for good.
 */
final class ZombieFence {

    private static final Logger LOG = LoggerFactory.getLogger(ZombieFence.class);
    private static final String STREAM_THREAD = "-StreamThread-";

    private final Path file;
    private final StreamsSettings settings;

    ZombieFence(StreamsSettings settings) {
        this.settings = settings;
        this.file = settings.stateDir().resolve(settings.applicationId() + ".transactional-ids");
    }

    /** Fences the transactional ids the previous run recorded; best effort, never throws. */
    void fencePreviousRun() {
        List<String> ids;
        try {
            ids = Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            LOG.warn("cannot read {}: {}", file, e.toString());
            return;
        }
        for (var id : ids) {
            if (!id.isBlank()) {
                fence(id.strip());
            }
        }
    }

    private void fence(String transactionalId) {
        Map<String, Object> config = new HashMap<>(settings.kafka().properties());
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.kafka().bootstrapServers());
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, transactionalId + "-fence");
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
        try (var producer =
                new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
            LOG.info(
                    "fenced producer '{}' (of this instance's previous run, or of a member that"
                            + " left the group): a transaction it left open is aborted",
                    transactionalId);
        } catch (KafkaException e) {
            // The broker times such a transaction out by itself: later, but it does.
            LOG.warn("could not fence producer '{}': {}", transactionalId, e.toString());
        }
    }

    /**
     * Fences the members that left the group since the last look: a killed instance's open
     * transaction would otherwise hold the partitions it wrote to (now another instance's) until
     * the broker times it out, 10 to 20 s after the session timeout moved them. The transactional
     * ids come from the members' client ids ({@code <application.id>-<process
     * id>-StreamThread-<n>-consumer}) as seen while they were members. Fencing one that left
     * gracefully costs nothing; one that was only paused finds itself fenced when it comes back, as
     * it would be anyway once its tasks moved, and rejoins.
     */
    synchronized void fenceDeparted(Admin admin) {
        Set<String> now = new HashSet<>();
        try {
            var group =
                    admin.describeConsumerGroups(List.of(settings.applicationId()))
                            .all()
                            .get(10, TimeUnit.SECONDS)
                            .get(settings.applicationId());
            for (var member : group.members()) {
                var id = transactionalId(member.clientId().replaceFirst("-consumer$", ""));
                if (id != null) {
                    now.add(id);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (Exception e) {
            LOG.debug("cannot describe the topology's group: {}", e.toString());
            return;
        }
        for (var departed : members) {
            if (!now.contains(departed)) {
                fence(departed);
            }
        }
        members = now;
    }

    private Set<String> members = Set.of();

    /** {@code <client id>-<n>} of a thread named {@code <client id>-StreamThread-<n>}, or null. */
    private String transactionalId(String threadName) {
        int at = threadName.lastIndexOf(STREAM_THREAD);
        // the default client id is <application.id>-<process id>: a client.id set in
        // kafka.properties hides it
        if (at <= 0 || !threadName.startsWith(settings.applicationId() + "-")) {
            return null;
        }
        return threadName.substring(0, at)
                + "-"
                + threadName.substring(at + STREAM_THREAD.length());
    }

    /** Records the running threads' transactional ids for the next start. */
    void record(Iterable<ThreadMetadata> threads) {
        var ids = new StringBuilder();
        for (var thread : threads) {
            var id = transactionalId(thread.threadName());
            if (id != null) {
                ids.append(id).append('\n');
            }
        }
        try {
            Files.createDirectories(file.getParent());
            var temporary = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(temporary, ids, StandardCharsets.UTF_8);
            Files.move(
                    temporary,
                    file,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warn("cannot write {}: {}", file, e.toString());
        }
    }
}
