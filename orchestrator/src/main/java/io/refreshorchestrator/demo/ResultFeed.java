package io.refreshorchestrator.demo;

import io.refreshorchestrator.config.KafkaSettings;
import io.refreshorchestrator.events.RefreshResult;
import io.refreshorchestrator.events.Topics;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the commands and results topics from their beginning (committed records only), prints one
 * line per result and keeps what the summary needs: every result, and the change count of every
 * command per job.
 */
final class ResultFeed implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ResultFeed.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final KafkaConsumer<String, byte[]> consumer;
    private final Topics topics;
    private final PrintWriter out;
    private final List<RefreshResult> results = new ArrayList<>();
    private final Map<String, Long> changesByJob = new HashMap<>();
    private final Thread thread;
    private volatile boolean closing;

    private ResultFeed(KafkaSettings kafka, Topics topics, PrintWriter out) {
        Map<String, Object> props = new HashMap<>(kafka.properties());
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "refresh-orchestrator-demo-feed");
        this.consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        this.topics = topics;
        this.out = out;
        this.thread = new Thread(this::run, "demo-result-feed");
    }

    static ResultFeed start(KafkaSettings kafka, Topics topics, PrintWriter out) {
        var feed = new ResultFeed(kafka, topics, out);
        var partitions = new ArrayList<TopicPartition>();
        for (String topic :
                List.of(topics.refreshCommands().name(), topics.refreshResults().name())) {
            feed.consumer
                    .partitionsFor(topic)
                    .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        }
        feed.consumer.assign(partitions);
        feed.consumer.seekToBeginning(partitions);
        feed.thread.start();
        return feed;
    }

    private void run() {
        try {
            while (!closing) {
                var records = consumer.poll(POLL);
                records.forEach(this::accept);
            }
        } catch (WakeupException e) {
            if (!closing) {
                LOG.warn("The demo stopped following the results: {}", e.toString());
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void accept(ConsumerRecord<String, byte[]> record) {
        if (record.topic().equals(topics.refreshCommands().name())) {
            var command = Topics.COMMAND_SERDE.read(record.value());
            if (command.changes() != null) {
                synchronized (this) {
                    changesByJob.merge(command.job(), command.changes().count(), Long::sum);
                }
            }
            return;
        }
        var result = Topics.RESULT_SERDE.read(record.value());
        synchronized (this) {
            results.add(result);
        }
        out.println(LiveLine.of(result));
        out.flush();
    }

    /** Every result so far, in the order read. */
    synchronized List<RefreshResult> results() {
        return List.copyOf(results);
    }

    /** Change events folded into the commands of each job so far. */
    synchronized Map<String, Long> changesByJob() {
        return Map.copyOf(changesByJob);
    }

    @Override
    public void close() throws InterruptedException {
        closing = true;
        consumer.wakeup();
        thread.join(TimeUnit.SECONDS.toMillis(10));
    }
}
