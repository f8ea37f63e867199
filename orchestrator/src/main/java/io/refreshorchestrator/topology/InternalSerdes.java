package io.refreshorchestrator.topology;

import io.refreshorchestrator.discovery.RelationName;
import io.refreshorchestrator.events.JobControl;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The compact layouts of the values the topology keeps to itself: the {@code changes-by-job}
 * records and the debouncer's stores. Field order is the format: a new field goes at the end under
 * a new format byte, and {@code InternalSerdesTest} fails when a record gains a component this
 * class does not write.
 */
final class InternalSerdes {

    private static final int CHANGE = 1;
    private static final int CONTROL = 2;
    private static final int RUN = 3;

    static final CompactSerde<JobInput> JOB_INPUT =
            new CompactSerde<>(JobInput.class, new JobInputCodec());

    static final CompactSerde<PendingChanges> PENDING =
            new CompactSerde<>(PendingChanges.class, new PendingCodec());

    static final CompactSerde<JobState> JOB_STATE =
            new CompactSerde<>(JobState.class, new JobStateCodec());

    private InternalSerdes() {}

    private static final class JobInputCodec implements CompactSerde.Codec<JobInput> {
        @Override
        public void write(JobInput value, CompactEncoding.Writer out) {
            if (value instanceof JobInput.Change change) {
                out.writeByte(CHANGE);
                out.writeString(change.table().schema());
                out.writeString(change.table().name());
                out.writeInstant(change.committedAt());
                out.writeNullableLong(change.txId());
                out.writeNullableLong(change.lsn());
                out.writeNullableLong(change.lastLsn());
                out.writeLong(change.count());
                out.writeBoolean(change.continued());
                out.writeNullableLong(change.upstreamTxId());
            } else if (value instanceof JobInput.Control control) {
                out.writeByte(CONTROL);
                out.writeString(control.action().name());
                out.writeNullableInstant(control.requestedAt());
            } else if (value instanceof JobInput.Run run) {
                out.writeByte(RUN);
                out.writeLong(run.durationMs());
                out.writeNullableInstant(run.finishedAt());
            } else {
                throw new IllegalArgumentException("unknown job input " + value);
            }
        }

        @Override
        public JobInput read(CompactEncoding.Reader in) {
            int kind = in.readByte();
            return switch (kind) {
                case CHANGE ->
                        new JobInput.Change(
                                new RelationName(in.readString(), in.readString()),
                                in.readInstant(),
                                in.readNullableLong(),
                                in.readNullableLong(),
                                in.readNullableLong(),
                                in.readLong(),
                                in.readBoolean(),
                                in.readNullableLong());
                case CONTROL ->
                        new JobInput.Control(
                                JobControl.Action.valueOf(in.readString()),
                                in.readNullableInstant());
                case RUN -> new JobInput.Run(in.readLong(), in.readNullableInstant());
                default -> throw new IllegalArgumentException("unknown job input kind " + kind);
            };
        }
    }

    private static final class PendingCodec implements CompactSerde.Codec<PendingChanges> {
        @Override
        public void write(PendingChanges value, CompactEncoding.Writer out) {
            out.writeLong(value.count());
            out.writeLong(value.tables().size());
            for (String table : value.tables()) {
                out.writeString(table);
            }
            out.writeInstant(value.firstChangeAt());
            out.writeInstant(value.lastChangeAt());
            out.writeNullableLong(value.firstLsn());
            out.writeNullableLong(value.lastTxId());
            out.writeNullableLong(value.lastLsn());
            out.writeInstant(value.firstSeenAt());
            out.writeInstant(value.lastSeenAt());
            out.writeInstant(value.deadline());
            out.writeBoolean(value.leading());
            out.writeLong(value.upstreamTxIds().size());
            for (var upstream : new TreeMap<>(value.upstreamTxIds()).entrySet()) {
                out.writeString(upstream.getKey());
                out.writeLong(upstream.getValue());
            }
        }

        @Override
        public PendingChanges read(CompactEncoding.Reader in) {
            long count = in.readLong();
            List<String> tables = strings(in);
            return new PendingChanges(
                    count,
                    tables,
                    in.readInstant(),
                    in.readInstant(),
                    in.readNullableLong(),
                    in.readNullableLong(),
                    in.readNullableLong(),
                    in.readInstant(),
                    in.readInstant(),
                    in.readInstant(),
                    in.readBoolean(),
                    upstreamTxIds(in));
        }
    }

    private static final class JobStateCodec implements CompactSerde.Codec<JobState> {
        @Override
        public void write(JobState value, CompactEncoding.Writer out) {
            out.writeNullableInstant(value.lastCommandAt());
            out.writeLong(value.recentRunMillis().size());
            for (long millis : value.recentRunMillis()) {
                out.writeLong(millis);
            }
            out.writeBoolean(value.paused());
            out.writeBoolean(value.owedWhilePaused());
            out.writeNullableString(value.scheduleExpression());
            out.writeNullableString(value.scheduleZone());
            out.writeNullableInstant(value.nextFireAt());
        }

        @Override
        public JobState read(CompactEncoding.Reader in) {
            Instant lastCommandAt = in.readNullableInstant();
            int runs = size(in);
            List<Long> recentRunMillis = new ArrayList<>(runs);
            for (int i = 0; i < runs; i++) {
                recentRunMillis.add(in.readLong());
            }
            return new JobState(
                    lastCommandAt,
                    recentRunMillis,
                    in.readBoolean(),
                    in.readBoolean(),
                    in.readNullableString(),
                    in.readNullableString(),
                    in.readNullableInstant());
        }
    }

    private static Map<String, Long> upstreamTxIds(CompactEncoding.Reader in) {
        int size = size(in);
        Map<String, Long> ids = new TreeMap<>();
        for (int i = 0; i < size; i++) {
            ids.put(in.readString(), in.readLong());
        }
        return ids;
    }

    private static List<String> strings(CompactEncoding.Reader in) {
        int size = size(in);
        List<String> strings = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            strings.add(in.readString());
        }
        return strings;
    }

    private static int size(CompactEncoding.Reader in) {
        long size = in.readLong();
        if (size < 0 || size > 1_000_000) {
            throw new IllegalArgumentException("implausible list size " + size);
        }
        return (int) size;
    }
}
