package io.refreshorchestrator.api;

import io.refreshorchestrator.config.KafkaSettings;
import io.refreshorchestrator.events.RefreshResult;
import io.refreshorchestrator.events.Topics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the commands, results and dead-letter topics (all partitions, committed records only,
 * from one stats window back) so that any instance can answer for every job: last result, success
 * rate and durations over the window, and the commanded changes not yet covered. Results that
 * finish after this process started also go to {@code onNewResult} (metrics).
 */
final class ResultsWatcher implements Runnable, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ResultsWatcher.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration RETRY = Duration.ofSeconds(30);

    private final KafkaConsumer<String, byte[]> consumer;
    private final Topics topics;
    private final Duration window;
    private final Clock clock;
    private final Instant startedAt;
    private final Consumer<RefreshResult> onNewResult;
    private final Map<String, JobActivity> jobs = new HashMap<>();
    private final AtomicLong deadLetters = new AtomicLong();
    private volatile boolean closing;

    ResultsWatcher(
            KafkaSettings kafka,
            Topics topics,
            Duration window,
            Clock clock,
            Consumer<RefreshResult> onNewResult) {
        Map<String, Object> props = new HashMap<>(kafka.properties());
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "refresh-orchestrator-http-watcher");
        this.consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        this.topics = topics;
        this.window = window;
        this.clock = clock;
        this.startedAt = clock.instant();
        this.onNewResult = onNewResult;
    }

    @Override
    public void run() {
        try {
            while (!closing) {
                try {
                    follow();
                } catch (WakeupException e) {
                    if (!closing) {
                        throw e;
                    }
                } catch (KafkaException e) {
                    // The broker is away (at start: no metadata): try again, one line per try.
                    LOG.warn(
                            "HTTP API: cannot follow the result topics ({}); retrying in {} s",
                            e.toString(),
                            RETRY.toSeconds());
                    pause();
                }
            }
        } finally {
            consumer.close();
        }
    }

    private void follow() {
        if (consumer.assignment().isEmpty()) {
            // Once only: after a broker outage the consumer goes on from where it was.
            assignFromWindowStart();
        }
        while (!closing) {
            var records = consumer.poll(POLL);
            synchronized (this) {
                records.forEach(this::accept);
                var since = clock.instant().minus(window);
                jobs.values().forEach(job -> job.forgetBefore(since));
            }
        }
    }

    private void pause() {
        try {
            Thread.sleep(RETRY.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closing = true;
        }
    }

    private void assignFromWindowStart() {
        var partitions = new ArrayList<TopicPartition>();
        for (var topic :
                List.of(
                        topics.refreshCommands().name(),
                        topics.refreshResults().name(),
                        topics.refreshDlq().name())) {
            consumer.partitionsFor(topic)
                    .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        }
        consumer.assign(partitions);
        long from = startedAt.minus(window).toEpochMilli();
        var query = new HashMap<TopicPartition, Long>();
        partitions.forEach(p -> query.put(p, from));
        var found = consumer.offsetsForTimes(query);
        var ends = consumer.endOffsets(partitions);
        for (var partition : partitions) {
            var offset = found.get(partition);
            consumer.seek(partition, offset != null ? offset.offset() : ends.get(partition));
        }
    }

    private void accept(ConsumerRecord<String, byte[]> record) {
        try {
            if (record.topic().equals(topics.refreshDlq().name())) {
                deadLetters.incrementAndGet();
            } else if (record.topic().equals(topics.refreshCommands().name())) {
                var command = Topics.COMMAND_SERDE.read(record.value());
                activity(command.job()).command(command);
            } else {
                var result = Topics.RESULT_SERDE.read(record.value());
                activity(result.job()).result(result);
                if (!JobActivity.finished(result).isBefore(startedAt)) {
                    onNewResult.accept(result);
                }
            }
        } catch (RuntimeException e) {
            // Not ours to judge: the executor dead-letters bad commands; skip it here.
            LOG.debug(
                    "HTTP API: skipped an unreadable record of {}: {}",
                    record.topic(),
                    e.toString());
        }
    }

    private JobActivity activity(String job) {
        return jobs.computeIfAbsent(job, name -> new JobActivity());
    }

    /** Reads {@code job}'s activity under this watcher's lock. */
    synchronized <T> T read(
            String job, java.util.function.Function<Optional<JobActivity>, T> reader) {
        return reader.apply(Optional.ofNullable(jobs.get(job)));
    }

    /** Dead-letter records seen since one stats window before start. */
    long deadLetters() {
        return deadLetters.get();
    }

    @Override
    public void close() {
        closing = true;
        consumer.wakeup();
    }
}
