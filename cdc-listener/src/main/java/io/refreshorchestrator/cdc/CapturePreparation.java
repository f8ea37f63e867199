package io.refreshorchestrator.cdc;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything done before the Debezium engine starts: check the database, manage the publication,
 * inspect the replication slot (dropping an invalidated one), create the topics and check the
 * principal's Kafka ACLs on them, and decide whether capture restarts from scratch, in which case a
 * {@link CaptureSignal} is due once streaming.
 */
final class CapturePreparation {

    private static final Logger LOG = LoggerFactory.getLogger(CapturePreparation.class);
    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration SLOT_RELEASE_TIMEOUT = Duration.ofSeconds(30);

    private final CdcSettings settings;
    private final StoredOffsets offsets;

    CapturePreparation(CdcSettings settings, StoredOffsets offsets) {
        this.settings = settings;
        this.offsets = offsets;
    }

    /**
     * A capture reset to signal.
     *
     * @param tables the tables whose earlier changes capture may have missed
     */
    record PendingReset(CaptureSignal.Reason reason, List<String> tables) {

        /**
         * Whether the signal may go out before streaming: a table added to the publication of an
         * existing slot is decoded from the ALTER's commit on, whatever the engine does next. A new
         * slot only exists once the engine created it.
         */
        boolean publishableBeforeStreaming() {
            return reason == CaptureSignal.Reason.TABLES_ADDED;
        }
    }

    /**
     * Prepares capture.
     *
     * @return the capture reset to signal, if changes may have been missed
     */
    Optional<PendingReset> prepare(
            Connection connection, Admin admin, KafkaProducer<byte[], byte[]> offsetsProducer)
            throws SQLException, InterruptedException {
        PostgresPreflight.check(connection, settings);
        TopicProvisioner.ensure(
                admin,
                TopicProvisioner.topicsFor(settings),
                settings.topicPartitions(),
                settings.replicationFactor(),
                KAFKA_TIMEOUT);
        KafkaPermissions.check(admin, settings, KAFKA_TIMEOUT);

        var slot = ReplicationSlot.find(connection, settings.slotName());
        var slotReason = inspectSlot(connection, slot);
        var stored = offsets.find(admin, KAFKA_TIMEOUT);
        if (slotReason.isPresent() && stored.isPresent()) {
            // The stored position belongs to a slot that no longer exists: start from the new slot.
            LOG.info(
                    "Clearing the stored position of engine '{}' in topic '{}': the slot is new",
                    settings.engineName(),
                    settings.offsetsTopic());
            offsets.delete(stored.get().key(), offsetsProducer, KAFKA_TIMEOUT);
        }
        if (slotReason.isEmpty() && stored.isEmpty()) {
            LOG.warn(
                    "Slot '{}' exists but no position is stored for engine '{}' in topic '{}':"
                            + " changes since the slot's last confirmed position may be skipped;"
                            + " a capture reset will be signalled",
                    settings.slotName(),
                    settings.engineName(),
                    settings.offsetsTopic());
            slotReason = Optional.of(CaptureSignal.Reason.OFFSETS_MISSING);
        }
        if (slotReason.isEmpty() && !currentSlot.serves(stored.get().processedLsn())) {
            // Debezium would refuse this position for good ("no longer available on the server"):
            // the slot moved past it without the offsets topic (restored from a backup, the slot
            // advanced by hand, or a position stored by a version that let the driver confirm
            // keepalives). Resume from the slot's position and refresh everything once.
            LOG.warn(
                    "OFFSET_UNAVAILABLE: the position stored for engine '{}' (LSN {}) is behind"
                            + " the restart LSN of slot '{}' ({}): PostgreSQL no longer holds the"
                            + " WAL from there. Capture resumes from the slot's position and a"
                            + " capture reset is signalled, so every view built on the captured"
                            + " tables is refreshed once",
                    settings.engineName(),
                    Lsns.format(stored.get().processedLsn()),
                    settings.slotName(),
                    Lsns.format(currentSlot.restartLsn()));
            offsets.delete(stored.get().key(), offsetsProducer, KAFKA_TIMEOUT);
            slotReason = Optional.of(CaptureSignal.Reason.OFFSET_UNAVAILABLE);
        }

        // After the slot inspection, so that a dropped invalidated slot is recreated by the engine
        // with the final table list, and before the engine starts.
        var publication =
                PublicationManager.ensure(
                        connection, settings.publicationName(), settings.capturedTables());
        if (slotReason.isPresent()) {
            return Optional.of(new PendingReset(slotReason.get(), settings.tables()));
        }
        if (!publication.added().isEmpty()) {
            var added =
                    settings.capturedTables().stream()
                            .filter(publication.added()::contains)
                            .map(CapturedTable::qualifiedName)
                            .toList();
            LOG.info(
                    "Tables {} are captured from now on: a capture reset is signalled for them",
                    added);
            return Optional.of(new PendingReset(CaptureSignal.Reason.TABLES_ADDED, added));
        }
        return Optional.empty();
    }

    /** The slot as found by the last {@link #inspectSlot}, once it exists and is kept. */
    private ReplicationSlot currentSlot;

    private Optional<CaptureSignal.Reason> inspectSlot(
            Connection connection, Optional<ReplicationSlot> found)
            throws SQLException, InterruptedException {
        var slotName = settings.slotName();
        var slot = awaitInactive(connection, found);
        if (slot.isEmpty()) {
            LOG.info("Replication slot '{}' does not exist: it is created now", slotName);
            return Optional.of(CaptureSignal.Reason.SLOT_CREATED);
        }
        var existing = slot.get();
        var database = settings.postgres().database();
        if (!"pgoutput".equals(existing.plugin()) || !database.equals(existing.database())) {
            throw new CdcException(
                    "Replication slot '%s' belongs to database '%s' with plugin '%s'; this listener needs one on '%s' with pgoutput: configure another cdc.slot"
                            .formatted(slotName, existing.database(), existing.plugin(), database));
        }
        if (existing.isLost()) {
            LOG.error(
                    "Replication slot '{}' was invalidated by PostgreSQL (wal_status = lost, see"
                            + " max_slot_wal_keep_size): WAL holding changes not yet captured was"
                            + " removed and those changes are LOST to change capture. Dropping the"
                            + " slot to create it anew; a capture reset is signalled so that every"
                            + " view built on the captured tables is refreshed",
                    slotName);
            ReplicationSlot.drop(connection, slotName);
            return Optional.of(CaptureSignal.Reason.SLOT_INVALIDATED);
        }
        if ("unreserved".equals(existing.walStatus())) {
            LOG.warn(
                    "Replication slot '{}' retains more WAL than max_slot_wal_keep_size allows:"
                            + " PostgreSQL will invalidate it unless capture catches up",
                    slotName);
        }
        currentSlot = existing;
        LOG.info(
                "Replication slot '{}' exists (confirmed flush LSN {}): resuming",
                slotName,
                existing.confirmedFlushLsn());
        return Optional.empty();
    }

    /** A previous run's walsender can hold the slot a moment after it stopped: wait for it. */
    private Optional<ReplicationSlot> awaitInactive(
            Connection connection, Optional<ReplicationSlot> slot)
            throws SQLException, InterruptedException {
        var deadline = Instant.now().plus(SLOT_RELEASE_TIMEOUT);
        while (slot.isPresent() && slot.get().active()) {
            if (Instant.now().isAfter(deadline)) {
                throw new CdcException(
                        "Replication slot '%s' is in use by PostgreSQL process %d: is another listener running with cdc.slot '%s'?"
                                .formatted(
                                        settings.slotName(),
                                        slot.get().activePid(),
                                        settings.slotName()));
            }
            Thread.sleep(200);
            slot = ReplicationSlot.find(connection, settings.slotName());
        }
        return slot;
    }
}
