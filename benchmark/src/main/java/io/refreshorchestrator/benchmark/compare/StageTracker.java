package io.refreshorchestrator.benchmark.compare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Follows the change, command and result topics of one orchestrator and times each stage of the
 * path: capture (commit → change event in Kafka: the event's Kafka timestamp minus its {@code
 * source.ts_ms}), topology (that event → the command folding it in: {@code requestedAt} minus the
 * Kafka timestamp of the event at the command's {@code lastLsn}; it includes the debounce wait),
 * queue (command → run start) and refresh (run start → finish).
 */
final class StageTracker implements AutoCloseable {

    /** One stage sample: when it ended (epoch µs) and how long it took (µs). */
    record Sample(String stage, long atMicros, long micros) {}

    /** The stages, in the order a change passes them. */
    static final List<String> STAGES = List.of("capture", "topology", "queue", "refresh");

    /**
     * A view built on a view: its upstream's run finished → the cascade command (the topology's
     * part of the second level).
     */
    static final String CASCADE = "cascade";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Sample> samples = new ArrayList<>();
    private final java.util.Map<String, Long> commandTimes = new java.util.HashMap<>();
    private final java.util.Map<Long, Long> finishedByTxId = new java.util.HashMap<>();
    private final List<long[]> cascades = new ArrayList<>();
    private long[] eventLsns = new long[1 << 16];
    private long[] eventTimes = new long[1 << 16];
    private int events;
    private final Thread thread;

    StageTracker(String bootstrap, String changeTopic, String commandTopic, String resultTopic) {
        thread =
                new Thread(
                        () -> follow(bootstrap, List.of(changeTopic, commandTopic, resultTopic)),
                        "stage-tracker");
        thread.setDaemon(true);
        thread.start();
    }

    private void follow(String bootstrap, List<String> topics) {
        var props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        try (var consumer = new KafkaConsumer<String, String>(props)) {
            var partitions = new ArrayList<TopicPartition>();
            // The change topic appears with the first change captured: wait for every topic.
            while (running.get() && partitions.isEmpty()) {
                for (String topic : topics) {
                    var found = consumer.partitionsFor(topic, Duration.ofSeconds(30));
                    if (found == null || found.isEmpty()) {
                        partitions.clear();
                        Thread.sleep(200);
                        break;
                    }
                    found.forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
                }
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (running.get()) {
                for (ConsumerRecord<String, String> record :
                        consumer.poll(Duration.ofMillis(100))) {
                    read(topics, record);
                }
            }
        } catch (org.apache.kafka.common.errors.InterruptException | InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void read(List<String> topics, ConsumerRecord<String, String> record) {
        if (record.value() == null) {
            return;
        }
        try {
            if (record.topic().equals(topics.get(0))) {
                change(record);
            } else if (record.topic().equals(topics.get(1))) {
                command(JSON.readTree(record.value()));
            } else {
                result(JSON.readTree(record.value()));
            }
        } catch (Exception e) {
            // a record this tracker cannot read only has no timing: the orchestrator judges it
        }
    }

    /**
     * Reads {@code source.ts_ms} and {@code source.lsn} without building a tree: thousands per
     * second.
     */
    private void change(ConsumerRecord<String, String> record) {
        String value = record.value();
        int source = value.indexOf("\"source\"");
        if (source < 0) {
            return;
        }
        long committed = number(value, "\"ts_ms\":", source);
        long lsn = number(value, "\"lsn\":", source);
        if (committed < 0 || lsn < 0) {
            return;
        }
        long inKafka = record.timestamp() * 1000;
        add(new Sample("capture", inKafka, inKafka - committed * 1000));
        synchronized (this) {
            if (events == eventLsns.length) {
                eventLsns = Arrays.copyOf(eventLsns, events * 2);
                eventTimes = Arrays.copyOf(eventTimes, events * 2);
            }
            eventLsns[events] = lsn;
            eventTimes[events++] = inKafka;
        }
    }

    private void command(JsonNode command) {
        String reason = command.path("reason").asText();
        if (reason.equals("CASCADE")) {
            long requested = Micros.of(Instant.parse(command.get("requestedAt").asText()));
            command.path("changes")
                    .path("upstreamTxIds")
                    .forEach(txId -> cascade(requested, txId.asLong()));
            return;
        }
        if (!reason.equals("DATA_CHANGE")) {
            return;
        }
        long requested = Micros.of(Instant.parse(command.get("requestedAt").asText()));
        commandTimes.put(command.path("id").asText(), requested);
        long lastLsn = command.path("changes").path("lastLsn").asLong(-1);
        long eventAt = eventTime(lastLsn);
        if (eventAt > 0) {
            add(new Sample("topology", requested, requested - eventAt));
        }
    }

    private synchronized void cascade(long requestedMicros, long upstreamTxId) {
        cascades.add(new long[] {requestedMicros, upstreamTxId});
    }

    private void result(JsonNode result) {
        if (result.path("status").asText().equals("SUCCEEDED")
                && result.hasNonNull("txId")
                && result.hasNonNull("finishedAt")) {
            long finished = Micros.of(Instant.parse(result.get("finishedAt").asText()));
            synchronized (this) {
                finishedByTxId.put(result.get("txId").asLong(), finished);
            }
        }
        Long requested = commandTimes.get(result.path("commandId").asText());
        if (requested == null
                || !result.path("status").asText().equals("SUCCEEDED")
                || !result.hasNonNull("startedAt")) {
            return;
        }
        long started = Micros.of(Instant.parse(result.get("startedAt").asText()));
        long finished = Micros.of(Instant.parse(result.get("finishedAt").asText()));
        add(new Sample("queue", started, started - requested));
        add(new Sample("refresh", finished, finished - started));
    }

    private synchronized long eventTime(long lsn) {
        int index = Arrays.binarySearch(eventLsns, 0, events, lsn);
        return index >= 0 ? eventTimes[index] : -1;
    }

    private static long number(String text, String key, int from) {
        int at = text.indexOf(key, from);
        if (at < 0) {
            return -1;
        }
        int start = at + key.length();
        int end = start;
        while (end < text.length() && Character.isDigit(text.charAt(end))) {
            end++;
        }
        return end == start ? -1 : Long.parseLong(text.substring(start, end));
    }

    private synchronized void add(Sample sample) {
        samples.add(sample);
    }

    /** The samples of {@code stage} that ended in {@code [fromMicros, toMicros)}, in µs. */
    synchronized long[] between(String stage, long fromMicros, long toMicros) {
        if (stage.equals(CASCADE)) {
            return cascades.stream()
                    .filter(c -> c[0] >= fromMicros && c[0] < toMicros)
                    .filter(c -> finishedByTxId.containsKey(c[1]))
                    .mapToLong(c -> c[0] - finishedByTxId.get(c[1]))
                    .toArray();
        }
        return samples.stream()
                .filter(
                        s ->
                                s.stage().equals(stage)
                                        && s.atMicros() >= fromMicros
                                        && s.atMicros() < toMicros)
                .mapToLong(Sample::micros)
                .toArray();
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(10_000);
    }
}
