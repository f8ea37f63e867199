package io.refreshorchestrator.executor;

import io.refreshorchestrator.config.KafkaSettings;
import io.refreshorchestrator.config.PostgresSettings;
import io.refreshorchestrator.discovery.JobGraph;
import io.refreshorchestrator.events.RefreshResult;
import io.refreshorchestrator.events.Topics;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The executor's consumer loop: reads {@code refresh-commands}, runs each command, publishes its
 * result (or dead letter), and commits the command's offset only once Kafka acknowledged that
 * output. A crash at any point before the commit means the command is redelivered.
 *
 * <p>A refresh may take far longer than {@code max.poll.interval.ms}. Rather than raise that
 * interval to the longest timeout times the attempts (hours, during which a stuck member would go
 * unnoticed and a rebalance would wait for it), the refresh runs on a worker thread while this
 * thread keeps polling with its partitions paused; see {@link CommandStream}.
 */
public final class Executor implements Runnable, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Executor.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final Topics topics;
    private final CommandDecoder decoder;
    private final RefreshRunner runner;
    private final boolean ownsRunner;
    private final CommandStream commands;
    private final OutputPublisher output;
    private final ExecutorService worker;
    private final Backoff backoff;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean released = new AtomicBoolean();
    private final CountDownLatch finished = new CountDownLatch(1);

    /** An executor running commands with {@code runner}, which stays the caller's to close. */
    public Executor(
            KafkaSettings kafka,
            Topics topics,
            JobGraph jobs,
            RefreshRunner runner,
            ExecutorSettings settings) {
        this(kafka, topics, jobs, runner, settings, false);
    }

    private Executor(
            KafkaSettings kafka,
            Topics topics,
            JobGraph jobs,
            RefreshRunner runner,
            ExecutorSettings settings,
            boolean ownsRunner) {
        this.topics = topics;
        this.decoder = new CommandDecoder(jobs, settings.maxCommandBytes(), Clock.systemUTC());
        this.runner = runner;
        this.ownsRunner = ownsRunner;
        this.backoff = new Backoff(settings.initialBackoff(), settings.maxBackoff(), new Random());
        var consumer =
                new KafkaConsumer<String, byte[]>(KafkaClients.consumerConfig(kafka, settings));
        this.commands =
                new CommandStream(
                        consumer,
                        topics.refreshCommands().name(),
                        settings.pollTimeout(),
                        backoff,
                        closing);
        try {
            this.output =
                    new OutputPublisher(
                            new KafkaProducer<>(KafkaClients.producerConfig(kafka)),
                            commands,
                            backoff,
                            closing);
        } catch (RuntimeException e) {
            commands.close();
            throw e;
        }
        this.worker =
                Executors.newSingleThreadExecutor(
                        task -> new Thread(task, "refresh-executor-worker"));
    }

    /** An executor with a runner and connection pool of its own, all closed by {@link #close}. */
    public static Executor create(
            KafkaSettings kafka,
            PostgresSettings postgres,
            Topics topics,
            JobGraph jobs,
            ExecutorSettings settings) {
        RefreshRunner runner = RefreshRunner.create(postgres, settings);
        try {
            return new Executor(kafka, topics, jobs, runner, settings, true);
        } catch (RuntimeException e) {
            runner.close();
            throw e;
        }
    }

    /** Serves commands until {@link #close}; Kafka or database outages are logged and retried. */
    @Override
    public void run() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("an executor runs once");
        }
        if (closing.get()) {
            release();
            finished.countDown();
            return;
        }
        try {
            commands.subscribe();
            serve();
        } catch (WakeupException | InterruptException e) {
            LOG.debug("woken up to close");
        } finally {
            release();
            finished.countDown();
        }
    }

    private void serve() {
        int failures = 0;
        Duration pause = Duration.ZERO;
        ConsumerRecord<String, byte[]> current = null;
        while (!closing.get()) {
            try {
                if (!pause.isZero()) {
                    commands.pollFor(pause);
                    pause = Duration.ZERO;
                }
                current = commands.next();
                if (current != null) {
                    handle(current);
                    current = null;
                }
                failures = 0;
            } catch (WakeupException | InterruptException e) {
                closing.set(true);
            } catch (RuntimeException e) {
                // Kafka unreachable or misconfigured, or a bug: the loop must outlive both. The
                // record in hand is fetched again, so it is neither lost nor skipped.
                pause = backoff.delayBefore(++failures);
                LOG.warn("executor loop failed, resuming in {} ms", pause.toMillis(), e);
                if (current != null) {
                    commands.rewind(current);
                    current = null;
                }
            }
        }
    }

    private void handle(ConsumerRecord<String, byte[]> record) {
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        Decoded decoded = decoder.decode(record);
        if (decoded instanceof Decoded.Rejected rejected) {
            LOG.warn(
                    "command {}-{}@{} dead-lettered: {}",
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    rejected.deadLetter().reason());
            records.add(
                    new ProducerRecord<>(
                            topics.refreshDlq().name(),
                            record.key(),
                            Topics.DEAD_LETTER_SERDE.write(rejected.deadLetter())));
            if (rejected.result() != null) {
                records.add(resultRecord(rejected.result()));
            }
        } else if (decoded instanceof Decoded.Accepted accepted) {
            Future<RefreshResult> run =
                    worker.submit(() -> runner.run(accepted.job(), accepted.command()));
            records.add(resultRecord(awaitRun(run)));
        }
        if (output.publish(records)) {
            commands.commit(record);
        }
    }

    private RefreshResult awaitRun(Future<RefreshResult> run) {
        try {
            return commands.pollUntilDone(run);
        } catch (ExecutionException e) {
            // RefreshRunner reports failures as results; reaching here is a bug, not an outage.
            throw new IllegalStateException("refresh runner failed", e.getCause());
        }
    }

    private ProducerRecord<String, byte[]> resultRecord(RefreshResult result) {
        return new ProducerRecord<>(
                topics.refreshResults().name(), result.job(), Topics.RESULT_SERDE.write(result));
    }

    /** Stops the loop (waking it from a poll), cancels a running refresh and closes clients. */
    @Override
    public void close() {
        closing.set(true);
        commands.wakeup();
        if (!started.get()) {
            release();
            return;
        }
        try {
            if (!finished.await(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("executor loop did not stop within {}", CLOSE_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void release() {
        if (!released.compareAndSet(false, true)) {
            return;
        }
        // An uncommitted command is redelivered, so a run cut short here is not lost.
        runner.cancelRunning();
        worker.shutdownNow();
        commands.close();
        output.close();
        try {
            worker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (ownsRunner) {
            runner.close();
        }
    }
}
